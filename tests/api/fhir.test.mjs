// FHIR R4 over HTTP (api/fhir*.c), BaRS-shaped: the CapabilityStatement;
// a referral exported as a message Bundle (every reference resolving inside
// it, statuses and codes mapped); the round trip (a Bundle exported by one
// server and processed by another, and by the same one, makes an equivalent
// referral); invalid Bundles answered with an OperationOutcome naming each
// problem and creating nothing; domain refusals as OperationOutcomes; access
// (another organisation's user, an administrator and a viewer get the 404 of
// a missing referral); and feedback whose outcomes vanish once the person
// withdraws consent.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, Client } from '../lib/server.mjs';
import { API, getOk, signInRoles, unique } from './helpers.mjs';

const FHIR_CT = 'application/fhir+json';
const FIX = 'tests/fixtures/fhir/';
const CHOIR = 'e8e31516-a7c9-41d1-9782-41b5f3eee646'; // the demo's Northgate Community Choir
const LONELINESS = 'e5da9343-4503-4f7d-bd58-ca5897bc7c75';
const MENTAL = '0ca1f0b3-1fb1-46a3-b807-15c6f9a729f0';
const NHS = '9434765919';

let A, B, as, bs, icbWorker;

const fixture = (name) => JSON.parse(readFileSync(FIX + name, 'utf8'));

// POST a Bundle to $process-message.
function processMessage(client, bundle, { type = FHIR_CT, raw } = {}) {
  return client.req('POST', '/fhir/$process-message', {
    headers: { 'Content-Type': type }, body: raw ?? JSON.stringify(bundle),
  });
}

// The answer is an OperationOutcome with this status; returns its issues.
function assertOutcome(r, status) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type') || '', /^application\/fhir\+json/);
  const oo = JSON.parse(r.text);
  assert.equal(oo.resourceType, 'OperationOutcome');
  assert.ok(oo.issue.length > 0);
  for (const i of oo.issue) {
    assert.equal(i.severity, 'error');
    assert.equal(typeof i.code, 'string');
    assert.equal(typeof i.diagnostics, 'string');
  }
  return oo.issue;
}

// The issue at a FHIRPath expression (asserting there is one).
function issueAt(issues, expr, code) {
  const i = issues.find((x) => (x.expression || []).includes(expr));
  assert.ok(i, `no issue at ${expr}: ${JSON.stringify(issues)}`);
  if (code) assert.equal(i.code, code, JSON.stringify(i));
  return i;
}

// A message Bundle: checks its frame and that every reference resolves; returns
// { bundle, header, byUrl, one(type), all(type) }.
function readBundle(r) {
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type') || '', /^application\/fhir\+json/);
  const b = JSON.parse(r.text);
  assert.equal(b.resourceType, 'Bundle');
  assert.equal(b.type, 'message');
  assert.match(b.id, /^[0-9a-f-]{36}$/);
  assert.match(b.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(b.meta.lastUpdated, /^\d{4}-\d\d-\d\dT/);
  const byUrl = new Map();
  for (const e of b.entry) {
    assert.equal(e.fullUrl, `urn:uuid:${e.resource.id}`);
    byUrl.set(e.fullUrl, e.resource);
  }
  const refs = [];
  (function walk(v) {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      if (typeof v.reference === 'string') refs.push(v.reference);
      Object.values(v).forEach(walk);
    }
  })(b.entry);
  for (const ref of refs) assert.ok(byUrl.has(ref), `reference ${ref} does not resolve`);
  assert.equal(b.entry[0].resource.resourceType, 'MessageHeader');
  const all = (type) => b.entry.map((e) => e.resource).filter((x) => x.resourceType === type);
  const one = (type) => { const xs = all(type); assert.equal(xs.length, 1, type); return xs[0]; };
  const get = (ref) => byUrl.get(ref.reference);
  return { bundle: b, header: b.entry[0].resource, byUrl, get, one, all };
}

// How many referrals and participants the link worker sees on server s.
async function counts(client) {
  const refs = await getOk(client, `${API}/referrals?per_page=1`);
  const people = await getOk(client, `${API}/participants?per_page=1`);
  return { referrals: refs.total, participants: people.total };
}

