// The audit log: what is recorded for writes and reads of personal data, who may read it, CSV.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import {
  API, assertProblem, create, getOk, parseCsv, signInRoles, unique,
} from './helpers.mjs';

const HEADER = ['id', 'at', 'actor_user_id', 'actor', 'remote_addr', 'action', 'entity', 'entity_id', 'before', 'after'];

let server, admin, lead, leadUser;

before(async () => {
  server = await startServer();
  ({ admin, system_lead: lead } = await signInRoles(server, ['admin', 'system_lead']));
  leadUser = (await getOk(lead, `${API}/session`)).user;
});
after(async () => { await server?.stop(); });

const audit = (query) => getOk(admin, `${API}/audit?${query}`);

// The CSV export for a query, parsed; asserts the type and header row.
async function csv(query) {
  const r = await admin.get(`${API}/audit?${query}${query ? '&' : ''}format=csv`);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/csv/);
  assert.match(r.headers.get('content-disposition') || '', /attachment/);
  assert.ok(r.text.startsWith(`${HEADER.join(',')}\r\n`), r.text.slice(0, 200));
  const rows = parseCsv(r.text);
  assert.deepEqual(rows[0], HEADER);
  for (const row of rows) assert.equal(row.length, HEADER.length, JSON.stringify(row));
  return { text: r.text, rows: rows.slice(1) };
}

