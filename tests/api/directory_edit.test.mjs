// Editing the directory over HTTP: a provider's new service waits for
// approval (and the public Open Referral API does not show it until then),
// who may change what, PATCH as a merge patch, versions with their diff,
// restore, delete and undelete, the approval queue, CSRF, and the purge
// 30 days after a deletion driven by `chis tick --at`.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, chis } from '../lib/server.mjs';
import { API, assertProblem, create, getOk, signInRoles, unique } from './helpers.mjs';

const D = `${API}/directory`;
let server, as, me, w;

before(async () => {
  server = await startServer();
  as = await signInRoles(server, ['admin', 'system_lead', 'place_lead', 'link_worker', 'provider', 'viewer']);
  me = {};
  for (const [role, c] of Object.entries(as)) me[role] = (await getOk(c, `${API}/session`)).user;
  w = {};
  // The provider's own directory organization, made by the provider (linked to their organisation).
  const mine = await as.provider.post(`${D}/organizations`, { name: unique('Provider Dir Org'), description: 'Ours' });
  assert.equal(mine.status, 201, mine.text);
  assert.equal(mine.data.organisation_id, me.provider.organisation_id);
  assert.match(mine.headers.get('location'), /^\/api\/v1\/directory\/organizations\//);
  w.mine = mine.data;
  // Another organisation in a place the place lead does not lead, with its own directory entry.
  const elsewhere = await create(as.system_lead, 'places', { name: unique('Elsewhere') });
  w.otherOrg = await create(as.system_lead, 'organisations', { name: unique('Other Org'), sector: 'vcse', place_ids: [elsewhere.id] });
  const other = await as.system_lead.post(`${D}/organizations`, { name: unique('Other Dir Org'), organisation_id: w.otherOrg.id });
  assert.equal(other.status, 201, other.text);
  w.other = other.data;
});
after(async () => { await server?.stop(); });

// A service document for a directory organization.
const service = (orgId, over = {}) => ({
  organization_id: orgId,
  name: unique('Singing Group'),
  description: 'Singing together, every week.',
  status: 'active',
  minimum_age: 18,
  service_at_locations: [{ location: { name: 'Church Hall', latitude: 53.72, longitude: -1.86, addresses: [{ address_1: '1 High Street', city: 'Riverside', postal_code: 'HX1 1AA', country: 'GB' }] } }],
  schedules: [{ freq: 'WEEKLY', byday: 'TU', opens_at: '10:00', closes_at: '12:00', description: 'Tuesday mornings' }],
  cost_options: [{ option: 'Per session', amount: 3, currency: 'GBP' }],
  ...over,
});

async function propose(over) {
  const r = await as.provider.post(`${D}/services`, service(w.mine.id, over));
  assert.equal(r.status, 201, r.text);
  return r;
}

const publicGet = (id) => fetch(`${server.url}/openreferral/services/${encodeURIComponent(id)}`);

describe('a provider proposes, a lead approves', () => {
  test('a new service is pending, hidden from the public until approved', async () => {
    const r = await propose();
    const s = r.data;
    assert.equal(s.state, 'pending');
    assert.equal(s.version, 1);
    assert.match(s.id, /^[0-9a-f-]{36}$/);
    assert.equal(r.headers.get('location'), `${D}/services/${s.id}`);
    assert.equal(s.service_at_locations.length, 1);
    assert.equal(s.schedules[0].opens_at, '10:00:00');
    assert.equal((await publicGet(s.id)).status, 404);
    // The provider sees it in their list, with its state.
    const mine = await getOk(as.provider, `${D}/services?waiting=true&per_page=100`);
    const row = mine.items.find((x) => x.id === s.id);
    assert.equal(row.state, 'pending');
    assert.equal(row.pending_version, 1);
    // A link worker and a viewer do not know it exists.
    assertProblem(await as.link_worker.get(`${D}/services/${s.id}`), 404);
    assertProblem(await as.viewer.get(`${D}/services/${s.id}`), 404);
    // The place lead finds it in the queue and approves it.
    const queue = await getOk(as.place_lead, `${D}/approvals`);
    const item = queue.items.find((x) => x.service_id === s.id);
    assert.equal(item.action, 'create');
    assert.equal(item.version, 1);
    assert.equal(item.created_by, server.logins.provider.email);
    assertProblem(await as.provider.post(`${D}/services/${s.id}/approve`, {}), 403);
    const ok = await as.place_lead.post(`${D}/services/${s.id}/approve`, { note: 'Welcome' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.data.state, 'published');
    const pub = await publicGet(s.id);
    assert.equal(pub.status, 200);
    assert.equal((await pub.json()).name, s.name);
    assertProblem(await as.place_lead.post(`${D}/services/${s.id}/approve`, {}), 409);
    const live = await getOk(as.link_worker, `${D}/services/${s.id}`);
    assert.equal(live.state, 'published');
    assert.equal(live.version, 1);
  });

  test('a lead\'s service is published at once', async () => {
    const r = await as.place_lead.post(`${D}/services`, service(w.mine.id));
    assert.equal(r.status, 201, r.text);
    assert.equal(r.data.state, 'published');
    assert.equal((await publicGet(r.data.id)).status, 200);
  });

  test('a provider\'s change waits as a new version; the live service is unchanged', async () => {
    const s = (await as.system_lead.post(`${D}/services`, service(w.mine.id))).data;
    const p = await as.provider.patch(`${D}/services/${s.id}`, { name: 'Renamed by provider', email: 'sing@example.org' });
    assert.equal(p.status, 202, p.text);
    assert.equal(p.data.state, 'pending');
    assert.equal(p.data.version, 2);
    assert.equal(p.data.name, 'Renamed by provider');
    assert.equal(p.data.schedules.length, 1, 'what the patch leaves out is kept');
    assert.equal((await (await publicGet(s.id)).json()).name, s.name);
    // A merge patch in its own media type, removing a member with null.
    const r = await as.provider.req('PATCH', `${D}/services/${s.id}`, {
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ email: null, minimum_age: 16 }),
    });
    assert.equal(r.status, 202, r.text);
    const doc = JSON.parse(r.text);
    assert.equal(doc.name, 'Renamed by provider', 'the second patch builds on the first');
    assert.equal(doc.email, undefined);
    assert.equal(doc.minimum_age, 16);
    // Versions: who and when, the earlier proposal withdrawn.
    const v = await getOk(as.provider, `${D}/services/${s.id}/versions`);
    assert.deepEqual(v.items.map((x) => [x.version, x.state, x.action]),
      [[3, 'pending', 'update'], [2, 'withdrawn', 'update'], [1, 'published', 'create']]);
    assert.equal(v.items[0].created_by, server.logins.provider.email);
    assert.equal(v.items[0].created_by_user_id, me.provider.id);
    assert.match(v.items[0].created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // The diff against the live version names each change.
    const one = await getOk(as.place_lead, `${D}/services/${s.id}/versions/3`);
    assert.equal(one.compared_with, 1);
    assert.equal(one.document.name, 'Renamed by provider');
    const byPath = Object.fromEntries(one.diff.map((d) => [d.path, d]));
    assert.deepEqual(byPath.name, { path: 'name', change: 'changed', old: s.name, new: 'Renamed by provider' });
    assert.equal(byPath.minimum_age.change, 'changed');
    assert.equal(byPath.minimum_age.old, 18);
    assert.equal(byPath.minimum_age.new, 16);
    assert.equal(byPath.email, undefined, 'added then removed: no change');
    assert.equal(byPath.last_modified, undefined);
    // Any other version can be compared with.
    const against2 = await getOk(as.place_lead, `${D}/services/${s.id}/versions/3?against=2`);
    assert.equal(against2.compared_with, 2);
    assert.deepEqual(against2.diff.find((d) => d.path === 'email'), { path: 'email', change: 'removed', old: 'sing@example.org', new: null });
    assertProblem(await as.place_lead.get(`${D}/services/${s.id}/versions/3?against=99`), 400, { fields: ['against'] });
    assertProblem(await as.place_lead.get(`${D}/services/${s.id}/versions/99`), 404);
    assertProblem(await as.link_worker.get(`${D}/services/${s.id}/versions`), 403);
    // Rejected with a note: the live service stays as it was.
    assertProblem(await as.place_lead.post(`${D}/services/${s.id}/reject`, {}), 422, { fields: ['note'] });
    const rej = await as.place_lead.post(`${D}/services/${s.id}/reject`, { note: 'Keep the old name' });
    assert.equal(rej.status, 200, rej.text);
    assert.equal(rej.data.state, 'rejected');
    const after3 = await getOk(as.provider, `${D}/services/${s.id}/versions/3`);
    assert.equal(after3.decision_note, 'Keep the old name');
    assert.equal(after3.decided_by, server.logins.place_lead.email);
    assert.equal((await (await publicGet(s.id)).json()).name, s.name);
  });
});

describe('who may change what', () => {
  test('a provider cannot touch another organisation\'s services', async () => {
    const theirs = (await as.system_lead.post(`${D}/services`, service(w.other.id))).data;
    assertProblem(await as.provider.patch(`${D}/services/${theirs.id}`, { name: 'Mine now' }), 403);
    assertProblem(await as.provider.del(`${D}/services/${theirs.id}`), 403);
    assertProblem(await as.provider.post(`${D}/services`, service(w.other.id)), 403);
    assertProblem(await as.place_lead.patch(`${D}/services/${theirs.id}`, { name: 'Not my place' }), 403);
    assertProblem(await as.place_lead.post(`${D}/services/${theirs.id}/approve`, {}), 403);
    assertProblem(await as.link_worker.patch(`${D}/services/${theirs.id}`, { name: 'x' }), 403);
    assertProblem(await as.viewer.post(`${D}/services`, service(w.mine.id)), 403);
    assertProblem(await as.provider.post(`${D}/organizations`, { name: 'Hijack', organisation_id: w.otherOrg.id }), 403);
    assertProblem(await as.provider.post(`${D}/organizations`, { id: w.other.id, name: 'Hijack' }), 403);
    // A pending service of another organisation does not exist for them.
    const other = new Client(server.url);
    const email = `${unique('p').replace(/\W+/g, '.')}@example.org`.toLowerCase();
    await create(as.admin, 'users', { email, name: 'Other Provider', role: 'provider', organisation_id: w.otherOrg.id, password: 'a long enough password' });
    await other.signIn(email, 'a long enough password');
    const hidden = (await other.post(`${D}/services`, service(w.other.id))).data;
    assert.equal(hidden.state, 'pending');
    assertProblem(await as.provider.get(`${D}/services/${hidden.id}`), 404);
    assertProblem(await as.provider.patch(`${D}/services/${hidden.id}`, { name: 'x' }), 404);
    assertProblem(await as.place_lead.post(`${D}/services/${hidden.id}/approve`, {}), 404);
    const q = await getOk(as.system_lead, `${D}/approvals?per_page=100`);
    assert.ok(q.items.some((x) => x.service_id === hidden.id));
    assert.ok(!(await getOk(as.place_lead, `${D}/approvals?per_page=100`)).items.some((x) => x.service_id === hidden.id));
    assertProblem(await as.provider.get(`${D}/approvals`), 403);
    assert.equal((await getOk(as.link_worker, `${D}/services`)).total, 0);
  });

  test('bad input: 422 naming the document path, 400 for bad parameters', async () => {
    const bad = service(w.mine.id, { status: 'sometimes', schedules: [{ opens_at: 'lunchtime' }] });
    bad.service_at_locations[0].location.latitude = 123;
    const body = assertProblem(await as.provider.post(`${D}/services`, bad), 422,
      { fields: ['status', 'schedules[0].opens_at', 'service_at_locations[0].location.latitude'] });
    assert.ok(body.errors.length >= 3);
    assertProblem(await as.provider.post(`${D}/services`, service('no-such-organization')), 422, { fields: ['organization_id'] });
    assertProblem(await as.provider.post(`${D}/services`, [1, 2]), 400);
    assertProblem(await as.provider.req('POST', `${D}/services`, { headers: { 'Content-Type': 'text/plain' }, body: '{}' }), 415);
    assertProblem(await as.provider.get(`${D}/services?state=weird`), 400, { fields: ['state'] });
    assertProblem(await as.provider.get(`${D}/services?colour=blue`), 400, { fields: ['colour'] });
    assertProblem(await as.provider.get(`${D}/services/no-such-service`), 404);
    const s = (await propose()).data;
    assertProblem(await as.provider.patch(`${D}/services/${s.id}`, { id: 'another-id' }), 422, { fields: ['id'] });
    assertProblem(await as.provider.post(`${D}/services`, { ...service(w.mine.id), id: s.id }), 409);
  });

  test('CSRF: a cookie session must send its token', async () => {
    const s = (await propose()).data;
    assertProblem(await as.provider.patch(`${D}/services/${s.id}`, { name: 'x' }, { headers: { 'X-CSRF-Token': 'wrong' } }), 403);
    assertProblem(await as.provider.post(`${D}/services`, service(w.mine.id), { headers: { 'X-CSRF-Token': 'wrong' } }), 403);
    const v = await getOk(as.provider, `${D}/services/${s.id}/versions`);
    assert.equal(v.total, 1);
    assert.equal((await as.provider.get(`${D}/services/${s.id}`)).status, 200);
  });
});

describe('restore, delete and undelete', () => {
  test('restoring an old version makes a new one', async () => {
    const s = (await as.system_lead.post(`${D}/services`, service(w.mine.id))).data;
    const p = await as.system_lead.patch(`${D}/services/${s.id}`, { name: 'Second name' });
    assert.equal(p.status, 200, p.text);
    assert.equal(p.data.state, 'published');
    const r = await as.system_lead.post(`${D}/services/${s.id}/versions/1/restore`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.version, 3);
    assert.equal(r.data.name, s.name);
    assert.equal((await (await publicGet(s.id)).json()).name, s.name);
    const byProvider = await as.provider.post(`${D}/services/${s.id}/versions/2/restore`, {});
    assert.equal(byProvider.status, 202, byProvider.text);
    assert.equal(byProvider.data.state, 'pending');
    assert.equal((await (await publicGet(s.id)).json()).name, s.name);
    const v = await getOk(as.provider, `${D}/services/${s.id}/versions`);
    assert.deepEqual(v.items.map((x) => [x.version, x.action, x.state]),
      [[4, 'restore', 'pending'], [3, 'restore', 'published'], [2, 'update', 'superseded'], [1, 'create', 'superseded']]);
    assertProblem(await as.provider.post(`${D}/services/${s.id}/versions/77/restore`, {}), 404);
  });

  test('a provider\'s delete waits; a lead\'s is immediate; undelete; purge after 30 days', async () => {
    const s = (await as.place_lead.post(`${D}/services`, service(w.mine.id))).data;
    const d = await as.provider.del(`${D}/services/${s.id}`);
    assert.equal(d.status, 202, d.text);
    assert.equal(d.data.state, 'pending');
    assert.equal(d.data.action, 'delete');
    assert.equal((await publicGet(s.id)).status, 200, 'still public until approved');
    const ok = await as.place_lead.post(`${D}/services/${s.id}/approve`, {});
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await publicGet(s.id)).status, 404);
    assertProblem(await as.link_worker.get(`${D}/services/${s.id}`), 404);
    const deleted = await getOk(as.provider, `${D}/services?deleted=true&per_page=100`);
    assert.ok(deleted.items.find((x) => x.id === s.id).deleted_at);
    assertProblem(await as.provider.patch(`${D}/services/${s.id}`, { name: 'x' }), 409);
    assertProblem(await as.provider.del(`${D}/services/${s.id}`), 409);
    // The lead undeletes it at once.
    const u = await as.place_lead.post(`${D}/services/${s.id}/undelete`);
    assert.equal(u.status, 200, u.text);
    assert.equal(u.data.state, 'published');
    assert.equal((await publicGet(s.id)).status, 200);
    assertProblem(await as.place_lead.post(`${D}/services/${s.id}/undelete`), 409);
    // A lead's delete is immediate, and the tick 31 days later purges it.
    const gone = await as.place_lead.del(`${D}/services/${s.id}`);
    assert.equal(gone.status, 200, gone.text);
    assert.ok(gone.data.deleted_at);
    assert.equal((await publicGet(s.id)).status, 404);
    const later = new Date(Date.parse(gone.data.deleted_at) + 31 * 86400 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const out = chis(['tick', '--at', later, '--db', server.db]);
    assert.match(out, new RegExp(`purged service .*${s.id}`));
    assertProblem(await as.place_lead.get(`${D}/services/${s.id}`), 404);
    assertProblem(await as.place_lead.post(`${D}/services/${s.id}/undelete`), 404);
    const audit = await getOk(as.admin, `${API}/audit?entity=directory_services&action=purge`);
    assert.ok(audit.total >= 1);
  });
});

