// Who may do what: every rule is decided in the domain and holds over the API.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import {
  API, assertProblem, assertRefused, create, getOk, listAll, signInRoles, unique,
} from './helpers.mjs';

let server, as, me;

before(async () => {
  server = await startServer();
  as = await signInRoles(server, ['admin', 'system_lead', 'place_lead', 'link_worker', 'provider', 'viewer']);
  me = {};
  for (const [role, c] of Object.entries(as)) me[role] = (await getOk(c, `${API}/session`)).user;
});
after(async () => { await server?.stop(); });

const refuse = (role, method, path, body, status = 403) =>
  assertRefused(as.admin, () => as[role].req(method, path, body === undefined ? {} : { json: body }),
    status, { reread: path.match(/\/\d+$/) ? [path] : [] });

// An organisation serving only `placeId`, and one of its people, made by the system lead.
async function orgIn(placeId) {
  const org = await create(as.system_lead, 'organisations', { name: unique('Org'), sector: 'vcse', place_ids: [placeId] });
  const person = await create(as.system_lead, 'people', { organisation_id: org.id, name: unique('Person') });
  return { org, person };
}

describe('read-only roles', () => {
  for (const role of ['viewer', 'link_worker']) {
    test(`${role} reads the structure (200)`, async () => {
      for (const e of ['places', 'neighbourhoods', 'organisations', 'people']) {
        const d = await getOk(as[role], `${API}/${e}`);
        assert.ok(d.total > 0, e);
        await getOk(as[role], `${API}/${e}/${d.items[0].id}`);
      }
      await getOk(as[role], `${API}/system`);
    });

    test(`${role}: every write is 403 and changes nothing`, async () => {
      const writes = [
        ['POST', `${API}/places`, { name: unique() }],
        ['PATCH', `${API}/places/1`, { description: 'x' }],
        ['PUT', `${API}/places/1`, { name: 'x' }],
        ['DELETE', `${API}/places/4`],
        ['POST', `${API}/neighbourhoods`, { place_id: 1, name: unique(), population: 1, imd_decile: 1 }],
        ['PATCH', `${API}/neighbourhoods/1`, { population: 1 }],
        ['DELETE', `${API}/neighbourhoods/1`],
        ['POST', `${API}/organisations`, { name: unique(), sector: 'vcse' }],
        ['PATCH', `${API}/organisations/${me[role].organisation_id}`, { phone: '01632 960 999' }],
        ['DELETE', `${API}/organisations/60`],
        ['POST', `${API}/people`, { organisation_id: me[role].organisation_id, name: unique() }],
        ['PATCH', `${API}/people/1`, { job_title: 'x' }],
        ['DELETE', `${API}/people/1`],
        ['POST', `${API}/users`, { email: 'x@y.example', name: 'X', role: 'admin', organisation_id: 1, password: 'long enough password' }],
        ['PATCH', `${API}/users/${me[role].id}`, { role: 'admin' }],
      ];
      for (const [method, path, body] of writes) await refuse(role, method, path, body);
    });
  }
});

