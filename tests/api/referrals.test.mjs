// Referrals over HTTP: a link worker refers a person to a directory service,
// sends it, the provider accepts and starts; illegal moves answer 409 naming
// the state; the wrong side 403; the governance gate refuses a non-compliant
// provider with 422 and warns about an expiring one; another organisation's
// provider and link worker, a viewer, a place lead and a system lead get the
// same 404 as for a referral that does not exist; capacity and the waitlist.
//
// The server runs on the real clock, so policy dates are days from today.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { move, newUser, organisation, publishedService, refer as referAs } from '../lib/pathway.mjs';
import { API, assertProblem, create, errorMessage, getOk, signInRoles, unique } from './helpers.mjs';

const REFERRAL = '871731000000106';
const DECLINED = '871711000000103';

let server, as, w;

// A signed-in client for a new user of org with role.
const user = (role, org) => newUser(server, as.admin, role, org);

// A published directory service of a new directory organization linked to org (or to none).
const service = (org) => publishedService(as.system_lead, org);

async function participant(client = as.link_worker) {
  return create(client, 'participants', { name: unique('Pat'), date_of_birth: '1961-04-05' });
}

const refer = (body, client = as.link_worker) => referAs(client, body);

before(async () => {
  server = await startServer();
  as = await signInRoles(server, ['admin', 'system_lead', 'place_lead', 'link_worker', 'provider', 'viewer']);
  const place = await create(as.system_lead, 'places', { name: unique('Referral place') });
  w = { place };
  w.provOrg = await organisation(as.system_lead, 'Provider A', place);
  w.otherOrg = await organisation(as.system_lead, 'Provider B', place);
  w.ncOrg = await organisation(as.system_lead, 'Lapsed', place, (d) => (d === 'safeguarding' ? null : 300));
  w.expOrg = await organisation(as.system_lead, 'Expiring', place, (d) => (d === 'data_management' ? 10 : 300));
  w.provA = await user('provider', w.provOrg);
  w.provB = await user('provider', w.otherOrg);
  w.lwB = await user('link_worker', w.otherOrg);
  w.s1 = await service(w.provOrg);
  w.s2 = await service(w.provOrg);
  w.sOther = await service(w.otherOrg);
  w.sNc = await service(w.ncOrg);
  w.sExp = await service(w.expOrg);
  w.sNone = await service(null);
  const terms = await (await fetch(`${server.url}/openreferral/taxonomy_terms?per_page=2`)).json();
  w.terms = terms.contents.map((t) => t.id);
  assert.equal(w.terms.length, 2);
});
after(async () => { await server?.stop(); });

