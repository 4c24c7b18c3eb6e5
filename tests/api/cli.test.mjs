// The chis command line: help, init, users, migrate, version, newer schemas, shutdown.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, Client, chis, chisStatus, BIN } from '../lib/server.mjs';
import { API, assertProblem, getOk } from './helpers.mjs';

const COMMANDS = ['serve', 'init', 'migrate', 'demo', 'user', 'token', 'version'];
const PASSWORD = 'correct horse battery';

let dir;
const db = (name) => join(dir, `${name}.db`);
const sqlite = (file, sql) => execFileSync('sqlite3', [file, sql], { encoding: 'utf8' }).trim();

// Run chis expecting a failure; returns { status, out } with stdout and stderr together.
function fails(args, input) {
  const r = chisStatus(args, { input });
  assert.notEqual(r.status, 0, `chis ${args.join(' ')} should fail:\n${r.stdout}${r.stderr}`);
  return { status: r.status, out: r.stdout + r.stderr };
}

before(() => { dir = mkdtempSync(join(tmpdir(), 'chis-cli-')); });
after(() => { rmSync(dir, { recursive: true, force: true }); });

// Serve an existing database; returns { url, stop() }.
async function serve(file) {
  const proc = spawn(BIN, ['serve', '--db', file, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^/\s]+)\//);
      if (m) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`chis serve exited ${code}`)));
  });
  const stop = () => new Promise((resolve) => { proc.on('exit', resolve); proc.kill('SIGTERM'); });
  return { url, stop };
}

describe('help', () => {
  test('chis --help exits 0 and lists every command', () => {
    const out = chis(['--help']);
    for (const c of COMMANDS) assert.match(out, new RegExp(`^\\s+${c}\\s`, 'm'), c);
  });

  test('every command answers --help with exit 0 and a usage line', () => {
    for (const c of COMMANDS.filter((x) => x !== 'version')) {
      assert.match(chis([c, '--help']), new RegExp(`usage: chis ${c}`), c);
    }
    assert.match(chis(['version', '--help']), /^chis /);
  });

  test('no command, or an unknown one, exits 2 with usage', () => {
    assert.equal(fails([]).status, 2);
    const r = fails(['frobnicate']);
    assert.equal(r.status, 2);
    assert.match(r.out, /unknown command 'frobnicate'/);
    assert.match(r.out, /usage: chis COMMAND/);
    assert.equal(fails(['user', 'add', 'x@y.example', '--bogus']).status, 2);
  });

  test('chis version prints the version', () => {
    assert.match(chis(['version']), /^chis \d+\.\d+/);
    assert.equal(chis(['--version']), chis(['version']));
  });
});