// A referral made through the JSON API, moved to status.
async function referral(status = 'sent', extra = {}) {
  const p = await as.link_worker.post(`${API}/participants`, {
    name: unique('Fhir Person'), date_of_birth: '1955-07-21', nhs_number: NHS, sex: 'male', postcode: 'RV2 4AB',
  });
  assert.equal(p.status, 201, p.text);
  const r = await as.link_worker.post(`${API}/referrals`, {
    participant_id: p.data.id, service_id: CHOIR, needs: [LONELINESS, MENTAL], notes: 'Likes to sing.', ...extra,
  });
  assert.equal(r.status, 201, r.text);
  const path = ['sent', 'accepted', 'started', 'completed'];
  for (const to of path.slice(0, path.indexOf(status) + 1)) {
    const who = to === 'sent' ? as.link_worker : as.provider;
    const t = await who.post(`${API}/referrals/${r.data.id}/transitions`, { to });
    assert.equal(t.status, 200, `to ${to}: ${t.text}`);
  }
  return { id: r.data.id, participant: p.data };
}

before(async () => {
  [A, B] = await Promise.all([startServer(), startServer()]);
  as = await signInRoles(A, ['link_worker', 'provider', 'admin', 'viewer']);
  bs = await signInRoles(B, ['link_worker', 'admin']);
  // A link worker of the ICB, whose organisation has the ODS code XQ1.
  const me = await getOk(as.admin, `${API}/session`);
  const email = `${unique('icb').replace(/\W/g, '')}@example.org`;
  const u = await as.admin.post(`${API}/users`, {
    email, name: 'Ivy ICB-Worker', role: 'link_worker', organisation_id: me.user.organisation_id,
    password: 'a long enough password',
  });
  assert.equal(u.status, 201, u.text);
  icbWorker = new Client(A.url);
  await icbWorker.signIn(email, 'a long enough password');
});

after(async () => {
  await Promise.all([A?.stop(), B?.stop()]);
});

test('the CapabilityStatement is public and lists the operations', async () => {
  const r = await new Client(A.url).get('/fhir/metadata');
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^application\/fhir\+json/);
  const cs = JSON.parse(r.text);
  assert.equal(cs.resourceType, 'CapabilityStatement');
  assert.equal(cs.fhirVersion, '4.0.1');
  assert.equal(cs.kind, 'instance');
  const rest = cs.rest[0];
  assert.deepEqual(rest.resource[0].operation.map((o) => o.name).sort(), ['bundle', 'feedback']);
  assert.deepEqual(rest.operation.map((o) => o.name), ['process-message']);
  assert.equal(cs.messaging[0].supportedMessage[0].mode, 'receiver');
});

test('signing in is needed for everything else', async () => {
  const anon = new Client(A.url);
  assert.equal((await anon.get('/fhir/ServiceRequest/1/$bundle')).status, 401);
  assert.equal((await anon.get('/fhir/ServiceRequest/1/$feedback')).status, 401);
  assert.equal((await processMessage(anon, fixture('referral-request.json'))).status, 401);
});

