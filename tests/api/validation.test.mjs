// Bad input: each is answered with a clear 4xx and changes nothing.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import {
  API, assertRefused, create, errorMessage, getOk, signInRoles, unique,
} from './helpers.mjs';

let server, lead, admin;

before(async () => {
  server = await startServer();
  ({ system_lead: lead, admin } = await signInRoles(server, ['system_lead', 'admin']));
});
after(async () => { await server?.stop(); });

// Send a raw body as the system lead (cookie + CSRF).
const raw = (method, path, body, type = 'application/json') =>
  lead.req(method, path, { body, headers: { 'Content-Type': type } });

// POST must be refused with `status`, naming `fields`, and nothing may change.
const refusePost = (entity, body, status, opts = {}) =>
  assertRefused(admin, () => lead.post(`${API}/${entity}`, body), status, opts);

const hood = (extra = {}) => ({ place_id: 1, name: unique('Hood'), population: 100, imd_decile: 5, ...extra });

describe('bodies that are not a JSON object', () => {
  for (const [what, body] of [
    ['malformed JSON', '{name: "x"}'],
    ['truncated JSON', '{"name": "x"'],
    ['a JSON array', '[{"name": "x"}]'],
    ['a JSON string', '"x"'],
    ['an empty body', ''],
    ['duplicate keys', '{"name": "a", "name": "b"}'],
    ['a NUL in a string', '{"name": "a\\u0000b"}'],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
    ['an integer too big for 64 bits', '{"name": "x", "population": 100000000000000000000000000}'],
    ['JSON nested too deep', `{"name": ${'['.repeat(5000)}${']'.repeat(5000)}}`],
  ]) {
    test(`${what} is 400`, async () => {
      await assertRefused(admin, () => raw('POST', `${API}/places`, body), 400);
    });
  }

  test('a body that is not application/json is 415', async () => {
    await assertRefused(admin, () => raw('POST', `${API}/places`, JSON.stringify({ name: unique() }), 'text/plain'), 415);
    await assertRefused(admin, () => raw('POST', `${API}/places`, JSON.stringify({ name: unique() }), 'application/jsonx'), 415);
    await assertRefused(admin, () => lead.req('POST', `${API}/places`, { body: JSON.stringify({ name: unique() }) }), 415);
  });

  test('application/json with parameters or in capitals is accepted', async () => {
    for (const type of ['application/json; charset=utf-8', 'Application/JSON']) {
      const r = await raw('POST', `${API}/places`, JSON.stringify({ name: unique() }), type);
      assert.equal(r.status, 201, `${type}: ${r.text}`);
    }
  });

  test('a body over 1 MiB is 413', async () => {
    const big = JSON.stringify({ name: unique(), description: 'x'.repeat((1 << 20) + 10) });
    await assertRefused(admin, () => raw('POST', `${API}/places`, big), 413);
  });

  test('a body of just under 1 MiB is read (and refused only for its overlong field)', async () => {
    const body = JSON.stringify({ name: unique(), description: 'x'.repeat((1 << 20) - 100) });
    await assertRefused(admin, () => raw('POST', `${API}/places`, body), 422, { fields: ['description'] });
  });
});

describe('fields of the wrong type', () => {
  test('name: 5 is 422 naming name', async () => {
    await refusePost('places', { name: 5 }, 422, { fields: ['name'] });
    await refusePost('places', { name: true }, 422, { fields: ['name'] });
    await refusePost('places', { name: ['x'] }, 422, { fields: ['name'] });
    await refusePost('places', { name: { first: 'x' } }, 422, { fields: ['name'] });
  });

  test('population "lots", 3.5 or "100" is 422 naming population', async () => {
    for (const population of ['lots', 3.5, '100', true]) {
      await refusePost('neighbourhoods', hood({ population }), 422, { fields: ['population'] });
    }
  });

  test('place_ids "1" or [1, "x"] is 422 naming place_ids', async () => {
    for (const place_ids of ['1', 1, [1, 'x'], [1.5]]) {
      await refusePost('organisations', { name: unique('Org'), sector: 'vcse', place_ids }, 422, { fields: ['place_ids'] });
    }
  });

  test('place_id "1" is 422 naming place_id', async () => {
    await refusePost('neighbourhoods', hood({ place_id: '1' }), 422, { fields: ['place_id'] });
  });
});