describe('writes are recorded', () => {
  let place, entries;

  before(async () => {
    const name = unique('Audited');
    place = await create(lead, 'places', { name, code: 'A1' });
    assert.equal((await lead.patch(`${API}/places/${place.id}`, { name: `${name} renamed` })).status, 200);
    assert.equal((await lead.del(`${API}/places/${place.id}`)).status, 204);
    entries = (await audit(`entity=places&entity_id=${place.id}`)).items;
  });

  test('create, update and delete, newest first', () => {
    assert.deepEqual(entries.map((e) => e.action), ['delete', 'update', 'create']);
    const ids = entries.map((e) => e.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
  });

  test('each names the actor, the address and the record', () => {
    for (const e of entries) {
      assert.equal(e.actor, leadUser.email);
      assert.equal(e.actor_user_id, leadUser.id);
      assert.equal(e.remote_addr, '127.0.0.1');
      assert.equal(e.entity, 'places');
      assert.equal(e.entity_id, place.id);
      assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  test('before and after images', () => {
    const [del, upd, crt] = entries;
    assert.equal(crt.before, null);
    assert.deepEqual(crt.after, place);
    assert.equal(upd.before.name, place.name);
    assert.equal(upd.after.name, `${place.name} renamed`);
    assert.equal(upd.after.code, 'A1');
    assert.equal(del.before.name, `${place.name} renamed`);
    assert.equal(del.after, null);
  });

  test('a deleted record\'s id is never reused, so its history stays its own', async () => {
    const next = await create(lead, 'places', { name: unique('After the deleted one') });
    assert.notEqual(next.id, place.id, `id ${place.id} was given to a new place`);
    const history = (await audit(`entity=places&entity_id=${place.id}`)).items;
    assert.deepEqual(history.map((e) => e.action), ['delete', 'update', 'create']);
  });

  test('a refused write is not recorded', async () => {
    const before = (await audit('entity=places')).total;
    assert.equal((await lead.post(`${API}/places`, { name: 5 })).status, 422);
    assert.equal((await lead.patch(`${API}/places/1`, { colour: 'red' })).status, 422);
    assert.equal((await lead.del(`${API}/places/1`)).status, 409);
    assert.equal((await audit('entity=places')).total, before);
  });

  test('filters: action, actor_user_id, since and until', async () => {
    const byLead = await audit(`actor_user_id=${leadUser.id}&per_page=1000`);
    assert.ok(byLead.total >= 3);
    for (const e of byLead.items) assert.equal(e.actor_user_id, leadUser.id);
    const creates = await audit('action=create&per_page=1000');
    for (const e of creates.items) assert.equal(e.action, 'create');
    const today = new Date().toISOString().slice(0, 10);
    assert.ok((await audit(`since=${today}`)).total > 0);
    assert.equal((await audit('until=2000-01-01')).total, 0);
    assert.equal((await audit('since=2999-01-01T00:00:00Z')).total, 0);
  });

  test('paging', async () => {
    const all = await audit('per_page=1000');
    const page2 = await audit('per_page=2&page=2');
    assert.equal(page2.total, all.total);
    assert.equal(page2.total_pages, Math.ceil(all.total / 2));
    assert.deepEqual(page2.items.map((e) => e.id), all.items.slice(2, 4).map((e) => e.id));
  });
});

describe('reads of personal data are recorded', () => {
  test('GET /api/v1/people/{id} records a read of that person', async () => {
    const r = await lead.get(`${API}/people/5`);
    assert.equal(r.status, 200);
    const [e] = (await audit('entity=people&action=read&per_page=1')).items;
    assert.equal(e.entity_id, 5);
    assert.equal(e.actor, leadUser.email);
    assert.equal(e.remote_addr, '127.0.0.1');
  });

  test('listing people records which ids were shown', async () => {
    const list = await getOk(lead, `${API}/people?per_page=7&page=2`);
    const [e] = (await audit('entity=people&action=read&per_page=1')).items;
    assert.equal(e.actor_user_id, leadUser.id);
    assert.deepEqual(e.after.ids, list.items.map((p) => p.id));
  });

  test('reading places is not recorded', async () => {
    const before = (await audit('action=read')).total;
    await getOk(lead, `${API}/places/1`);
    await getOk(lead, `${API}/places`);
    assert.equal((await audit('action=read')).total, before);
  });
});

describe('who may read the log', () => {
  test('everyone but an admin gets 403', async () => {
    const others = await signInRoles(server, ['place_lead', 'viewer']);
    for (const c of [lead, ...Object.values(others)]) {
      assertProblem(await c.get(`${API}/audit`), 403);
      assertProblem(await c.get(`${API}/audit?format=csv`), 403);
    }
    assertProblem(await new Client(server.url).get(`${API}/audit`), 401);
  });
});

describe('bad filters', () => {
  for (const [q, field] of [
    ['since=yesterday', 'since'], ['until=2026-1-1', 'until'], ['since=2026-13-45', 'since'],
    ['entity_id=abc', 'entity_id'], ['entity_id=0', 'entity_id'], ['actor_user_id=-1', 'actor_user_id'],
    ['format=xml', 'format'], ['per_page=1001', 'per_page'], ['page=abc', 'page'],
  ]) {
    test(`${q} is 400 naming ${field}`, async () => {
      assertProblem(await admin.get(`${API}/audit?${q}`), 400, { fields: [field] });
    });
  }

  test('a page far beyond the end returns no entries', async () => {
    for (const page of ['9223372036854775807', '4611686018427387904']) {
      const r = await admin.get(`${API}/audit?per_page=2&page=${page}`);
      if (r.status === 400) continue;
      assert.equal(r.status, 200);
      assert.deepEqual(r.data.items, [], `page ${page} returned entries ${r.data.items.map((e) => e.id)}`);
    }
  });
});

describe('CSV export', () => {
  test('one row per entry with the header row', async () => {
    const json = await audit('entity=places&per_page=1000');
    const { rows } = await csv('entity=places');
    assert.equal(rows.length, json.total);
    assert.deepEqual(rows.map((r) => Number(r[0])), json.items.map((e) => e.id));
    const [row] = rows;
    const [e] = json.items;
    assert.equal(row[5], e.action);
    assert.equal(row[7], String(e.entity_id));
    assert.deepEqual(row[9] ? JSON.parse(row[9]) : null, e.after);
  });

  test('Accept: text/csv also gives CSV', async () => {
    const r = await admin.get(`${API}/audit?entity=places`, { headers: { Accept: 'text/csv' } });
    assert.match(r.headers.get('content-type'), /^text\/csv/);
  });

  test('a value with a formula is quoted, and a cell starting with = gets an apostrophe', async () => {
    const name = `=HYPERLINK("x") ${unique()}`;
    const p = await create(lead, 'places', { name });
    const { rows } = await csv(`entity=places&entity_id=${p.id}&action=create`);
    const row = rows.find((r) => r[9].includes('HYPERLINK'));
    assert.ok(row, 'no CSV row for the new place');
    assert.ok(row[9].startsWith('{'));
    assert.equal(JSON.parse(row[9]).name, name);
    // A user whose email starts with "=" makes the actor cell a would-be formula.
    const email = `=1+1${Date.now()}@evil.example`;
    const password = 'a long enough password';
    await create(admin, 'users', { email, name: 'Formula', role: 'system_lead', organisation_id: 1, password });
    const f = new Client(server.url);
    await f.signIn(email, password);
    const q = await create(f, 'places', { name: unique('By formula') });
    const out = await csv(`entity=places&entity_id=${q.id}&action=create`);
    assert.equal(out.rows[0][3], `'${email}`);
    assert.ok(out.text.includes(`"'${email}"`));
    for (const row of (await csv('')).rows) {
      for (const cell of row) assert.ok(!/^[=+\-@\t\r]/.test(cell), `unneutralised cell ${cell}`);
    }
  });
});
