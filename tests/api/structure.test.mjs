// CRUD for places, neighbourhoods, organisations and people as a system lead; lists and filters.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import {
  API, assertProblem, assertRefused, create, getOk, listAll, signInRoles, unique,
} from './helpers.mjs';

let server, lead, admin;

before(async () => {
  server = await startServer();
  ({ system_lead: lead, admin } = await signInRoles(server, ['system_lead', 'admin']));
});
after(async () => { await server?.stop(); });

// Everything the API must do for one kind of record, given sample bodies.
function crud(entity, { make, expectCreated, patch, put, required }) {
  describe(`${entity}: create, read, change, replace, delete`, () => {
    let rec;

    test('POST is 201 with a Location and the normalised record', async () => {
      const body = await make();
      const r = await lead.post(`${API}/${entity}`, body);
      assert.equal(r.status, 201, r.text);
      assert.ok(Number.isInteger(r.data.id) && r.data.id > 0);
      assert.equal(r.headers.get('location'), `${API}/${entity}/${r.data.id}`);
      assert.match(r.data.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(r.data.updated_at, r.data.created_at);
      for (const [k, v] of Object.entries(expectCreated(body))) assert.deepEqual(r.data[k], v, k);
      rec = r.data;
    });

    test('GET one returns the same record', async () => {
      assert.deepEqual(await getOk(lead, `${API}/${entity}/${rec.id}`), rec);
    });

    test('PATCH changes only the fields given', async () => {
      const change = patch(rec);
      const r = await lead.patch(`${API}/${entity}/${rec.id}`, change);
      assert.equal(r.status, 200, r.text);
      for (const [k, v] of Object.entries(rec)) {
        if (k === 'updated_at') continue;
        assert.deepEqual(r.data[k], k in change ? change[k] : v, k);
      }
      assert.deepEqual(await getOk(lead, `${API}/${entity}/${rec.id}`), r.data);
      rec = r.data;
    });

    test('PUT replaces the record: fields left out are cleared', async () => {
      const full = put(rec);
      const r = await lead.put(`${API}/${entity}/${rec.id}`, full);
      assert.equal(r.status, 200, r.text);
      for (const [k, v] of Object.entries(full)) assert.deepEqual(r.data[k], v, k);
      for (const k of Object.keys(rec)) {
        if (['id', 'created_at', 'updated_at'].includes(k) || k in full) continue;
        assert.ok(r.data[k] === null || (Array.isArray(r.data[k]) && r.data[k].length === 0),
          `${k} should be cleared by PUT, is ${JSON.stringify(r.data[k])}`);
      }
      assert.equal(r.data.created_at, rec.created_at);
      rec = r.data;
    });

    test(`PUT without the required "${required}" is 422 naming it, and changes nothing`, async () => {
      const full = put(rec);
      delete full[required];
      await assertRefused(admin, () => lead.put(`${API}/${entity}/${rec.id}`, full), 422, {
        fields: [required], reread: [`${API}/${entity}/${rec.id}`],
      });
    });

    test('DELETE is 204, then GET is 404 and a second DELETE is 404', async () => {
      const r = await lead.del(`${API}/${entity}/${rec.id}`);
      assert.equal(r.status, 204, r.text);
      assert.equal(r.text, '');
      assertProblem(await lead.get(`${API}/${entity}/${rec.id}`), 404);
      assertProblem(await lead.del(`${API}/${entity}/${rec.id}`), 404);
      assertProblem(await lead.patch(`${API}/${entity}/${rec.id}`, { name: 'x' }), 404);
    });
  });
}

crud('places', {
  make: () => ({ name: `  ${unique('Place')}  `, code: 'E08000099', description: 'Line one\nLine two' }),
  expectCreated: (b) => ({ name: b.name.trim(), code: 'E08000099', description: 'Line one\nLine two' }),
  patch: () => ({ description: 'Changed' }),
  put: () => ({ name: unique('Replaced place') }),
  required: 'name',
});

crud('neighbourhoods', {
  make: () => ({ place_id: 1, name: unique('Hood'), code: 'PCN1', population: 12345, imd_decile: 3 }),
  expectCreated: (b) => ({ ...b }),
  patch: () => ({ population: 0, imd_decile: 10 }),
  put: () => ({ place_id: 2, name: unique('Hood replaced'), population: 5, imd_decile: 1 }),
  required: 'population',
});

crud('organisations', {
  make: () => ({
    name: unique('Org'), sector: 'vcse', email: 'Hello@Example.ORG', postcode: 'rv1 2ab',
    phone: '01632 960 001', website: 'https://example.org', place_ids: [2, 1, 2],
  }),
  expectCreated: (b) => ({ name: b.name, sector: 'vcse', email: 'hello@example.org', postcode: 'RV1 2AB', place_ids: [1, 2] }),
  patch: () => ({ postcode: 'LS1 4AP', ods_code: 'X123' }),
  put: () => ({ name: unique('Org replaced'), sector: 'other' }),
  required: 'sector',
});

crud('people', {
  make: () => ({ organisation_id: 17, name: unique('Person'), job_title: 'Artist', email: 'A.Person@Example.org' }),
  expectCreated: (b) => ({ organisation_id: 17, name: b.name, job_title: 'Artist', email: 'a.person@example.org', user_id: null }),
  patch: () => ({ job_title: 'Lead artist', phone: '07700 900000' }),
  put: () => ({ organisation_id: 18, name: unique('Person replaced') }),
  required: 'organisation_id',
});

describe('lists: pagination', () => {
  test('pages are disjoint, ordered, and add up to the total', async () => {
    const first = await getOk(lead, `${API}/neighbourhoods?per_page=7`);
    const total = first.total;
    assert.ok(total >= 15, `demo has ${total} neighbourhoods`);
    assert.equal(first.page, 1);
    assert.equal(first.per_page, 7);
    assert.equal(first.total_pages, Math.ceil(total / 7));
    const seen = [];
    for (let p = 1; p <= first.total_pages; p++) {
      const d = await getOk(lead, `${API}/neighbourhoods?per_page=7&page=${p}`);
      assert.equal(d.total, total);
      assert.equal(d.items.length, p < first.total_pages ? 7 : total - 7 * (first.total_pages - 1));
      seen.push(...d.items);
    }
    assert.equal(new Set(seen.map((n) => n.id)).size, total);
    const names = seen.map((n) => n.name);
    assert.deepEqual(names, [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const beyond = await getOk(lead, `${API}/neighbourhoods?per_page=7&page=${first.total_pages + 1}`);
    assert.deepEqual(beyond.items, []);
    assert.equal(beyond.total, total);
  });

  test('the default page size is 20 and 100 is allowed', async () => {
    const d = await getOk(lead, `${API}/organisations`);
    assert.equal(d.per_page, 20);
    assert.equal(d.items.length, Math.min(20, d.total));
    const big = await getOk(lead, `${API}/organisations?per_page=100`);
    assert.equal(big.items.length, Math.min(100, big.total));
  });

  test('bad paging is 400 naming the parameter', async () => {
    for (const [q, field] of [['per_page=0', 'per_page'], ['per_page=101', 'per_page'], ['per_page=-5', 'per_page'],
      ['page=abc', 'page'], ['page=0', 'page'], ['page=1.5', 'page']]) {
      assertProblem(await lead.get(`${API}/places?${q}`), 400, { fields: [field] });
    }
  });
});

describe('lists: filters', () => {
  test('q=choir finds the choir, case-insensitively', async () => {
    for (const q of ['choir', 'CHOIR']) {
      const d = await getOk(lead, `${API}/organisations?q=${q}`);
      assert.ok(d.total >= 1);
      assert.ok(d.items.some((o) => o.name === 'Northgate Community Choir'), JSON.stringify(d.items));
      for (const o of d.items) assert.match(JSON.stringify(o), /choir/i);
    }
  });

  test('q treats % and _ literally', async () => {
    assert.equal((await getOk(lead, `${API}/organisations?q=${encodeURIComponent('%')}`)).total, 0);
    assert.equal((await getOk(lead, `${API}/places?q=_`)).total, 0);
  });

  test('sector=nhs counts match the dashboard', async () => {
    const sys = await getOk(lead, `${API}/system`);
    for (const sector of ['nhs', 'local_authority', 'vcse', 'other']) {
      const d = await getOk(lead, `${API}/organisations?sector=${sector}&per_page=100`);
      assert.equal(d.total, sys.counts.organisations_by_sector[sector], sector);
      for (const o of d.items) assert.equal(o.sector, sector);
    }
  });

  test('neighbourhoods?place_id=X hold exactly the neighbourhoods of X', async () => {
    const all = await listAll(lead, `${API}/neighbourhoods`);
    for (const placeId of [1, 2]) {
      const d = await listAll(lead, `${API}/neighbourhoods?place_id=${placeId}`);
      assert.ok(d.length > 0);
      for (const n of d) assert.equal(n.place_id, placeId);
      assert.equal(d.length, all.filter((n) => n.place_id === placeId).length);
    }
  });

  test('organisations?place_id=X hold exactly the organisations serving X', async () => {
    const all = await listAll(lead, `${API}/organisations`);
    const d = await listAll(lead, `${API}/organisations?place_id=3`);
    assert.ok(d.length > 0);
    for (const o of d) assert.ok(o.place_ids.includes(3), JSON.stringify(o));
    assert.equal(d.length, all.filter((o) => o.place_ids.includes(3)).length);
  });

  test('filters combine', async () => {
    const d = await listAll(lead, `${API}/organisations?place_id=1&sector=vcse`);
    const all = await listAll(lead, `${API}/organisations`);
    assert.equal(d.length, all.filter((o) => o.sector === 'vcse' && o.place_ids.includes(1)).length);
    const people = await listAll(lead, `${API}/people?organisation_id=17`);
    for (const p of people) assert.equal(p.organisation_id, 17);
  });

  test('an unknown filter is 400 naming it', async () => {
    assertProblem(await lead.get(`${API}/places?colour=red`), 400, { fields: ['colour'] });
    assertProblem(await lead.get(`${API}/neighbourhoods?sector=nhs`), 400, { fields: ['sector'] });
  });

  test('a bad filter value is 400 naming it', async () => {
    assertProblem(await lead.get(`${API}/organisations?sector=bogus`), 400, { fields: ['sector'] });
    assertProblem(await lead.get(`${API}/neighbourhoods?place_id=abc`), 400, { fields: ['place_id'] });
    assertProblem(await lead.get(`${API}/neighbourhoods?place_id=0`), 400, { fields: ['place_id'] });
    assertProblem(await lead.get(`${API}/places?q=${'x'.repeat(201)}`), 400, { fields: ['q'] });
  });
});

describe('deleting what is still referred to', () => {
  test('a place with neighbourhoods is 409 naming them, and stays', async () => {
    const body = await assertRefused(admin, () => lead.del(`${API}/places/1`), 409, {
      detail: 'neighbourhoods', reread: [`${API}/places/1`],
    });
    assert.match(body.detail, /\d+ neighbourhoods/);
  });

  test('an organisation with people is 409 naming them, and stays', async () => {
    const org = await create(lead, 'organisations', { name: unique('Org with people'), sector: 'other' });
    const person = await create(lead, 'people', { organisation_id: org.id, name: unique('Member') });
    await assertRefused(admin, () => lead.del(`${API}/organisations/${org.id}`), 409, {
      detail: 'people', reread: [`${API}/organisations/${org.id}`],
    });
    assert.equal((await lead.del(`${API}/people/${person.id}`)).status, 204);
    assert.equal((await lead.del(`${API}/organisations/${org.id}`)).status, 204);
  });

  test('the system\'s own organisation cannot be deleted', async () => {
    const sys = await getOk(lead, `${API}/system`);
    await assertRefused(admin, () => lead.del(`${API}/organisations/${sys.organisation_id}`), 409, {
      reread: [`${API}/organisations/${sys.organisation_id}`],
    });
  });
});

describe('the dashboard', () => {
  test('GET /api/v1/system counts follow creates and deletes', async () => {
    const before = (await getOk(lead, `${API}/system`)).counts;
    const hood = await create(lead, 'neighbourhoods', { place_id: 4, name: unique('Counted'), population: 1000, imd_decile: 5 });
    const mid = (await getOk(lead, `${API}/system`)).counts;
    assert.equal(mid.neighbourhoods, before.neighbourhoods + 1);
    assert.equal(mid.population, before.population + 1000);
    assert.equal((await lead.del(`${API}/neighbourhoods/${hood.id}`)).status, 204);
    assert.deepEqual((await getOk(lead, `${API}/system`)).counts, before);
  });
});
