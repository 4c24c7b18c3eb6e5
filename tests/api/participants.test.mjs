// Participants over HTTP against the real binary: creating and placing a
// person by postcode (with the geography loaded by `chis import postcodes`,
// `chis import imd` and `chis import lsoas` from tests/fixtures/geo), the
// NHS number check, who sees a person (another organisation, leads, viewers,
// administrators), changing, consent, subject access export, erasure, the
// retention setting and `chis retention run` with the clock moved on, and a
// neighbourhood's LSOAs.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, chis, chisStatus } from '../lib/server.mjs';
import { API, assertProblem, create, getOk, signInRoles, unique } from './helpers.mjs';

const PW = 'a long enough password';
const FIX = 'tests/fixtures/geo';

let server, as, me, w;

// A new user (made by the admin) and a client signed in as them.
async function newUser(role, organisationId) {
  const email = `${unique('u').replace(/\W+/g, '.')}@example.org`.toLowerCase();
  await create(as.admin, 'users', { email, name: unique('User'), role, organisation_id: organisationId, password: PW });
  const c = new Client(server.url);
  await c.signIn(email, PW);
  return c;
}

before(async () => {
  server = await startServer();
  as = await signInRoles(server, ['admin', 'system_lead', 'place_lead', 'link_worker', 'provider', 'viewer']);
  me = {};
  for (const [role, c] of Object.entries(as)) me[role] = (await getOk(c, `${API}/session`)).user;
  const led = me.place_lead.place_ids[0];
  const nb = (name, code, imd) => create(as.system_lead, 'neighbourhoods', { place_id: led, name: unique(name), code, population: 5000, imd_decile: imd });
  w = { led };
  w.central = await nb('Central', 'TST-HX-CENTRAL', 5);
  w.west = await nb('West', 'TST-HX-WEST', 6);
  w.other = await create(as.system_lead, 'organisations', { name: unique('Other Org'), sector: 'vcse', place_ids: [led] });
  w.otherLinkWorker = await newUser('link_worker', w.other.id);
  w.otherProvider = await newUser('provider', w.other.id);
});
after(async () => { await server?.stop(); });

const person = (over = {}) => ({ name: 'Ada Lovelace', date_of_birth: '1980-05-17', ...over });

// Create as the demo link worker; insists on 201 and the Location.
async function createPerson(over, client = as.link_worker) {
  const r = await client.post(`${API}/participants`, person(over));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.get('location'), `${API}/participants/${r.data.id}`);
  return r.data;
}