describe('provider', () => {
  const own = () => `${API}/organisations/${me.provider.organisation_id}`;

  test('may change its own organisation\'s details', async () => {
    const r = await as.provider.patch(own(), { phone: '01632 960 123', address: 'New hall\nHigh Street' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.phone, '01632 960 123');
    assert.equal((await getOk(as.admin, own())).address, 'New hall\nHigh Street');
  });

  test('gets 403 on another organisation', async () => {
    const other = me.provider.organisation_id === 18 ? 19 : 18;
    await refuse('provider', 'PATCH', `${API}/organisations/${other}`, { phone: '01632 960 124' });
    await refuse('provider', 'DELETE', `${API}/organisations/${other}`);
  });

  test('gets 403 changing its own places, or deleting itself', async () => {
    const current = (await getOk(as.admin, own())).place_ids;
    await refuse('provider', 'PATCH', own(), { place_ids: [...current, 4] });
    await refuse('provider', 'PATCH', own(), { place_ids: [] });
    await refuse('provider', 'DELETE', own());
  });

  test('may create a person in its own organisation, not in another', async () => {
    const p = await create(as.provider, 'people', { organisation_id: me.provider.organisation_id, name: unique('Volunteer') });
    assert.equal(p.organisation_id, me.provider.organisation_id);
    await refuse('provider', 'POST', `${API}/people`, { organisation_id: 18, name: unique() });
    // nor move its person elsewhere, nor link a user account
    await refuse('provider', 'PATCH', `${API}/people/${p.id}`, { organisation_id: 18 });
    await refuse('provider', 'PATCH', `${API}/people/${p.id}`, { user_id: me.viewer.id });
    assert.equal((await as.provider.del(`${API}/people/${p.id}`)).status, 204);
  });

  test('gets 403 changing someone in another organisation', async () => {
    const { person } = await orgIn(2);
    await refuse('provider', 'PATCH', `${API}/people/${person.id}`, { job_title: 'x' });
    await refuse('provider', 'DELETE', `${API}/people/${person.id}`);
  });
});

describe('place lead', () => {
  let mine, other;
  before(() => {
    assert.ok(me.place_lead.place_ids.length > 0);
    mine = me.place_lead.place_ids[0];
    other = [1, 2, 3, 4].find((p) => !me.place_lead.place_ids.includes(p));
  });

  test('may create a neighbourhood in its place, 403 in another', async () => {
    const n = await create(as.place_lead, 'neighbourhoods', { place_id: mine, name: unique('Hood'), population: 10, imd_decile: 2 });
    assert.equal(n.place_id, mine);
    await refuse('place_lead', 'POST', `${API}/neighbourhoods`, { place_id: other, name: unique(), population: 10, imd_decile: 2 });
  });

  test('may not move a neighbourhood to another place, nor touch one there', async () => {
    const [inMine] = await listAll(as.admin, `${API}/neighbourhoods?place_id=${mine}`);
    const [inOther] = await listAll(as.admin, `${API}/neighbourhoods?place_id=${other}`);
    await refuse('place_lead', 'PATCH', `${API}/neighbourhoods/${inMine.id}`, { place_id: other });
    await refuse('place_lead', 'PATCH', `${API}/neighbourhoods/${inOther.id}`, { population: 1 });
    await refuse('place_lead', 'PATCH', `${API}/neighbourhoods/${inOther.id}`, { place_id: mine });
    await refuse('place_lead', 'DELETE', `${API}/neighbourhoods/${inOther.id}`);
    const r = await as.place_lead.patch(`${API}/neighbourhoods/${inMine.id}`, { population: inMine.population + 1 });
    assert.equal(r.status, 200, r.text);
  });

  test('may change its own place, 403 on another', async () => {
    const r = await as.place_lead.patch(`${API}/places/${mine}`, { description: 'Led here' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.description, 'Led here');
    await refuse('place_lead', 'PATCH', `${API}/places/${other}`, { description: 'Not mine' });
  });

  test('may not create or delete places', async () => {
    await refuse('place_lead', 'POST', `${API}/places`, { name: unique() });
    await refuse('place_lead', 'DELETE', `${API}/places/${mine}`);
    await refuse('place_lead', 'DELETE', `${API}/places/${other}`);
  });

  test('organisations: only within its places', async () => {
    const org = await create(as.place_lead, 'organisations', { name: unique('Local'), sector: 'vcse', place_ids: [mine] });
    await refuse('place_lead', 'POST', `${API}/organisations`, { name: unique(), sector: 'vcse', place_ids: [other] });
    await refuse('place_lead', 'POST', `${API}/organisations`, { name: unique(), sector: 'vcse' });
    await refuse('place_lead', 'PATCH', `${API}/organisations/${org.id}`, { place_ids: [mine, other] });
    const { org: elsewhere, person } = await orgIn(other);
    await refuse('place_lead', 'PATCH', `${API}/organisations/${elsewhere.id}`, { phone: '01632 960 555' });
    await refuse('place_lead', 'PATCH', `${API}/people/${person.id}`, { job_title: 'x' });
    await refuse('place_lead', 'POST', `${API}/people`, { organisation_id: elsewhere.id, name: unique() });
    await create(as.place_lead, 'people', { organisation_id: org.id, name: unique('Local person') });
  });

  test('an organisation shared with another place: only its own place link, not the details', async () => {
    // structure.c: a place lead changes "organisations serving only within their places
    // (and the place links they hold)".
    const shared = await create(as.system_lead, 'organisations', { name: unique('Shared'), sector: 'vcse', place_ids: [mine, other] });
    await refuse('place_lead', 'PATCH', `${API}/organisations/${shared.id}`, { name: unique('Renamed by one lead') });
    await refuse('place_lead', 'DELETE', `${API}/organisations/${shared.id}`);
    const r = await as.place_lead.patch(`${API}/organisations/${shared.id}`, { place_ids: [other] });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.data.place_ids, [other]);
  });
});

describe('users', () => {
  const newUser = (extra = {}) => ({
    email: `${unique('u').replace(/\W/g, '')}@example.org`, name: 'New User', role: 'viewer',
    organisation_id: 1, password: 'a long enough password', ...extra,
  });
  const noSecrets = (r) => assert.ok(!/password/i.test(r.text), `password material in ${r.text}`);

  test('admin creates a user (201) and no password material comes back', async () => {
    const r = await as.admin.post(`${API}/users`, newUser({ email: 'Mixed.Case@Example.ORG' }));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.data.email, 'mixed.case@example.org');
    assert.equal(r.data.disabled, false);
    noSecrets(r);
  });

  test('others may not create users', async () => {
    for (const role of ['system_lead', 'place_lead', 'provider']) await refuse(role, 'POST', `${API}/users`, newUser());
  });

  test('a short password is 422 naming password, with a detail', async () => {
    const body = await assertRefused(as.admin, () => as.admin.post(`${API}/users`, newUser({ password: 'short' })), 422, { fields: ['password'] });
    assert.equal(typeof body.detail, 'string', `422 without a detail: ${JSON.stringify(body)}`);
    await assertRefused(as.admin, () => as.admin.post(`${API}/users`, newUser({ password: undefined })), 422, { fields: ['password'] });
  });

  test('a place lead without places is 422 naming place_ids', async () => {
    await assertRefused(as.admin, () => as.admin.post(`${API}/users`, newUser({ role: 'place_lead' })), 422, { fields: ['place_ids'] });
    await assertRefused(as.admin, () => as.admin.post(`${API}/users`, newUser({ place_ids: [1] })), 422, { fields: ['place_ids'] });
    const ok = await create(as.admin, 'users', newUser({ role: 'place_lead', place_ids: [2] }));
    assert.deepEqual(ok.place_ids, [2]);
  });

  test('password_hash can be neither set nor seen', async () => {
    await assertRefused(as.admin, () => as.admin.post(`${API}/users`, newUser({ password_hash: '$argon2id$x' })), 422, { fields: ['password_hash'] });
    for (const path of [`${API}/users`, `${API}/users/1`, `${API}/users?per_page=100`]) noSecrets(await as.admin.get(path));
    noSecrets(await as.admin.patch(`${API}/users/${me.viewer.id}`, { name: 'Val Viewer' }));
    noSecrets(await as.admin.get(`${API}/audit?entity=users&per_page=1000`));
  });

  test('system_lead lists users; viewer gets 403 on the list, 200 on itself, 404 on others', async () => {
    const d = await getOk(as.system_lead, `${API}/users`);
    assert.ok(d.total >= 6);
    assertProblem(await as.viewer.get(`${API}/users`), 403);
    const self = await getOk(as.viewer, `${API}/users/${me.viewer.id}`);
    assert.equal(self.email, me.viewer.email);
    assertProblem(await as.viewer.get(`${API}/users/${me.admin.id}`), 404);
    assertProblem(await as.provider.get(`${API}/users/${me.viewer.id}`), 404);
  });

  test('users may not change themselves through the API', async () => {
    await refuse('viewer', 'PATCH', `${API}/users/${me.viewer.id}`, { name: 'Me' });
    await refuse('system_lead', 'PATCH', `${API}/users/${me.system_lead.id}`, { role: 'admin' });
  });

  test('admin cannot disable or demote itself (422)', async () => {
    await assertRefused(as.admin, () => as.admin.patch(`${API}/users/${me.admin.id}`, { disabled: true }), 422, {
      fields: ['disabled'], reread: [`${API}/users/${me.admin.id}`],
    });
    await assertRefused(as.admin, () => as.admin.patch(`${API}/users/${me.admin.id}`, { role: 'viewer' }), 422, {
      fields: ['role'], reread: [`${API}/users/${me.admin.id}`],
    });
    await getOk(as.admin, `${API}/session`);
  });

  test('a user with history cannot be deleted (409: disable instead)', async () => {
    await assertRefused(as.admin, () => as.admin.del(`${API}/users/${me.provider.id}`), 409, {
      detail: 'disable', reread: [`${API}/users/${me.provider.id}`],
    });
  });

  test('a change of role takes effect on the next request', async () => {
    const body = newUser({ role: 'system_lead' });
    const u = await create(as.admin, 'users', body);
    const c = new Client(server.url);
    await c.signIn(body.email, body.password);
    const place = await create(c, 'places', { name: unique('By a lead') });
    assert.equal((await as.admin.patch(`${API}/users/${u.id}`, { role: 'viewer' })).status, 200);
    await assertRefused(as.admin, () => c.patch(`${API}/places/${place.id}`, { description: 'x' }), 403, {
      reread: [`${API}/places/${place.id}`],
    });
  });

  test('disabling a user ends their session, and they cannot sign in again', async () => {
    const body = newUser();
    const u = await create(as.admin, 'users', body);
    const c = new Client(server.url);
    await c.signIn(body.email, body.password);
    await getOk(c, `${API}/places`);
    const r = await as.admin.patch(`${API}/users/${u.id}`, { disabled: true });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.disabled, true);
    assertProblem(await c.get(`${API}/places`), 401);
    const again = await new Client(server.url).req('POST', `${API}/session`, { json: { email: body.email, password: body.password } });
    assertProblem(again, 401);
    assert.equal((await getOk(as.system_lead, `${API}/system`)).counts.users,
      (await listAll(as.admin, `${API}/users`)).filter((x) => !x.disabled).length);
  });
});
