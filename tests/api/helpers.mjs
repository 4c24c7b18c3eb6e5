// Shared assertions and snapshots for the API tests (not a test file itself).
import assert from 'node:assert/strict';
import { Client } from '../lib/server.mjs';

export const API = '/api/v1';

// The response is an RFC 9457 problem with this status; returns its body.
export function assertProblem(r, status, { detail, fields } = {}) {
  assert.equal(r.status, status, `expected ${status}, got ${r.status}: ${r.text}`);
  const ct = r.headers.get('content-type') || '';
  assert.match(ct, /^application\/problem\+json/, `content-type was ${ct}`);
  const body = JSON.parse(r.text);
  assert.equal(body.status, status);
  assert.equal(typeof body.type, 'string');
  assert.equal(typeof body.title, 'string');
  assert.ok(body.title.length > 0);
  if (detail !== undefined) {
    assert.equal(typeof body.detail, 'string', `no detail in ${r.text}`);
    if (detail instanceof RegExp) assert.match(body.detail, detail);
    else assert.ok(body.detail.includes(detail), `detail "${body.detail}" lacks "${detail}"`);
  }
  for (const f of fields || []) {
    assert.ok(errorFields(body).includes(f), `errors do not name "${f}": ${r.text}`);
  }
  return body;
}

// The field names listed in a problem's errors[].
export function errorFields(body) {
  return (body.errors || []).map((e) => e.field);
}

// The error message for one field, or undefined.
export function errorMessage(body, field) {
  return (body.errors || []).find((e) => e.field === field)?.message;
}

// GET a JSON resource and insist on 200; returns the body.
export async function getOk(client, path) {
  const r = await client.get(path);
  assert.equal(r.status, 200, `GET ${path} gave ${r.status}: ${r.text}`);
  return r.data;
}

// Every item of a list, walking the pages.
export async function listAll(client, path) {
  const sep = path.includes('?') ? '&' : '?';
  const items = [];
  for (let page = 1; ; page++) {
    const d = await getOk(client, `${path}${sep}per_page=100&page=${page}`);
    items.push(...d.items);
    if (page >= d.total_pages) return items;
  }
}

// Create a record, insisting on 201; returns the stored record.
export async function create(client, entity, body) {
  const r = await client.post(`${API}/${entity}`, body);
  assert.equal(r.status, 201, `POST ${entity} gave ${r.status}: ${r.text}`);
  return r.data;
}

let seq = 0;
// A name nobody else has used in this process.
export function unique(prefix = 'Test') {
  seq += 1;
  return `${prefix} ${process.pid}-${seq}`;
}

// Counts of every kind of record plus the number of audited writes.
// Reads of personal data and sign-ins add audit entries, so only writes count.
export async function snapshot(admin) {
  const sys = await getOk(admin, `${API}/system`);
  const writes = {};
  for (const action of ['create', 'update', 'delete', 'revoke', 'set_password']) {
    writes[action] = (await getOk(admin, `${API}/audit?action=${action}&per_page=1`)).total;
  }
  return { counts: sys.counts, writes };
}

// Run a refused request: it must answer `status` and leave everything as it was.
// `reread` (optional) lists paths whose bodies must be unchanged afterwards.
export async function assertRefused(admin, fn, status, { reread = [], detail, fields } = {}) {
  const before = await snapshot(admin);
  const bodies = [];
  for (const p of reread) bodies.push(await getOk(admin, p));
  const r = await fn();
  const body = assertProblem(r, status, { detail, fields });
  assert.deepEqual(await snapshot(admin), before, 'a refused request changed something');
  for (let i = 0; i < reread.length; i++) {
    assert.deepEqual(await getOk(admin, reread[i]), bodies[i], `${reread[i]} changed`);
  }
  return body;
}

// Minimal RFC 4180 parser: rows of cells.
export function parseCsv(text) {
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else if (ch === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; }
    else cell += ch;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

// Signed-in clients for just the demo roles named: { role: Client }.
export async function signInRoles(server, roles) {
  const out = {};
  for (const role of roles) {
    const c = new Client(server.url);
    await c.signIn(server.logins[role].email, server.logins[role].password);
    out[role] = c;
  }
  return out;
}