describe('the geography', () => {
  test('chis import postcodes, imd and lsoas load the fixture slices', () => {
    let out = chis(['import', 'postcodes', `${FIX}/nspl-hx-slice.csv`, '--db', server.db]);
    assert.match(out, /imported 6 postcodes from 7 rows \(skipped 1 terminated/);
    out = chis(['import', 'imd', `${FIX}/imd2019-slice.csv`, '--db', server.db]);
    assert.match(out, /imported 4 LSOA deprivation deciles from 4 rows/);
    out = chis(['import', 'lsoas', `${FIX}/neighbourhood-lsoas.csv`, '--db', server.db]);
    assert.match(out, /imported 3 LSOA neighbourhoods from 3 rows/);
    // Again: nothing changes.
    out = chis(['import', 'lsoas', `${FIX}/neighbourhood-lsoas.csv`, '--db', server.db]);
    assert.match(out, /imported 0 LSOA neighbourhoods from 3 rows/);
  });

  test('a file with bad rows is refused whole, each row named', async () => {
    const r = chisStatus(['import', 'lsoas', `${FIX}/neighbourhood-lsoas-bad.csv`, '--db', server.db]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /row 3: 'HX1 1AA' is not an LSOA code/);
    assert.match(r.stderr, /row 4: there is no neighbourhood 'NO-SUCH-NEIGHBOURHOOD'/);
    const missing = chisStatus(['import', 'imd', `${FIX}/neighbourhood-lsoas.csv`, '--db', server.db]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /lsoa_code and IMD_decile/);
    const got = await getOk(as.viewer, `${API}/neighbourhoods/${w.central.id}/lsoas`);
    assert.deepEqual(got, { neighbourhood_id: w.central.id, lsoas: ['E01010994', 'E01010995'] });
  });
});

describe('creating and placing', () => {
  test('201 with Location; the postcode places the person', async () => {
    const p = await createPerson({ postcode: 'hx1 1aa', nhs_number: '943 476 5919', sex: 'female', ethnicity: 'white_irish' });
    assert.equal(p.postcode, 'HX1 1AA');
    assert.equal(p.nhs_number, '9434765919');
    assert.equal(p.lsoa, 'E01010994');
    assert.equal(p.neighbourhood_id, w.central.id);
    assert.equal(p.place_id, w.led);
    assert.equal(p.imd_decile, 1); // the LSOA's own decile, not the neighbourhood's 5
    assert.equal(p.organisation_id, me.link_worker.organisation_id);
    assert.equal(p.ethnicity_group, 'white');
    assert.equal(p.consent_referral_to_provider, true);
    assert.equal(p.consent_story_public, false);
    assert.equal(p.anonymised_at, null);
    // An LSOA with no decile of its own takes its neighbourhood's.
    const q = await createPerson({ postcode: 'HX1 1QU' });
    assert.equal(q.neighbourhood_id, w.west.id);
    assert.equal(q.imd_decile, 6);
    // An unknown postcode is kept, unplaced.
    const u = await createPerson({ postcode: 'ZZ9 9ZZ' });
    assert.equal(u.postcode, 'ZZ9 9ZZ');
    assert.equal(u.neighbourhood_id, null);
    assert.equal(u.imd_decile, null);
  });

  test('an invalid NHS number is 422 naming nhs_number, and nothing is written', async () => {
    const before = await getOk(as.link_worker, `${API}/participants?per_page=1`);
    let r = await as.link_worker.post(`${API}/participants`, person({ nhs_number: '943 476 5918' }));
    assertProblem(r, 422, { fields: ['nhs_number'] });
    r = await as.link_worker.post(`${API}/participants`, person({ postcode: 'not a postcode', date_of_birth: '2999-01-01', sex: 'woman', shoe_size: 9 }));
    const body = assertProblem(r, 422, { fields: ['postcode', 'date_of_birth', 'sex', 'shoe_size'] });
    assert.ok(body.errors.length >= 4);
    r = await as.link_worker.post(`${API}/participants`, {});
    assertProblem(r, 422, { fields: ['name', 'date_of_birth'] });
    const afterList = await getOk(as.link_worker, `${API}/participants?per_page=1`);
    assert.equal(afterList.total, before.total);
  });

  test('leads and viewers may not create (403); an administrator may', async () => {
    for (const role of ['viewer', 'place_lead', 'system_lead']) {
      const r = await as[role].post(`${API}/participants`, person());
      assertProblem(r, 403);
    }
    const r = await as.admin.post(`${API}/participants`, person({ name: 'Made By Admin' }));
    assert.equal(r.status, 201, r.text);
    // ...but does not then see them: administrators see aggregates only.
    assertProblem(await as.admin.get(`${API}/participants/${r.data.id}`), 404);
  });
});

describe('who sees a person', () => {
  test('another organisation, leads, viewers and administrators get 404', async () => {
    const p = await createPerson({ name: 'Private Person' });
    const path = `${API}/participants/${p.id}`;
    // The holding organisation: its link worker and provider.
    assert.equal((await getOk(as.link_worker, path)).name, 'Private Person');
    if (me.provider.organisation_id === me.link_worker.organisation_id)
      assert.equal((await getOk(as.provider, path)).name, 'Private Person');
    for (const c of [w.otherLinkWorker, w.otherProvider, as.viewer, as.place_lead, as.system_lead, as.admin]) {
      assertProblem(await c.get(path), 404);
      assertProblem(await c.get(`${path}/export`), 404);
      assertProblem(await c.get(`${path}/consents`), 404);
      assertProblem(await c.patch(path, { name: 'Mallory' }), 404);
      assertProblem(await c.post(`${path}/consents`, { scope: 'story_public', given: true, method: 'verbal' }), 404);
      assertProblem(await c.post(`${path}/erasure`, {}), 404);
    }
    // The same answer as for an id that does not exist.
    const none = await w.otherLinkWorker.get(`${API}/participants/999999`);
    assertProblem(none, 404);
    // Lists: the other organisation sees none of ours, a viewer sees nobody.
    const theirs = await getOk(w.otherLinkWorker, `${API}/participants?q=Private`);
    assert.equal(theirs.total, 0);
    const viewer = await getOk(as.viewer, `${API}/participants`);
    assert.equal(viewer.total, 0);
    const ours = await getOk(as.link_worker, `${API}/participants?q=private%20person`);
    assert.deepEqual(ours.items.map((x) => x.id), [p.id]);
    assertProblem(await as.link_worker.get(`${API}/participants?colour=red`), 400);
  });

  test('every read is audited, and the audit log keeps no personal details', async () => {
    const p = await createPerson({ name: 'Audrey Auditable', phone: '01632 960 001' });
    await getOk(as.link_worker, `${API}/participants/${p.id}`);
    const reads = await getOk(as.admin, `${API}/audit?entity=participants&entity_id=${p.id}&action=read`);
    assert.ok(reads.total >= 1);
    assert.equal(reads.items[0].actor_user_id, me.link_worker.id);
    const writes = await getOk(as.admin, `${API}/audit?entity=participants&entity_id=${p.id}&action=create`);
    assert.equal(writes.total, 1);
    const text = JSON.stringify(writes.items[0]);
    assert.ok(!text.includes('Audrey'), text);
    assert.ok(!text.includes('01632'), text);
    assert.match(text, /name,date_of_birth,phone/);
  });
});

describe('changing, consent, export, erasure', () => {
  test('PATCH changes the fields sent and places the person again', async () => {
    const p = await createPerson({ postcode: 'HX1 1AA' });
    const r = await as.link_worker.patch(`${API}/participants/${p.id}`, { postcode: 'HX1 2AR', phone: '01632 960 002' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.neighbourhood_id, w.west.id);
    assert.equal(r.data.phone, '01632 960 002');
    assert.equal(r.data.name, 'Ada Lovelace');
    assertProblem(await as.link_worker.patch(`${API}/participants/${p.id}`, { email: 'not an email' }), 422, { fields: ['email'] });
    assertProblem(await as.link_worker.patch(`${API}/participants/${p.id}`, { neighbourhood_id: 1 }), 422, { fields: ['neighbourhood_id'] });
  });

  test('consent is recorded, withdrawn at once, and listed oldest first', async () => {
    const p = await createPerson();
    const path = `${API}/participants/${p.id}/consents`;
    assert.deepEqual((await getOk(as.link_worker, path)).items, []);
    let r = await as.link_worker.post(path, { scope: 'story_public', given: true, method: 'written', recorded_at: '2026-01-05' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.data.recorded_at, '2026-01-05T00:00:00Z');
    r = await as.link_worker.post(path, { scope: 'referral_to_provider', given: false, method: 'verbal', note: 'Wants a break' });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.data.given, false);
    const now = await getOk(as.link_worker, `${API}/participants/${p.id}`);
    assert.equal(now.consent_referral_to_provider, false);
    assert.equal(now.consent_story_public, true);
    assert.equal(now.consent_outcomes_to_gp, true);
    const list = await getOk(as.link_worker, path);
    assert.deepEqual(list.items.map((x) => x.scope), ['story_public', 'referral_to_provider']);
    const bad = await as.link_worker.post(path, { scope: 'telepathy', given: 'yes', method: 'pigeon' });
    assertProblem(bad, 422, { fields: ['scope', 'given', 'method'] });
    assertProblem(await as.viewer.post(path, { scope: 'story_public', given: false, method: 'verbal' }), 404);
  });

  test('export holds everything about the person', async () => {
    const p = await createPerson({ name: 'Exported Person', postcode: 'HX1 1AA', access_needs: 'Step-free access' });
    await as.link_worker.post(`${API}/participants/${p.id}/consents`, { scope: 'outcomes_to_gp', given: false, method: 'digital' });
    const r = await as.link_worker.get(`${API}/participants/${p.id}/export`);
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-disposition'), /participant-\d+\.json/);
    assert.equal(r.data.participant.name, 'Exported Person');
    assert.equal(r.data.participant.access_needs, 'Step-free access');
    assert.equal(r.data.consents.length, 1);
    assert.equal(r.data.consents[0].scope, 'outcomes_to_gp');
    assert.deepEqual(r.data.referrals, []);
    assert.match(r.data.exported_at, /^\d{4}-\d\d-\d\dT/);
    assert.ok(!r.text.includes('token_hash'));
  });

  test('erasure anonymises at once; the record stays, empty', async () => {
    const p = await createPerson({ name: 'Erase Me', nhs_number: '4010232137', postcode: 'HX1 1AA', email: 'erase@example.org' });
    const r = await as.link_worker.post(`${API}/participants/${p.id}/erasure`, {});
    assert.equal(r.status, 200, r.text);
    for (const f of ['name', 'date_of_birth', 'nhs_number', 'postcode', 'email', 'lsoa', 'neighbourhood_id', 'sex', 'ethnicity'])
      assert.equal(r.data[f], null, f);
    assert.equal(r.data.anonymised_reason, 'erasure');
    assert.match(r.data.anonymised_at, /^\d{4}-/);
    const again = await getOk(as.link_worker, `${API}/participants/${p.id}`);
    assert.equal(again.name, null);
    assert.equal(again.anonymised_at, r.data.anonymised_at);
    // Erasing twice is harmless; filling it in again is not allowed.
    assert.equal((await as.link_worker.post(`${API}/participants/${p.id}/erasure`, {})).status, 200);
    assertProblem(await as.link_worker.patch(`${API}/participants/${p.id}`, { name: 'Back Again' }), 409);
    const found = await getOk(as.link_worker, `${API}/participants?q=Erase`);
    assert.equal(found.total, 0);
  });
});

describe('a neighbourhood\'s LSOAs', () => {
  test('leads of its place and administrators replace the set; others may not', async () => {
    const path = `${API}/neighbourhoods/${w.central.id}/lsoas`;
    const moved = await createPerson({ postcode: 'HX1 1EB' }); // E01010995, in Central
    assert.equal(moved.neighbourhood_id, w.central.id);
    for (const c of [as.viewer, as.link_worker, as.provider])
      assertProblem(await c.put(path, { lsoas: ['E01010994'] }), 403);
    let r = await as.place_lead.put(path, { lsoas: ['E01010994', 'E01010994'] });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.data.lsoas, ['E01010994']);
    // The person whose LSOA left Central is no longer placed there.
    const after = await getOk(as.link_worker, `${API}/participants/${moved.id}`);
    assert.equal(after.neighbourhood_id, null);
    assert.equal(after.imd_decile, 1); // the LSOA's decile still applies
    assertProblem(await as.place_lead.put(path, { lsoas: ['bogus'] }), 422, { fields: ['lsoas[0]'] });
    assertProblem(await as.place_lead.put(path, { lsoas: ['E01010994', 'E01010989'] }), 422, { fields: ['lsoas[1]'] });
    assertProblem(await as.place_lead.put(path, { lsoas: 'E01010994' }), 422, { fields: ['lsoas'] });
    r = await as.admin.put(path, { lsoas: ['E01010994', 'E01010995'] });
    assert.equal(r.status, 200, r.text);
    assert.equal((await getOk(as.link_worker, `${API}/participants/${moved.id}`)).neighbourhood_id, w.central.id);
    assertProblem(await as.admin.get(`${API}/neighbourhoods/999999/lsoas`), 404);
  });
});

describe('retention', () => {
  test('the period is read by anyone and changed by administrators', async () => {
    assert.deepEqual(await getOk(as.viewer, `${API}/settings/retention`), { years: 6 });
    assertProblem(await as.link_worker.put(`${API}/settings/retention`, { years: 7 }), 403);
    assertProblem(await as.system_lead.put(`${API}/settings/retention`, { years: 7 }), 403);
    assertProblem(await as.admin.put(`${API}/settings/retention`, { years: 0 }), 422, { fields: ['years'] });
    assertProblem(await as.admin.put(`${API}/settings/retention`, { years: '7' }), 422, { fields: ['years'] });
    const r = await as.admin.put(`${API}/settings/retention`, { years: 7 });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.data, { years: 7 });
    assert.match(chis(['retention', 'show', '--db', server.db]), /retention period: 7 years/);
  });

  test('chis retention run anonymises those past the period, once', async () => {
    const p = await createPerson({ name: 'Long Ago' });
    const soon = new Date(Date.now() + 365 * 86400 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    assert.match(chis(['retention', 'run', '--db', server.db, '--at', soon]), /^anonymised 0 participants/);
    assert.equal((await getOk(as.link_worker, `${API}/participants/${p.id}`)).name, 'Long Ago');
    const later = new Date(Date.now() + 8 * 366 * 86400 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const out = chis(['retention', 'run', '--db', server.db, '--at', later]);
    const n = Number(out.match(/^anonymised (\d+) participant/)[1]);
    assert.ok(n >= 1, out);
    const gone = await getOk(as.link_worker, `${API}/participants/${p.id}`);
    assert.equal(gone.name, null);
    assert.equal(gone.anonymised_reason, 'retention');
    assert.match(chis(['retention', 'run', '--db', server.db, '--at', later]), /^anonymised 0 participants/);
    const bad = chisStatus(['retention', 'set', '--years', 'lots', '--db', server.db]);
    assert.equal(bad.status, 2);
  });
});