describe('fields that are not accepted', () => {
  test('an unknown field is 422 naming it', async () => {
    await refusePost('places', { name: unique(), colour: 'red' }, 422, { fields: ['colour'] });
  });

  test('read-only fields (id, created_at, updated_at) are 422 naming them', async () => {
    await refusePost('places', { name: unique(), id: 12345 }, 422, { fields: ['id'] });
    await refusePost('places', { name: unique(), created_at: '2020-01-01T00:00:00Z' }, 422, { fields: ['created_at'] });
    await assertRefused(admin, () => lead.patch(`${API}/places/2`, { updated_at: '2020-01-01T00:00:00Z' }), 422, {
      fields: ['updated_at'], reread: [`${API}/places/2`],
    });
    await assertRefused(admin, () => lead.patch(`${API}/places/2`, { id: 3 }), 422, {
      fields: ['id'], reread: [`${API}/places/2`, `${API}/places/3`],
    });
  });

  test('a missing required field is 422 naming each', async () => {
    const body = await refusePost('neighbourhoods', { name: unique() }, 422, {
      fields: ['place_id', 'population', 'imd_decile'],
    });
    assert.ok(!body.errors.some((e) => e.field === 'name'));
    await refusePost('places', { name: '   ' }, 422, { fields: ['name'] });
    await refusePost('places', { name: null }, 422, { fields: ['name'] });
  });
});

describe('values out of range or not allowed', () => {
  test('imd_decile 0 and 11 are 422; 1 and 10 are fine', async () => {
    await refusePost('neighbourhoods', hood({ imd_decile: 0 }), 422, { fields: ['imd_decile'] });
    await refusePost('neighbourhoods', hood({ imd_decile: 11 }), 422, { fields: ['imd_decile'] });
    await refusePost('neighbourhoods', hood({ population: -1 }), 422, { fields: ['population'] });
    for (const imd_decile of [1, 10]) await create(lead, 'neighbourhoods', hood({ imd_decile }));
  });

  test('sector "charity" is 422 naming sector and listing the choices', async () => {
    const body = await refusePost('organisations', { name: unique('Org'), sector: 'charity' }, 422, { fields: ['sector'] });
    assert.match(errorMessage(body, 'sector'), /vcse/);
  });

  test('badly formed email, postcode, phone and website are 422 naming each', async () => {
    const body = await refusePost('organisations', {
      name: unique('Org'), sector: 'vcse', email: 'not-an-email', postcode: 'XYZ', phone: 'call me',
      website: 'javascript:alert(1)',
    }, 422, { fields: ['email', 'postcode', 'phone', 'website'] });
    assert.equal(body.errors.length, 4);
  });

  test('control characters in a one-line field are 422', async () => {
    await refusePost('places', { name: `bell\u0007${unique()}` }, 422, { fields: ['name'] });
    await refusePost('places', { name: `two\nlines ${unique()}` }, 422, { fields: ['name'] });
  });

  test('a reference to a missing row is 422 "There is no place"', async () => {
    const body = await refusePost('neighbourhoods', hood({ place_id: 99999 }), 422, { fields: ['place_id'] });
    assert.match(errorMessage(body, 'place_id'), /There is no place/);
    const org = await refusePost('organisations', { name: unique('Org'), sector: 'vcse', place_ids: [1, 99999] }, 422, { fields: ['place_ids'] });
    assert.match(errorMessage(org, 'place_ids'), /There is no place/);
    await refusePost('people', { organisation_id: 99999, name: unique() }, 422, { fields: ['organisation_id'] });
  });

  test('a duplicate unique name is 422 naming name (after trimming)', async () => {
    const taken = (await getOk(lead, `${API}/places/1`)).name;
    await refusePost('places', { name: taken }, 422, { fields: ['name'] });
    await refusePost('places', { name: `  ${taken} ` }, 422, { fields: ['name'] });
    await assertRefused(admin, () => lead.patch(`${API}/places/2`, { name: taken }), 422, {
      fields: ['name'], reread: [`${API}/places/2`],
    });
    // Re-sending a record's own name is not a clash.
    assert.equal((await lead.patch(`${API}/places/1`, { name: taken })).status, 200);
  });

  test('a name of 201 characters is 422; 200 characters (even multi-byte) are fine', async () => {
    await refusePost('places', { name: 'n'.repeat(201) }, 422, { fields: ['name'] });
    const ascii = await create(lead, 'places', { name: `${unique('L')}`.padEnd(200, 'n') });
    assert.equal(ascii.name.length, 200);
    const wide = `${unique('é')}`.padEnd(200, 'é');
    assert.equal((await create(lead, 'places', { name: wide })).name, wide);
  });
});

