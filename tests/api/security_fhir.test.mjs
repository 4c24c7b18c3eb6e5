// Security of the FHIR routes (api/fhir*.c), over HTTP: a message naming a
// provider's service that waits for approval answers exactly as one naming
// no service (its existence does not leak); an OperationOutcome does not
// repeat the person's NHS number or date of birth; a ServiceRequest naming
// too many performers is refused without the work they would cause; a
// query parameter that is not UTF-8 still gets an issue naming it; and the
// guards the FHIR layer relies on: $process-message with a session cookie
// needs the X-CSRF-Token, a Host header that is not a plain host name does
// not reach the URLs in the answer, and $bundle is an audited read of the
// person and the referral.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { startServer, Client } from '../lib/server.mjs';
import { API, getOk, signInRoles, unique } from './helpers.mjs';

const FHIR_CT = 'application/fhir+json';
const CHOIR = 'e8e31516-a7c9-41d1-9782-41b5f3eee646'; // the demo's Northgate Community Choir
const NOBODY = '00000000-0000-4000-8000-0000000000aa';

let A, as;

const fixture = () => JSON.parse(readFileSync('tests/fixtures/fhir/referral-request.json', 'utf8'));

// POST a Bundle to $process-message.
function processMessage(client, bundle, headers = {}) {
  return client.req('POST', '/fhir/$process-message', {
    headers: { 'Content-Type': FHIR_CT, ...headers }, body: JSON.stringify(bundle),
  });
}

// The issues of an OperationOutcome answered with this status.
function outcome(r, status) {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type') || '', /^application\/fhir\+json/);
  const oo = JSON.parse(r.text);
  assert.equal(oo.resourceType, 'OperationOutcome');
  assert.ok(oo.issue.length > 0, `an OperationOutcome naming no problem: ${r.text}`);
  return oo.issue;
}

// How many referrals and participants the link worker sees.
async function counts(client) {
  const refs = await getOk(client, `${API}/referrals?per_page=1`);
  const people = await getOk(client, `${API}/participants?per_page=1`);
  return { referrals: refs.total, participants: people.total };
}

// A message naming this directory service.
function naming(serviceId) {
  const msg = fixture();
  msg.entry[6].resource.identifier[0].value = `urn:uuid:${serviceId}`;
  return msg;
}

before(async () => {
  A = await startServer();
  as = await signInRoles(A, ['link_worker', 'provider', 'admin']);
});

after(async () => { await A?.stop(); });

test('a service waiting for approval answers as a missing one', async () => {
  const choir = await getOk(as.provider, `${API}/directory/services/${CHOIR}`);
  const proposed = await as.provider.post(`${API}/directory/services`, {
    organization_id: choir.organization_id, name: unique('Secret Singing'), description: 'Not yet approved.',
    status: 'active',
  });
  assert.equal(proposed.status, 201, proposed.text);
  assert.equal(proposed.data.state, 'pending');
  const before = await counts(as.link_worker);
  const shape = (issues) => issues.map((i) => [i.code, i.expression]);
  const missing = outcome(await processMessage(as.link_worker, naming(NOBODY)), 422);
  const pending = outcome(await processMessage(as.link_worker, naming(proposed.data.id)), 422);
  assert.deepEqual(shape(pending), shape(missing));
  assert.deepEqual(shape(missing), [['not-found', ['Bundle.entry[6].resource.identifier']]]);
  assert.equal(pending[0].diagnostics, missing[0].diagnostics.replace(NOBODY, proposed.data.id));
  assert.deepEqual(await counts(as.link_worker), before);
});

test('an OperationOutcome does not repeat the NHS number or date of birth', async () => {
  const msg = fixture();
  msg.entry[2].resource.identifier[0].value = '943 476 5918';
  msg.entry[2].resource.birthDate = '14/03/1948';
  const r = await processMessage(as.link_worker, msg);
  const issues = outcome(r, 422);
  const at = (e) => issues.find((i) => (i.expression || []).includes(e));
  assert.ok(at('Bundle.entry[2].resource.identifier[0].value'), r.text);
  assert.ok(at('Bundle.entry[2].resource.birthDate'), r.text);
  assert.ok(!r.text.includes('5918'), r.text);
  assert.ok(!r.text.includes('1948'), r.text);
});

