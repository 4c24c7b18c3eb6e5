// Data protection of referrals over HTTP, where a security review found gaps:
// a draft cancelled before it was sent never reaches the provider (the same
// 404 as for a referral that does not exist, and not in its lists); the
// audit log, which administrators read and erasure does not touch, keeps no
// notes, reasons or consent notes; a withdrawal entered with today's date is
// in force at once, and the provider then sees neither the person nor the
// free text about them; fields the system sets are refused.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { move, newUser, organisation as organisationOf, publishedService, refer as referAs } from '../lib/pathway.mjs';
import { API, assertProblem, create, getOk, listAll, signInRoles, unique } from './helpers.mjs';

let server, as, w;

const organisation = (name, place) => organisationOf(as.system_lead, name, place);
const user = (role, org) => newUser(server, as.admin, role, org);
const service = (org) => publishedService(as.system_lead, org, 'Choir');
const refer = (body) => referAs(as.link_worker, body);

// Everything the audit log holds about entity id, as one string.
async function auditText(entity, id) {
  const a = await getOk(as.admin, `${API}/audit?entity=${entity}&entity_id=${id}&per_page=100`);
  assert.ok(a.items.length > 0);
  return JSON.stringify(a.items);
}

before(async () => {
  server = await startServer();
  as = await signInRoles(server, ['admin', 'system_lead', 'link_worker']);
  const place = await create(as.system_lead, 'places', { name: unique('Security place') });
  w = { org: await organisation('Provider S', place) };
  w.prov = await user('provider', w.org);
  w.s1 = await service(w.org);
});
after(async () => { await server?.stop(); });

describe('referral data protection', () => {
  test('a draft cancelled before it was sent answers the provider 404, like none at all', async () => {
    const p = await create(as.link_worker, 'participants', { name: unique('Cy'), date_of_birth: '1950-01-01' });
    const sent = await refer({ participant_id: p.id, service_id: w.s1.id });
    await move(as.link_worker, sent.id, 'sent');
    const unsent = await refer({ participant_id: p.id, service_id: w.s1.id, notes: 'Second thoughts' });
    await move(as.link_worker, unsent.id, 'cancelled', { reason: 'Changed mind' });

    const missing = await w.prov.get(`${API}/referrals/999999999`);
    const hidden = await w.prov.get(`${API}/referrals/${unsent.id}`);
    assert.equal(hidden.status, 404);
    assert.equal(missing.status, 404);
    assert.equal(hidden.data.detail.replace(String(unsent.id), 'N'), missing.data.detail.replace('999999999', 'N'));
    assertProblem(await w.prov.get(`${API}/referrals/${unsent.id}/transitions`), 404);
    assertProblem(await w.prov.post(`${API}/referrals/${unsent.id}/transitions`, { to: 'accepted' }), 404);
    for (const queue of ['incoming', 'all']) {
      const ids = (await listAll(w.prov, `${API}/referrals?queue=${queue}`)).map((r) => r.id);
      assert.ok(ids.includes(sent.id), queue);
      assert.ok(!ids.includes(unsent.id), queue);
    }
    const doc = await getOk(w.prov, `${API}/participants/${p.id}/export`);
    assert.deepEqual(doc.referrals.map((r) => r.id), [sent.id]);
  });

  test('the audit log keeps no notes, reasons or consent notes', async () => {
    const p = await create(as.link_worker, 'participants', { name: unique('Ann'), date_of_birth: '1950-01-01' });
    const r = await refer({ participant_id: p.id, service_id: w.s1.id, notes: 'Recently bereaved XYZZY' });
    await move(as.link_worker, r.id, 'sent');
    await move(w.prov, r.id, 'declined', { reason: 'Moved into a care home PLUGH' });
    const c = await as.link_worker.post(`${API}/participants/${p.id}/consents`, {
      scope: 'story_public', given: true, method: 'written', note: 'Daughter Carol present QUUX',
    });
    assert.equal(c.status, 201, c.text);
    const refAudit = await auditText('referrals', r.id);
    assert.ok(refAudit.includes('transition'));
    assert.ok(!refAudit.includes('XYZZY'));
    assert.ok(!refAudit.includes('PLUGH'));
    assert.ok(!(await auditText('consents', c.data.id)).includes('QUUX'));
  });

  test('fields the system sets cannot be sent (no mass assignment)', async () => {
    let r = await as.link_worker.post(`${API}/participants`, { name: unique('Eve'), date_of_birth: '1950-01-01', organisation_id: 1 });
    assertProblem(r, 422, { fields: ['organisation_id'] });
    const p = await create(as.link_worker, 'participants', { name: unique('Eve'), date_of_birth: '1950-01-01' });
    r = await as.link_worker.patch(`${API}/participants/${p.id}`, { anonymised_at: null, organisation_id: 1 });
    assertProblem(r, 422, { fields: ['anonymised_at', 'organisation_id'] });
    r = await as.link_worker.post(`${API}/referrals`, {
      participant_id: p.id, service_id: w.s1.id, status: 'accepted', snomed_code: '1', receiving_org_id: 1,
    });
    assertProblem(r, 422, { fields: ['status', 'snomed_code', 'receiving_org_id'] });
    assert.equal((await getOk(as.link_worker, `${API}/referrals?participant_id=${p.id}`)).total, 0);
  });

  test('a withdrawal dated today stops the sharing at once, free text included', async () => {
    const p = await create(as.link_worker, 'participants', { name: unique('Di'), date_of_birth: '1950-01-01' });
    let r = await as.link_worker.post(`${API}/participants/${p.id}/consents`, { scope: 'referral_to_provider', given: true, method: 'verbal' });
    assert.equal(r.status, 201, r.text);
    const ref = await refer({ participant_id: p.id, service_id: w.s1.id, notes: 'Lives alone' });
    await move(as.link_worker, ref.id, 'sent');
    const seen = await getOk(w.prov, `${API}/referrals/${ref.id}`);
    assert.equal(seen.notes, 'Lives alone');
    assert.equal(seen.participant_name, p.name);

    const today = new Date().toISOString().slice(0, 10);
    r = await as.link_worker.post(`${API}/participants/${p.id}/consents`, {
      scope: 'referral_to_provider', given: false, method: 'verbal', recorded_at: today,
    });
    assert.equal(r.status, 201, r.text);
    assert.equal((await getOk(as.link_worker, `${API}/participants/${p.id}`)).consent_referral_to_provider, false);
    assertProblem(await w.prov.get(`${API}/participants/${p.id}`), 404);
    const after = await getOk(w.prov, `${API}/referrals/${ref.id}`);
    assert.equal(after.participant_name, null);
    assert.equal(after.notes, null);
    assert.equal((await getOk(as.link_worker, `${API}/referrals/${ref.id}`)).notes, 'Lives alone');
  });
});