describe('the pathway', () => {
  test('create, send, accept, start, complete', async () => {
    const p = await participant();
    const r = await as.link_worker.post(`${API}/referrals`, {
      participant_id: p.id, service_id: w.s1.id, needs: w.terms, notes: 'Enjoys music', urgency: 'urgent',
    });
    assert.equal(r.status, 201, r.text);
    const ref = r.data;
    assert.equal(r.headers.get('location'), `${API}/referrals/${ref.id}`);
    assert.equal(ref.status, 'draft');
    assert.equal(ref.snomed_code, REFERRAL);
    assert.equal(ref.snomed_term, 'Referral to social prescribing service');
    assert.equal(ref.episode_id, ref.id);
    assert.equal(ref.service_id, w.s1.id);
    assert.equal(ref.service_name, w.s1.name);
    assert.equal(ref.receiving_org_id, w.provOrg.id);
    assert.equal(ref.participant_name, p.name);
    assert.equal(ref.self_referral, false);
    assert.equal(ref.urgency, 'urgent');
    assert.deepEqual(ref.needs.split(',').sort(), [...w.terms].sort());
    assert.equal(ref.governance_warning, undefined);

    // The provider does not see a draft.
    assertProblem(await w.provA.get(`${API}/referrals/${ref.id}`), 404);
    const sent = await move(as.link_worker, ref.id, 'sent');
    assert.equal(sent.status, 'sent');
    assert.match(sent.sent_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const seen = await getOk(w.provA, `${API}/referrals/${ref.id}`);
    assert.equal(seen.status, 'sent');
    assert.equal(seen.participant_name, p.name);
    const incoming = await getOk(w.provA, `${API}/referrals?queue=incoming&status=sent`);
    assert.ok(incoming.items.some((x) => x.id === ref.id));
    const outgoing = await getOk(as.link_worker, `${API}/referrals?queue=outgoing&participant_id=${p.id}`);
    assert.deepEqual(outgoing.items.map((x) => x.id), [ref.id]);
    assert.equal(outgoing.total, 1);

    const acc = await move(w.provA, ref.id, 'accepted');
    assert.equal(acc.status, 'accepted');
    assert.equal(acc.first_contact_at, acc.accepted_at);
    await move(w.provA, ref.id, 'started');
    const done = await move(w.provA, ref.id, 'completed');
    assert.equal(done.status, 'completed');
    assert.ok(done.ended_at);

    const ev = await getOk(as.link_worker, `${API}/referrals/${ref.id}/transitions`);
    assert.deepEqual(ev.items.map((e) => [e.from_status, e.to_status]),
      [[null, 'draft'], ['draft', 'sent'], ['sent', 'accepted'], ['accepted', 'started'], ['started', 'completed']]);
    assert.equal(ev.items[2].actor, (await getOk(w.provA, `${API}/session`)).user.email);

    // Audited: the transitions and the reads.
    const audit = await getOk(as.admin, `${API}/audit?entity=referrals&entity_id=${ref.id}&per_page=100`);
    assert.equal(audit.items.filter((a) => a.action === 'transition').length, 4);
    assert.ok(audit.items.some((a) => a.action === 'read'));
    assert.ok(audit.items.some((a) => a.action === 'create'));
  });

  test('an illegal move is 409 naming the state; the wrong side is 403', async () => {
    const p = await participant();
    const ref = await refer({ participant_id: p.id, service_id: w.s1.id });
    assertProblem(await as.link_worker.post(`${API}/referrals/${ref.id}/transitions`, { to: 'started' }), 409,
      { detail: "The referral is 'draft'; it cannot move to 'started'." });
    await move(as.link_worker, ref.id, 'sent');
    assertProblem(await as.link_worker.post(`${API}/referrals/${ref.id}/transitions`, { to: 'accepted' }), 403);
    assertProblem(await w.provA.post(`${API}/referrals/${ref.id}/transitions`, { to: 'cancelled', reason: 'x' }), 403);
    // A reason is needed to decline; the provider declines for the provider.
    assertProblem(await w.provA.post(`${API}/referrals/${ref.id}/transitions`, { to: 'declined' }), 422,
      { fields: ['reason'] });
    assertProblem(await w.provA.post(`${API}/referrals/${ref.id}/transitions`, { to: 'nowhere' }), 422,
      { fields: ['to'] });
    assertProblem(await w.provA.post(`${API}/referrals/${ref.id}/transitions`, { to: 'declined', reason: 'x', extra: 1 }), 422,
      { fields: ['extra'] });
    const d = await move(w.provA, ref.id, 'declined', { reason: 'Group is for over-65s' });
    assert.equal(d.declined_by, 'provider');
    assert.equal(d.reason, 'Group is for over-65s');
    assert.equal(d.snomed_code, REFERRAL);
    const body = assertProblem(await w.provA.post(`${API}/referrals/${ref.id}/transitions`, { to: 'accepted' }), 409);
    assert.equal(body.detail, "The referral is 'declined'; it cannot move to 'accepted'.");
    // Still declined.
    assert.equal((await getOk(as.link_worker, `${API}/referrals/${ref.id}`)).status, 'declined');
  });

  test('declined by the person records the SNOMED code for it; the episode continues', async () => {
    const p = await participant();
    const first = await refer({ participant_id: p.id, service_id: w.s1.id });
    const second = await refer({ participant_id: p.id, service_id: w.sOther.id });
    assert.equal(second.snomed_code, null);
    assert.equal(second.episode_id, first.id);
    await move(as.link_worker, second.id, 'sent');
    const d = await move(as.link_worker, second.id, 'declined', { reason: 'Not for me' });
    assert.equal(d.declined_by, 'person');
    assert.equal(d.snomed_code, DECLINED);
    assert.equal(d.snomed_term, 'Social prescribing declined');
  });
});

describe('the governance gate', () => {
  test('a non-compliant provider is refused with 422 and the reason; nothing is made', async () => {
    const p = await participant();
    const before = (await getOk(as.link_worker, `${API}/referrals?participant_id=${p.id}`)).total;
    const body = assertProblem(await as.link_worker.post(`${API}/referrals`, { participant_id: p.id, service_id: w.sNc.id }),
      422, { fields: ['service_id'] });
    assert.match(errorMessage(body, 'service_id'), /not compliant/);
    assert.match(errorMessage(body, 'service_id'), /missing policy: safeguarding/);
    assert.equal((await getOk(as.link_worker, `${API}/referrals?participant_id=${p.id}`)).total, before);
  });

  test('an expiring provider is warned about', async () => {
    const p = await participant();
    const ref = await refer({ participant_id: p.id, service_id: w.sExp.id });
    assert.match(ref.governance_warning, /data management/);
    const sent = await move(as.link_worker, ref.id, 'sent');
    assert.match(sent.governance_warning, /due for review/);
  });

  test('a service whose organization is linked to no organisation cannot be referred to', async () => {
    const p = await participant();
    assertProblem(await as.link_worker.post(`${API}/referrals`, { participant_id: p.id, service_id: w.sNone.id }),
      422, { fields: ['service_id'] });
  });
});

describe('validation and who may create', () => {
  test('bad input is 422 naming each field; a hidden participant is simply not found', async () => {
    const p = await participant();
    let body = assertProblem(await as.link_worker.post(`${API}/referrals`, {
      participant_id: p.id, service_id: 'no-such-service', needs: ['no-such-term'], urgency: 'soon', colour: 'red',
    }), 422, { fields: ['colour'] });
    body = assertProblem(await as.link_worker.post(`${API}/referrals`, {
      participant_id: p.id, service_id: 'no-such-service', needs: ['no-such-term', 3], urgency: 'soon',
    }), 422, { fields: ['needs[1]'] });
    body = assertProblem(await as.link_worker.post(`${API}/referrals`, {
      participant_id: p.id, service_id: 'no-such-service', needs: ['no-such-term'], urgency: 'soon',
    }), 422, { fields: ['service_id', 'needs[0]', 'urgency'] });
    // Another organisation's link worker may not see the person.
    body = assertProblem(await w.lwB.post(`${API}/referrals`, { participant_id: p.id, service_id: w.s1.id }), 422,
      { fields: ['participant_id'] });
    assert.equal(errorMessage(body, 'participant_id'), `No participant with id ${p.id}`);
    body = assertProblem(await w.lwB.post(`${API}/referrals`, { participant_id: 99999999, service_id: w.s1.id }), 422);
    assert.equal(errorMessage(body, 'participant_id'), 'No participant with id 99999999');
  });

  test('leads and viewers do not refer', async () => {
    const p = await participant();
    for (const role of ['viewer', 'place_lead', 'system_lead']) {
      assertProblem(await as[role].post(`${API}/referrals`, { participant_id: p.id, service_id: w.s1.id }), 403);
    }
  });

  test('a provider referring to its own service makes a self-referral', async () => {
    const p = await participant(w.provA);
    const ref = await refer({ participant_id: p.id, service_id: w.s1.id }, w.provA);
    assert.equal(ref.self_referral, true);
    await move(w.provA, ref.id, 'sent');
    const acc = await move(w.provA, ref.id, 'accepted');
    assert.equal(acc.status, 'accepted');
  });
});

describe('access', () => {
  test('another organisation, a viewer and leads get the 404 a missing referral gets', async () => {
    const p = await participant();
    const ref = await refer({ participant_id: p.id, service_id: w.s1.id });
    await move(as.link_worker, ref.id, 'sent');
    const missing = assertProblem(await as.link_worker.get(`${API}/referrals/99999999`), 404);
    const others = { provB: w.provB, lwB: w.lwB, viewer: as.viewer, place_lead: as.place_lead,
      system_lead: as.system_lead, demo_provider: as.provider, admin: as.admin };
    for (const [who, c] of Object.entries(others)) {
      const r = await c.get(`${API}/referrals/${ref.id}`);
      const body = assertProblem(r, 404);
      assert.equal(body.title, missing.title, who);
      assert.equal(body.detail.replace(String(ref.id), 'N'), missing.detail.replace('99999999', 'N'), who);
      assert.ok(!r.text.includes(p.name), `${who} saw the name`);
      assertProblem(await c.get(`${API}/referrals/${ref.id}/transitions`), 404);
      assertProblem(await c.post(`${API}/referrals/${ref.id}/transitions`, { to: 'cancelled', reason: 'x' }), 404);
    }
    // Their lists do not hold it; leads and viewers list nothing at all.
    for (const c of [w.provB, w.lwB]) {
      const list = await getOk(c, `${API}/referrals?per_page=100`);
      assert.ok(!list.items.some((x) => x.id === ref.id));
    }
    for (const role of ['viewer', 'place_lead', 'system_lead']) assertProblem(await as[role].get(`${API}/referrals`), 403);
    assert.equal((await getOk(as.link_worker, `${API}/referrals/${ref.id}`)).id, ref.id);
    assert.equal((await getOk(w.provA, `${API}/referrals/${ref.id}`)).id, ref.id);
  });

  test('list parameters are checked', async () => {
    assertProblem(await as.link_worker.get(`${API}/referrals?queue=mine`), 400, { fields: ['queue'] });
    assertProblem(await as.link_worker.get(`${API}/referrals?status=finished`), 400);
    assertProblem(await as.link_worker.get(`${API}/referrals?colour=red`), 400);
    assertProblem(await as.link_worker.get(`${API}/referrals/abc`), 404);
  });
});

describe('capacity and the waitlist', () => {
  test('a full service waitlists in order of referral', async () => {
    const sid = encodeURIComponent(w.s2.id);
    assertProblem(await w.provB.put(`${API}/services/${sid}/capacity`, { places: 1, period: 'cohort' }), 403);
    assertProblem(await as.viewer.put(`${API}/services/${sid}/capacity`, { places: 1, period: 'cohort' }), 403);
    assertProblem(await w.provA.put(`${API}/services/${sid}/capacity`, { places: 1, period: 'fortnight' }), 422,
      { fields: ['period'] });
    assertProblem(await w.provA.put(`${API}/services/${sid}/capacity`, { places: 'one', period: 'cohort' }), 422,
      { fields: ['places'] });
    assertProblem(await w.provA.put(`${API}/services/no-such/capacity`, { places: 1, period: 'cohort' }), 404);
    const set = await w.provA.put(`${API}/services/${sid}/capacity`, { places: 1, period: 'cohort' });
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(set.data, { service_id: w.s2.id, places: 1, period: 'cohort', used: 0, available: 1, waitlisted: 0 });

    const refs = [];
    for (let i = 0; i < 3; i++) {
      const p = await participant();
      const ref = await refer({ participant_id: p.id, service_id: w.s2.id });
      refs.push(await move(as.link_worker, ref.id, 'sent'));
    }
    await move(w.provA, refs[0].id, 'accepted');
    assertProblem(await w.provA.post(`${API}/referrals/${refs[1].id}/transitions`, { to: 'accepted' }), 409,
      { detail: 'The service is full (1 of 1 places); waitlist the referral.' });
    const wl2 = await move(w.provA, refs[2].id, 'waitlisted');
    assert.equal(wl2.waitlist_position, 1);
    const wl1 = await move(w.provA, refs[1].id, 'waitlisted');
    assert.equal(wl1.waitlist_position, 1, 'referred earlier, so first in line');
    assert.equal((await getOk(w.provA, `${API}/referrals/${refs[2].id}`)).waitlist_position, 2);
    const cap = await getOk(as.viewer, `${API}/services/${sid}/capacity`);
    assert.deepEqual(cap, { service_id: w.s2.id, places: 1, period: 'cohort', used: 1, available: 0, waitlisted: 2 });

    // A place frees up: the first in line goes, not the second.
    await move(as.link_worker, refs[0].id, 'cancelled', { reason: 'Moved away' });
    assertProblem(await w.provA.post(`${API}/referrals/${refs[2].id}/transitions`, { to: 'accepted' }), 409,
      { detail: '1 referral is ahead on the waitlist.' });
    await move(w.provA, refs[1].id, 'accepted');

    // No limit any more.
    const off = await w.provA.put(`${API}/services/${sid}/capacity`, { places: null });
    assert.equal(off.status, 200, off.text);
    assert.equal(off.data.places, null);
    await move(w.provA, refs[2].id, 'accepted');
  });
});