test('too many performers are refused, and nothing is created', async () => {
  const msg = fixture();
  const sr = msg.entry[1].resource;
  sr.performer = Array.from({ length: 17 }, () => sr.performer[0]);
  const before = await counts(as.link_worker);
  const issues = outcome(await processMessage(as.link_worker, msg), 422);
  const i = issues.find((x) => (x.expression || []).includes('Bundle.entry[1].resource.performer'));
  assert.ok(i, JSON.stringify(issues));
  assert.equal(i.code, 'invalid');
  assert.match(i.diagnostics, /at most 16/);
  assert.deepEqual(await counts(as.link_worker), before);
});

test('a query parameter that is not UTF-8 still gets an issue', async () => {
  const r = await as.link_worker.get('/fhir/ServiceRequest/1/$feedback?%FF=1');
  const issues = outcome(r, 400);
  assert.equal(issues.length, 1);
  assert.match(issues[0].diagnostics, /is not a parameter here/);
});

test('$process-message with a session cookie needs the X-CSRF-Token', async () => {
  const before = await counts(as.link_worker);
  const r = await processMessage(as.link_worker, fixture(), { 'X-CSRF-Token': 'wrong' });
  assert.equal(r.status, 403, r.text);
  const bare = new Client(A.url);
  bare.cookie = as.link_worker.cookie; // the cookie alone, as a cross-site form would send it
  assert.equal((await processMessage(bare, fixture())).status, 403);
  assert.deepEqual(await counts(as.link_worker), before);
  // With the token it goes through.
  assert.equal((await processMessage(as.link_worker, fixture())).status, 200);
});

// GET path on server A with this Host header, signed in as the link worker.
function getWithHost(path, host) {
  const u = new URL(A.url);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: u.hostname, port: u.port, path, method: 'GET',
      headers: { Host: host, Cookie: as.link_worker.cookie },
    }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('a Host header that is not a plain host name does not reach the URLs', async () => {
  const made = JSON.parse((await processMessage(as.link_worker, fixture())).text);
  const id = made.entry.find((e) => e.resource.resourceType === 'ServiceRequest').resource.identifier[0].value;
  for (const host of ['evil.example/x?', 'user@evil.example', 'evil.example"><b>', 'a b']) {
    const r = await getWithHost(`/fhir/ServiceRequest/${id}/$bundle`, host);
    if (r.status === 400) continue; // refused by the HTTP layer: fine too
    assert.equal(r.status, 200, r.text);
    const b = JSON.parse(r.text);
    assert.equal(b.entry[0].resource.source.endpoint, 'urn:chis:fhir', host);
    assert.ok(!r.text.includes('evil.example'), host);
  }
  const ok = JSON.parse((await getWithHost(`/fhir/ServiceRequest/${id}/$bundle`, 'chis.example:8443')).text);
  assert.equal(ok.entry[0].resource.source.endpoint, 'http://chis.example:8443/fhir');
});

test('$bundle is an audited read of the referral and the person', async () => {
  const made = JSON.parse((await processMessage(as.link_worker, fixture())).text);
  const id = made.entry.find((e) => e.resource.resourceType === 'ServiceRequest').resource.identifier[0].value;
  const ref = await getOk(as.link_worker, `${API}/referrals/${id}`);
  const audited = async (entity, eid) =>
    (await getOk(as.admin, `${API}/audit?entity=${entity}&entity_id=${eid}&action=read`)).total;
  const before = [await audited('referrals', id), await audited('participants', ref.participant_id)];
  assert.equal((await as.link_worker.get(`/fhir/ServiceRequest/${id}/$bundle`)).status, 200);
  assert.equal(await audited('referrals', id), before[0] + 1);
  assert.equal(await audited('participants', ref.participant_id), before[1] + 1);
});