describe('export', () => {
  test('a sent referral as a BaRS-shaped message Bundle', async () => {
    const { id, participant } = await referral('sent', { urgency: 'urgent' });
    const ref = await getOk(as.link_worker, `${API}/referrals/${id}`);
    const m = readBundle(await as.link_worker.get(`/fhir/ServiceRequest/${id}/$bundle`));
    const h = m.header;
    assert.deepEqual(h.eventCoding, {
      system: 'https://fhir.nhs.uk/CodeSystem/message-events-bars', code: 'servicerequest-request',
    });
    assert.deepEqual(h.reason.coding[0], { system: 'https://fhir.nhs.uk/CodeSystem/message-reason-bars', code: 'new' });
    assert.equal(h.source.endpoint, `${A.url}/fhir`);
    assert.equal(h.destination[0].endpoint, `urn:uuid:${CHOIR}`);
    assert.equal(m.get(h.destination[0].receiver).name, ref.receiving_org_name);
    assert.equal(m.get(h.sender).name, ref.referring_org_name);
    const sr = m.get(h.focus[0]);
    assert.equal(sr.resourceType, 'ServiceRequest');
    assert.equal(m.bundle.entry[1].resource, sr);
    assert.deepEqual(sr.identifier, [{ system: `${A.url}/fhir/Id/referral`, value: String(id) }]);
    assert.equal(sr.status, 'active');
    assert.equal(sr.intent, 'plan');
    assert.equal(sr.priority, 'urgent');
    assert.deepEqual(sr.category[0].coding[0], { system: 'http://snomed.info/sct', code: '3457005', display: 'Patient referral' });
    assert.equal(sr.code.coding[0].system, 'http://snomed.info/sct');
    assert.equal(sr.code.coding[0].code, ref.snomed_code);
    assert.equal(sr.authoredOn, ref.created_at);
    assert.deepEqual(sr.note, [{ text: 'Likes to sing.' }]);
    assert.deepEqual(sr.reasonCode.map((c) => c.coding[0].code).sort(), [LONELINESS, MENTAL].sort());
    assert.ok(sr.reasonCode.some((c) => c.text === 'Loneliness and isolation'));
    const role = m.get(sr.requester);
    assert.equal(role.resourceType, 'PractitionerRole');
    assert.equal(role.practitioner.display, 'Lee Link-Worker');
    assert.equal(m.get(role.organization).name, ref.referring_org_name);
    const performers = sr.performer.map(m.get);
    const hs = performers.find((x) => x.resourceType === 'HealthcareService');
    assert.deepEqual(hs.identifier, [{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${CHOIR}` }]);
    assert.equal(hs.name, ref.service_name);
    assert.ok(performers.some((x) => x.resourceType === 'Organization' && x.name === ref.receiving_org_name));
    const pat = m.get(sr.subject);
    assert.deepEqual(pat.identifier, [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: NHS }]);
    assert.equal(pat.name[0].text, participant.name);
    assert.equal(pat.birthDate, '1955-07-21');
    assert.equal(pat.gender, 'male');
    assert.equal(pat.address[0].postalCode, participant.postcode);
    assert.equal(m.all('Organization').length, 2);
    // The provider sees it too; once accepted it is an update.
    await as.provider.post(`${API}/referrals/${id}/transitions`, { to: 'accepted' });
    const again = readBundle(await as.provider.get(`/fhir/ServiceRequest/${id}/$bundle`));
    assert.equal(again.header.reason.coding[0].code, 'update');
    assert.equal(again.one('ServiceRequest').status, 'active');
  });

  test('statuses map: draft, revoked, with the ODS code of an organisation that has one', async () => {
    const p = await icbWorker.post(`${API}/participants`, { name: unique('Draft Person'), date_of_birth: '1970-01-02' });
    const r = await icbWorker.post(`${API}/referrals`, { participant_id: p.data.id, service_id: CHOIR });
    assert.equal(r.status, 201, r.text);
    let m = readBundle(await icbWorker.get(`/fhir/ServiceRequest/${r.data.id}/$bundle`));
    assert.equal(m.one('ServiceRequest').status, 'draft');
    assert.equal(m.header.reason.coding[0].code, 'new');
    assert.equal(m.one('ServiceRequest').reasonCode, undefined);
    assert.equal(m.one('Patient').identifier, undefined);
    assert.deepEqual(m.get(m.header.sender).identifier,
      [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'XQ1' }]);
    await icbWorker.post(`${API}/referrals/${r.data.id}/transitions`, { to: 'cancelled', reason: 'Moved away' });
    m = readBundle(await icbWorker.get(`/fhir/ServiceRequest/${r.data.id}/$bundle`));
    assert.equal(m.one('ServiceRequest').status, 'revoked');
    assert.equal(m.header.reason.coding[0].code, 'update');
  });

  test('the provider gets no personal data once the person withdraws consent to share it', async () => {
    const { id, participant } = await referral('sent');
    const w = await as.link_worker.post(`${API}/participants/${participant.id}/consents`,
      { scope: 'referral_to_provider', given: false, method: 'written' });
    assert.equal(w.status, 201, w.text);
    const r = await as.provider.get(`/fhir/ServiceRequest/${id}/$bundle`);
    const m = readBundle(r);
    const pat = m.one('Patient');
    assert.deepEqual(Object.keys(pat).sort(), ['id', 'meta', 'resourceType']);
    assert.equal(pat.meta.security[0].code, 'REDACTED');
    assert.ok(!r.text.includes(participant.name));
    assert.ok(!r.text.includes(NHS));
    // The referrer still sees the person.
    const mine = readBundle(await as.link_worker.get(`/fhir/ServiceRequest/${id}/$bundle`));
    assert.equal(mine.one('Patient').name[0].text, participant.name);
  });

  test('another organisation, an administrator and a viewer get the 404 of a missing referral', async () => {
    const { id, participant } = await referral('sent');
    const missing = assertOutcome(await as.link_worker.get('/fhir/ServiceRequest/99999999/$bundle'), 404);
    for (const [who, c] of Object.entries({ icb: icbWorker, admin: as.admin, viewer: as.viewer })) {
      const r = await c.get(`/fhir/ServiceRequest/${id}/$bundle`);
      const issues = assertOutcome(r, 404);
      assert.deepEqual(issues, missing, who);
      assert.ok(!r.text.includes(participant.name), `${who} saw the name`);
      assertOutcome(await c.get(`/fhir/ServiceRequest/${id}/$feedback`), 404);
    }
    assert.equal(assertOutcome(await as.link_worker.get('/fhir/ServiceRequest/abc/$bundle'), 404)[0].code, 'not-found');
    // The provider does not see drafts.
    const p = await as.link_worker.post(`${API}/participants`, { name: unique('Draft'), date_of_birth: '1980-02-02' });
    const d = await as.link_worker.post(`${API}/referrals`, { participant_id: p.data.id, service_id: CHOIR });
    assertOutcome(await as.provider.get(`/fhir/ServiceRequest/${d.data.id}/$bundle`), 404);
  });
});

describe('process-message', () => {
  // The referral and participant a processed message created, as the JSON API shows them.
  async function created(server, client, r, incoming) {
    const m = readBundle(r);
    assert.equal(m.header.eventCoding.code, 'servicerequest-response');
    assert.deepEqual(m.header.response, { identifier: incoming.entry[0].resource.id, code: 'ok' });
    const sr = m.get(m.header.focus[0]);
    const id = Number(sr.identifier[0].value);
    assert.equal(sr.identifier[0].system, `${server.url}/fhir/Id/referral`);
    const ref = await getOk(client, `${API}/referrals/${id}`);
    const person = await getOk(client, `${API}/participants/${ref.participant_id}`);
    return { sr, ref, person };
  }

  test('a fixture message creates the person and a sent referral', async () => {
    const before = await counts(as.link_worker);
    const msg = fixture('referral-request.json');
    const { sr, ref, person } = await created(A, as.link_worker, await processMessage(as.link_worker, msg), msg);
    assert.equal(sr.status, 'active');
    assert.equal(ref.status, 'sent');
    assert.equal(ref.service_id, CHOIR);
    assert.deepEqual(ref.needs.split(',').sort(), [LONELINESS, MENTAL].sort());
    assert.equal(ref.notes, 'Recently bereaved; loves singing. Prefers morning sessions.');
    assert.equal(ref.urgency, 'urgent');
    assert.equal(person.name, 'Morag Ellen Fictitious');
    assert.equal(person.date_of_birth, '1948-03-14');
    assert.equal(person.nhs_number, NHS);
    assert.equal(person.sex, 'female');
    assert.equal(person.postcode, 'RV2 4AB');
    assert.deepEqual(await counts(as.link_worker), { referrals: before.referrals + 1, participants: before.participants + 1 });
  });

  test('a draft stays a draft, sent as plain application/json', async () => {
    const msg = fixture('referral-request.json');
    msg.entry[1].resource.status = 'draft';
    const { sr, ref } = await created(A, as.link_worker, await processMessage(as.link_worker, msg, { type: 'application/json' }), msg);
    assert.equal(ref.status, 'draft');
    assert.equal(sr.status, 'draft');
  });

  test('round trip: exported by one server, processed by another and by the same', async () => {
    const { id } = await referral('sent', { urgency: 'urgent' });
    const src = await getOk(as.link_worker, `${API}/referrals/${id}`);
    const srcPerson = await getOk(as.link_worker, `${API}/participants/${src.participant_id}`);
    const exported = JSON.parse((await as.link_worker.get(`/fhir/ServiceRequest/${id}/$bundle`)).text);
    for (const [server, client] of [[B, bs.link_worker], [A, as.link_worker]]) {
      const { ref, person } = await created(server, client, await processMessage(client, exported), exported);
      assert.notEqual(server === A ? ref.id : -1, id);
      for (const k of ['service_id', 'service_name', 'notes', 'urgency', 'status', 'receiving_org_name', 'referring_org_name']) {
        assert.equal(ref[k], src[k], k);
      }
      assert.deepEqual(ref.needs.split(',').sort(), src.needs.split(',').sort());
      for (const k of ['name', 'date_of_birth', 'nhs_number', 'sex', 'postcode']) assert.equal(person[k], srcPerson[k], k);
    }
  });

  test('a sender with an ODS code must be the signed-in organisation', async () => {
    const msg = fixture('referral-request.json');
    msg.entry[3].resource.identifier = [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'XQ1' }];
    const ok = await processMessage(icbWorker, msg);
    assert.equal(ok.status, 200, ok.text);
    const before = await counts(as.link_worker);
    const issues = assertOutcome(await processMessage(as.link_worker, msg), 422);
    issueAt(issues, 'Bundle.entry[3].resource.identifier[0].value', 'value');
    assert.deepEqual(await counts(as.link_worker), before);
  });

  // Each invalid message answers an OperationOutcome naming each problem, and creates nothing.
  const cases = [
    ['not a Bundle', 400, (m) => { m.resourceType = 'Patient'; }, [['Bundle.resourceType', 'invalid']]],
    ['the wrong type', 400, (m) => { m.type = 'collection'; }, [['Bundle.type', 'value']]],
    ['no MessageHeader', 400, (m) => { m.entry.shift(); }, [['Bundle.entry[0]', 'required']]],
    ['no birthDate', 422, (m) => { delete m.entry[2].resource.birthDate; },
      [['Bundle.entry[2].resource.birthDate', 'required']]],
    ['a bad NHS number', 422, (m) => { m.entry[2].resource.identifier[0].value = '9434765918'; },
      [['Bundle.entry[2].resource.identifier[0].value', 'value']]],
    ['an unknown service', 422, (m) => {
      m.entry[6].resource.identifier[0].value = 'urn:uuid:00000000-0000-4000-8000-000000000000';
    }, [['Bundle.entry[6].resource.identifier', 'not-found']]],
    ['an unknown need', 422, (m) => {
      m.entry[1].resource.reasonCode[1].coding[0].code = '00000000-0000-4000-8000-000000000001';
    }, [['Bundle.entry[1].resource.reasonCode[1].coding[0].code', 'not-found']]],
    ['the wrong sender', 422, (m) => {
      m.entry[3].resource.identifier = [{ system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'X99999' }];
    }, [['Bundle.entry[3].resource.identifier[0].value', 'value']]],
    ['a birth date in the future (the domain refuses)', 422, (m) => { m.entry[2].resource.birthDate = '2099-01-01'; },
      [['Bundle.entry[2].resource.birthDate', 'invalid']]],
  ];
  for (const [what, status, spoil, want] of cases) {
    test(`${what}: ${status}, named, nothing created`, async () => {
      const msg = fixture('referral-request.json');
      spoil(msg);
      const before = await counts(as.link_worker);
      const issues = assertOutcome(await processMessage(as.link_worker, msg), status);
      for (const [expr, code] of want) issueAt(issues, expr, code);
      assert.deepEqual(await counts(as.link_worker), before);
    });
  }

  test('every problem of a message at once', async () => {
    const before = await counts(as.link_worker);
    const issues = assertOutcome(await processMessage(as.link_worker, fixture('referral-request-invalid.json')), 422);
    issueAt(issues, 'Bundle.entry[1].resource.status', 'value');
    issueAt(issues, 'Bundle.entry[2].resource.birthDate', 'required');
    issueAt(issues, 'Bundle.entry[2].resource.identifier[0].value', 'value');
    issueAt(issues, 'Bundle.entry[2].resource.gender', 'value');
    issueAt(issues, 'Bundle.entry[6].resource.identifier', 'not-found');
    issueAt(issues, 'Bundle.entry[3].resource.identifier[0].value', 'value');
    assert.equal(issues.length, 6);
    assert.deepEqual(await counts(as.link_worker), before);
  });

  test('bodies that are not JSON, and refusals by the domain', async () => {
    const before = await counts(as.link_worker);
    assertOutcome(await processMessage(as.link_worker, null, { raw: '{"resourceType": "Bundle",' }), 400);
    assertOutcome(await processMessage(as.link_worker, fixture('referral-request.json'), { type: 'text/plain' }), 415);
    const forbidden = assertOutcome(await processMessage(as.viewer, fixture('referral-request.json')), 403);
    assert.equal(forbidden[0].code, 'forbidden');
    assert.deepEqual(await counts(as.link_worker), before);
  });
});

describe('feedback', () => {
  test('outcomes as Observations while consent stands, gone once withdrawn', async () => {
    const { id, participant } = await referral('accepted');
    const post = async (measure, stage, answers) => {
      const r = await as.provider.post(`${API}/referrals/${id}/outcomes`, { measure, stage, answers });
      assert.equal(r.status, 201, r.text);
    };
    await post('swemwbs', 'baseline', [3, 3, 3, 3, 3, 3, 3]);
    await post('ucla3', 'baseline', [3, 3, 2]);
    await post('ons4', 'baseline', [4, 5, 6, 7]);
    await as.provider.post(`${API}/referrals/${id}/transitions`, { to: 'started' });
    await post('swemwbs', 'final', [4, 4, 4, 4, 4, 4, 4]);
    await post('ucla3', 'final', [1, 2, 1]);
    await post('ons4', 'final', [8, 8, 7, 2]);
    const today = new Date().toISOString().slice(0, 10);
    const att = await as.provider.post(`${API}/referrals/${id}/attendance`, { session_date: today, attended: true });
    assert.equal(att.status, 201, att.text);
    const st = await as.provider.post(`${API}/referrals/${id}/stories`, { body: 'Singing got me out of the house.' });
    assert.equal(st.status, 201, st.text);

    let m = readBundle(await as.link_worker.get(`/fhir/ServiceRequest/${id}/$feedback?recipient=referrer`));
    assert.equal(m.header.eventCoding.code, 'servicerequest-response');
    const comm = m.get(m.header.focus[0]);
    assert.equal(comm.resourceType, 'Communication');
    assert.equal(m.get(comm.about[0]).resourceType, 'ServiceRequest');
    assert.equal(m.get(comm.recipient[0]).name, (await getOk(as.link_worker, `${API}/referrals/${id}`)).referring_org_name);
    const text = comm.payload.filter((p) => p.contentString).map((p) => p.contentString).join('\n');
    assert.match(text, /started/);
    assert.match(text, /Sessions attended: 1; missed: 0/);
    assert.match(text, /SWEMWBS \(metric score\): 19\.25 at the start, 25\.03 at the end, a change of \+5\.78/);
    assert.match(text, /Singing got me out of the house\./);
    const obs = m.all('Observation');
    assert.equal(obs.length, 6);
    const find = (what, stage) => obs.find((o) => o.code.text === what && o.note[0].text === `Stage: ${stage}`);
    assert.equal(find('SWEMWBS metric score', 'baseline').valueQuantity.value, 19.25);
    assert.equal(find('SWEMWBS metric score', 'final').valueQuantity.value, 25.03);
    assert.equal(find('UCLA 3-item loneliness score', 'baseline').valueInteger, 8);
    assert.equal(find('UCLA 3-item loneliness score', 'final').valueInteger, 4);
    const ons = find('ONS4 personal wellbeing', 'final');
    assert.deepEqual(ons.component.map((c) => c.valueInteger), [8, 8, 7, 2]);
    for (const o of obs) {
      assert.equal(o.status, 'final');
      assert.equal(o.category[0].coding[0].code, 'survey');
      assert.match(o.effectiveDateTime, /^\d{4}-\d\d-\d\dT/);
      assert.equal(m.get(o.subject).resourceType, 'Patient');
      assert.ok(comm.payload.some((p) => p.contentReference?.reference === `urn:uuid:${o.id}`));
    }

    const w = await as.link_worker.post(`${API}/participants/${participant.id}/consents`,
      { scope: 'outcomes_to_referrer', given: false, method: 'verbal' });
    assert.equal(w.status, 201, w.text);
    const r = await as.link_worker.get(`/fhir/ServiceRequest/${id}/$feedback?recipient=referrer`);
    m = readBundle(r);
    assert.equal(m.all('Observation').length, 0);
    assert.ok(!r.text.includes('Singing got me out of the house.'));
    assert.ok(!r.text.includes('SWEMWBS'));
    assert.match(r.text, /not shared with this recipient/);
    assert.match(r.text, /Sessions attended: 1/);
    // The GP's consent still stands.
    m = readBundle(await as.provider.get(`/fhir/ServiceRequest/${id}/$feedback?recipient=gp`));
    assert.equal(m.all('Observation').length, 6);
    assert.equal(m.get(m.get(m.header.focus[0]).recipient[0]).resourceType, 'Organization');

    assertOutcome(await as.link_worker.get(`/fhir/ServiceRequest/${id}/$feedback?recipient=friend`), 400);
    assertOutcome(await as.link_worker.get(`/fhir/ServiceRequest/${id}/$feedback?colour=red`), 400);
  });
});
