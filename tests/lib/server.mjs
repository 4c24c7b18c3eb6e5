// Start the real chis binary on a free loopback port with a fresh database,
// for API and browser tests. Each call gets its own temporary folder.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = process.env.CHIS_BIN || 'build/chis';

// Run a chis subcommand to completion; returns stdout. Throws on non-zero exit.
export function chis(args, { input } = {}) {
  return execFileSync(BIN, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

// Like chis() but never throws: { status, stdout, stderr }.
export function chisStatus(args, { input } = {}) {
  try {
    return { status: 0, stdout: chis(args, { input }), stderr: '' };
  } catch (e) {
    return { status: e.status, stdout: String(e.stdout || ''), stderr: String(e.stderr || '') };
  }
}

// Parse `chis demo` output into { role: {email, password} }.
export function parseLogins(out) {
  const logins = {};
  for (const line of out.split('\n')) {
    const m = line.match(/^\s+(\w+)\s+(\S+@\S+)\s+(\S+)\s*$/);
    if (m) logins[m[1]] = { email: m[2], password: m[3] };
  }
  return logins;
}

// Start a server. With demo: true (default) the database holds the demo system.
// Returns { url, db, dir, logins, proc, log(), stop() }.
export async function startServer({ demo = true, args = [] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'chis-test-'));
  const db = join(dir, 'chis.db');
  let logins = {};
  if (demo) logins = parseLogins(chis(['demo', '--db', db]));
  else chis(['migrate', '--db', db]);
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('chis did not start:\n' + stderr)), 10000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^/\s]+)\//);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`chis exited ${code}:\n${stderr}`)); });
  });
  return {
    url, db, dir, logins, proc,
    log: () => stderr,
    // Stop the server; throws if it did not exit cleanly or a sanitizer spoke,
    // so that `make check` fails on any report from inside the server.
    async stop() {
      let code = proc.exitCode;
      if (code === null) {
        const done = new Promise((r) => proc.on('exit', (c, sig) => r(c ?? sig)));
        proc.kill('SIGTERM');
        code = await done;
      }
      rmSync(dir, { recursive: true, force: true });
      if (code !== 0 || /Sanitizer|runtime error/.test(stderr))
        throw new Error(`chis serve exited with ${code}:\n${stderr.slice(-4000)}`);
    },
  };
}

// A small HTTP client that keeps the session cookie and CSRF token.
export class Client {
  constructor(base) { this.base = base; this.cookie = null; this.csrf = null; this.bearer = null; }

  async req(method, path, { json, body, headers = {}, raw = false } = {}) {
    const h = { ...headers };
    if (this.cookie) h.Cookie = this.cookie;
    if (this.bearer) h.Authorization = `Bearer ${this.bearer}`;
    if (this.csrf && !['GET', 'HEAD'].includes(method) && !('X-CSRF-Token' in h)) h['X-CSRF-Token'] = this.csrf;
    if (json !== undefined) { h['Content-Type'] = 'application/json'; body = JSON.stringify(json); }
    const res = await fetch(this.base + path, { method, headers: h, body, redirect: 'manual' });
    const set = res.headers.get('set-cookie');
    if (set) {
      const m = set.match(/chis_session=([^;]*)/);
      if (m) this.cookie = m[1] ? `chis_session=${m[1]}` : null;
    }
    const text = await res.text();
    let data = null;
    const ct = res.headers.get('content-type') || '';
    if (!raw && ct.includes('json') && text) data = JSON.parse(text);
    return { status: res.status, headers: res.headers, text, data };
  }

  async signIn(email, password) {
    const r = await this.req('POST', '/api/v1/session', { json: { email, password } });
    if (r.status !== 201) throw new Error(`sign-in failed ${r.status}: ${r.text}`);
    this.csrf = r.data.csrf_token;
    return r;
  }

  get(p, o) { return this.req('GET', p, o); }
  post(p, json, o = {}) { return this.req('POST', p, { ...o, json }); }
  put(p, json, o = {}) { return this.req('PUT', p, { ...o, json }); }
  patch(p, json, o = {}) { return this.req('PATCH', p, { ...o, json }); }
  del(p, o) { return this.req('DELETE', p, o); }
}

// Signed-in clients for each demo role: { admin, system_lead, ... }.
export async function clientsFor(server) {
  const out = {};
  for (const [role, l] of Object.entries(server.logins)) {
    const c = new Client(server.url);
    await c.signIn(l.email, l.password);
    out[role] = c;
  }
  return out;
}