// A client with no sign-in, for the public API.
function anonClient() {
  return new Client(server.url);
}

describe('organizations and the audit log', () => {
  test('organizations list, read and update', async () => {
    const list = await getOk(as.provider, `${D}/organizations`);
    assert.ok(list.items.some((x) => x.id === w.mine.id));
    assert.ok(!list.items.some((x) => x.id === w.other.id));
    const all = await getOk(as.viewer, `${D}/organizations?all=true&per_page=100`);
    assert.ok(all.total >= 2);
    const one = await getOk(as.link_worker, `${D}/organizations/${w.mine.id}`);
    assert.equal(one.name, w.mine.name);
    assert.equal(one.organisation_id, me.provider.organisation_id);
    // Listed (it has a published service by now), the organization's public
    // face changes only by a lead: a provider's change would skip approval.
    assert.ok((await getOk(anonClient(), `/openreferral/services?organization_id=${w.mine.id}`)).total_items > 0);
    assertProblem(await as.provider.post(`${D}/organizations`, { id: w.mine.id, name: 'NHS Official Line', website: 'https://phish.example.net' }), 403);
    assert.equal((await getOk(as.link_worker, `${D}/organizations/${w.mine.id}`)).name, w.mine.name);
    const upd = await as.place_lead.post(`${D}/organizations`, { id: w.mine.id, name: w.mine.name, description: 'Updated' });
    assert.equal(upd.status, 200, upd.text);
    assert.equal(upd.data.description, 'Updated');
    assertProblem(await as.provider.get(`${D}/organizations/nope`), 404);
    assertProblem(await as.provider.post(`${D}/organizations`, { name: 'x', organisation_id: 'seven' }), 422, { fields: ['organisation_id'] });
  });

  test('every write is audited', async () => {
    const s = (await propose()).data;
    const entries = await getOk(as.admin, `${API}/audit?entity=directory_services&action=propose&per_page=100`);
    const e = entries.items.find((x) => x.after?.service_id === s.id);
    assert.ok(e, 'the proposal is in the audit log');
    assert.equal(e.actor, server.logins.provider.email);
    assert.equal(e.after.state, 'pending');
    const orgs = await getOk(as.admin, `${API}/audit?entity=directory_organizations`);
    assert.ok(orgs.total >= 2);
  });
});