describe('text is stored verbatim', () => {
  test('SQL metacharacters round-trip exactly and the table survives', async () => {
    const name = `Robert'); DROP TABLE places;-- ${unique()}`;
    const description = `"; DELETE FROM places WHERE '1'='1 \\ % _ ${'\u2603'}`;
    const p = await create(lead, 'places', { name, description });
    assert.equal(p.name, name);
    assert.equal(p.description, description);
    assert.equal((await getOk(lead, `${API}/places/${p.id}`)).name, name);
    const found = await getOk(lead, `${API}/places?q=${encodeURIComponent("Robert'); DROP")}`);
    assert.ok(found.items.some((x) => x.id === p.id));
    assert.ok((await getOk(lead, `${API}/places`)).total >= 5);
  });

  test('HTML stays verbatim in JSON; any HTML page shows it escaped', async () => {
    const name = `<script>alert(1)</script> & "quotes" ${unique()}`;
    const p = await create(lead, 'places', { name, description: '<img src=x onerror=alert(1)>' });
    const r = await lead.get(`${API}/places/${p.id}`);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.equal(r.data.name, name);
    const page = await lead.get(`/places/${p.id}`);
    if (page.status === 404) return; // the web layer is not built into this binary
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    assert.ok(page.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'escaped name missing');
    assert.ok(!page.text.includes('<script>alert'), 'raw script in the page');
    assert.ok(!page.text.includes('<img src=x'), 'raw img in the page');
  });
});

describe('credentials and CSRF', () => {
  test('a cookie POST without the CSRF header is 403 and creates nothing', async () => {
    const name = unique('No CSRF');
    const cookieOnly = new Client(server.url);
    cookieOnly.cookie = lead.cookie;
    await assertRefused(admin, () => cookieOnly.post(`${API}/places`, { name }), 403, { detail: 'CSRF' });
    await assertRefused(admin, () => cookieOnly.del(`${API}/places/2`), 403, { reread: [`${API}/places/2`] });
    assert.equal((await getOk(lead, `${API}/places?q=${encodeURIComponent(name)}`)).total, 0);
  });

  test('a wrong or another session\'s CSRF token is 403 for every method', async () => {
    const place = `${API}/places/2`;
    for (const token of ['wrong', '', admin.csrf]) {
      const headers = { 'X-CSRF-Token': token };
      await assertRefused(admin, () => lead.post(`${API}/places`, { name: unique() }, { headers }), 403);
      await assertRefused(admin, () => lead.patch(place, { description: 'x' }, { headers }), 403, { reread: [place] });
      await assertRefused(admin, () => lead.put(place, { name: 'x' }, { headers }), 403, { reread: [place] });
      await assertRefused(admin, () => lead.del(place, { headers }), 403, { reread: [place] });
    }
  });

  test('no credentials at all is 401 and creates nothing', async () => {
    const anon = new Client(server.url);
    await assertRefused(admin, () => anon.post(`${API}/places`, { name: unique() }), 401);
    await assertRefused(admin, () => anon.del(`${API}/places/2`), 401, { reread: [`${API}/places/2`] });
  });
});