describe('init', () => {
  const init = (file, input = `${PASSWORD}\n`) =>
    chisStatus(['init', '--system-name', 'Test ICS', '--admin', 'A@B.example', '--db', file], { input });

  test('creates the system and its administrator from a password on stdin', () => {
    const r = init(db('init'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Test ICS/);
    assert.equal(sqlite(db('init'), 'SELECT name FROM system'), 'Test ICS');
    assert.equal(sqlite(db('init'), 'SELECT email || \' \' || role FROM users'), 'a@b.example admin');
    assert.match(sqlite(db('init'), 'SELECT password_hash FROM users'), /^\$argon2id\$/);
  });

  test('a second init exits 1 saying it is already set up, and changes nothing', () => {
    const users = sqlite(db('init'), 'SELECT count(*) FROM users');
    const r = init(db('init'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, /already/);
    assert.equal(sqlite(db('init'), 'SELECT count(*) FROM users'), users);
  });

  test('refuses a short password or a missing one, leaving no system', () => {
    assert.equal(init(db('short'), 'short\n').status, 1);
    assert.equal(sqlite(db('short'), 'SELECT count(*) FROM system'), '0');
    assert.equal(init(db('none'), '').status, 1);
    assert.equal(fails(['init', '--admin', 'a@b.example', '--db', db('noname')]).status, 2);
  });
});

describe('users and tokens', () => {
  before(() => { chis(['demo', '--db', db('demo')]); });
  const user = (args, input) => chisStatus(['user', ...args, '--db', db('demo')], { input });

  test('user add reads the password from stdin', () => {
    const r = user(['add', 'X@Y.example', '--role', 'viewer', '--name', 'X Viewer'], `${PASSWORD}\n`);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /added user \d+ X@Y.example \(viewer\)/i);
    assert.equal(sqlite(db('demo'), "SELECT role FROM users WHERE email = 'x@y.example'"), 'viewer');
  });

  test('user add --role place_lead --place gives the places; without --place it is refused', () => {
    const r = user(['add', 'pl@y.example', '--role', 'place_lead', '--name', 'PL', '--place', '1', '--place', '2'], `${PASSWORD}\n`);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(sqlite(db('demo'), "SELECT group_concat(place_id) FROM user_places JOIN users u ON u.id = user_id WHERE u.email = 'pl@y.example'"), '1,2');
    const bad = user(['add', 'pl2@y.example', '--role', 'place_lead', '--name', 'PL2'], `${PASSWORD}\n`);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /place_ids/);
  });

  test('user add refuses bad input: short password, duplicate, unknown role, bad --place', () => {
    assert.match(user(['add', 'y@y.example', '--role', 'viewer', '--name', 'Y'], 'short\n').stderr, /password/);
    assert.match(user(['add', 'x@y.example', '--role', 'viewer', '--name', 'X'], `${PASSWORD}\n`).stderr, /email/);
    assert.match(user(['add', 'z@y.example', '--role', 'wizard', '--name', 'Z'], `${PASSWORD}\n`).stderr, /role/);
    assert.equal(user(['add', 'z@y.example', '--role', 'place_lead', '--name', 'Z', '--place', 'one']).status, 2);
    assert.equal(sqlite(db('demo'), "SELECT count(*) FROM users WHERE email IN ('y@y.example', 'z@y.example')"), '0');
  });

  test('user list shows every user', () => {
    const r = user(['list']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^id\s+email\s+role/);
    for (const email of ['x@y.example', 'pl@y.example', 'admin@demo.chis.example.org']) assert.ok(r.stdout.includes(email), email);
    assert.equal(r.stdout.trim().split('\n').length - 1, Number(sqlite(db('demo'), 'SELECT count(*) FROM users')));
  });

  test('user passwd changes the password; user disable disables', () => {
    const before = sqlite(db('demo'), "SELECT password_hash FROM users WHERE email = 'x@y.example'");
    const r = user(['passwd', 'x@y.example'], 'another long password\n');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /password changed/);
    assert.notEqual(sqlite(db('demo'), "SELECT password_hash FROM users WHERE email = 'x@y.example'"), before);
    assert.equal(user(['passwd', 'x@y.example'], 'short\n').status, 1);
    assert.match(user(['disable', 'pl@y.example']).stdout, /disabled pl@y.example/);
    assert.equal(sqlite(db('demo'), "SELECT disabled FROM users WHERE email = 'pl@y.example'"), '1');
    assert.equal(user(['disable', 'nobody@y.example']).status, 1);
  });

  test('token create and revoke check their arguments', () => {
    assert.equal(fails(['token', 'create', 'nobody@y.example', '--db', db('demo')]).status, 1);
    assert.equal(fails(['token', 'revoke', 'abc', '--db', db('demo')]).status, 2);
    assert.equal(fails(['token', 'revoke', '999', '--db', db('demo')]).status, 1);
  });

  test('a server on that database honours what the CLI did', async () => {
    const { url, stop } = await serve(db('demo'));
    try {
      const c = new Client(url);
      await c.signIn('x@y.example', 'another long password');
      assert.equal((await getOk(c, `${API}/session`)).user.role, 'viewer');
      assertProblem(await new Client(url).req('POST', `${API}/session`, { json: { email: 'x@y.example', password: PASSWORD } }), 401);
      assertProblem(await new Client(url).req('POST', `${API}/session`, { json: { email: 'pl@y.example', password: PASSWORD } }), 401);
    } finally {
      await stop();
    }
  });
});

describe('schema versions', () => {
  test('migrate on a current database says it is up to date', () => {
    chis(['migrate', '--db', db('current')]);
    assert.match(chis(['migrate', '--db', db('current')]), /up to date/);
  });

  test('a database newer than this chis is refused by migrate and serve', () => {
    chis(['migrate', '--db', db('newer')]);
    sqlite(db('newer'), 'PRAGMA user_version=99');
    for (const args of [['migrate'], ['serve', '--listen', '127.0.0.1:0'], ['user', 'list']]) {
      const r = fails([...args, '--db', db('newer')]);
      assert.match(r.out, /newer/, `${args[0]}: ${r.out}`);
    }
    assert.equal(sqlite(db('newer'), 'PRAGMA user_version'), '99');
  });
});

describe('shutdown', () => {
  test('SIGTERM stops the server promptly with exit 0, logging "stopped"', async () => {
    const s = await startServer();
    const c = new Client(s.url);
    assert.equal((await c.get('/healthz')).status, 200);
    const started = Date.now();
    const code = await new Promise((resolve) => {
      s.proc.on('exit', (c2) => resolve(c2));
      s.proc.kill('SIGTERM');
    });
    const took = Date.now() - started;
    assert.equal(code, 0);
    assert.ok(took < 3000, `took ${took} ms`);
    assert.match(s.log(), /SIGTERM/);
    assert.match(s.log(), /stopped/);
    await s.stop();
  });
});
