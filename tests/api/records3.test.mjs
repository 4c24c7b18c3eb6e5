// Issue 3's records over HTTP: each route creates what is valid, and refuses
// bad input (unknown ids, wrong enums, end before start, writes outside a
// place lead's places) with a clear 4xx that changes nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { API, assertRefused, create, getOk, signInRoles, unique } from './helpers.mjs';

let server, c, mine, other;
const w = {};

before(async () => {
  server = await startServer();
  c = await signInRoles(server, ['admin', 'system_lead', 'place_lead', 'viewer', 'provider']);
  const session = await getOk(c.place_lead, `${API}/session`);
  mine = session.user.place_ids[0];
  const places = (await getOk(c.admin, `${API}/places?per_page=100`)).items;
  other = places.find((p) => p.id !== mine).id;
  const lead = c.system_lead;
  w.orgMine = (await create(lead, 'organisations', { name: unique('Mine Org'), sector: 'vcse', place_ids: [mine] })).id;
  w.orgOther = (await create(lead, 'organisations', { name: unique('Other Org'), sector: 'nhs', place_ids: [other] })).id;
  w.personMine = (await create(lead, 'people', { organisation_id: w.orgMine, name: unique('Person') })).id;
  w.personOther = (await create(lead, 'people', { organisation_id: w.orgOther, name: unique('Person') })).id;
  w.nbMine = (await getOk(lead, `${API}/neighbourhoods?place_id=${mine}`)).items[0].id;
  w.nbOther = (await getOk(lead, `${API}/neighbourhoods?place_id=${other}`)).items[0].id;
  w.ch = (await create(lead, 'strategies', { name: unique('CH'), kind: 'creative_health', level: 'system' })).id;
  w.pc = (await create(lead, 'strategies', { name: unique('PC'), kind: 'personalised_care', level: 'system' })).id;
  w.chPlace = (await create(lead, 'strategies', { name: unique('CH place'), kind: 'creative_health', level: 'place', place_id: mine })).id;
  w.chP = (await lead.post(`${API}/strategies/${w.ch}/priorities`, { title: 'Arts on prescription' })).data.id;
  w.pcP = (await lead.post(`${API}/strategies/${w.pc}/priorities`, { title: 'Choice and control' })).data.id;
  w.action = (await create(lead, 'actions', { title: unique('Act'), owner_person_id: w.personMine, due_date: '2027-01-01', status: 'on_track', place_id: mine })).id;
});
after(async () => { await server?.stop(); });

// A valid body per route, and the bad variants each must refuse.
const routes = () => [
  ['champions', { person_id: w.personMine, level: 'neighbourhood', neighbourhood_id: w.nbMine, sector: 'vcse', start_date: '2026-01-01' }, [
    [{ person_id: 999999 }, 'person_id'], [{ level: 'regional' }, 'level'],
    [{ end_date: '2025-12-31' }, 'end_date'], [{ start_date: '2026-13-01' }, 'start_date']]],
  ['connections', { from_organisation_id: w.orgMine, to_organisation_id: w.orgOther, kind: 'mou', start_date: '2026-02-01', place_id: mine }, [
    [{ to_organisation_id: 999999 }, 'to_organisation_id'], [{ kind: 'friendship' }, 'kind'],
    [{ end_date: '2026-01-01' }, 'end_date'], [{ to_organisation_id: w.orgMine }, 'to_organisation_id']]],
  ['resources', { kind: 'funding', organisation_id: w.orgMine, place_id: mine, amount_pence: 500000, period_start: '2026-04-01' }, [
    [{ organisation_id: 999999 }, 'organisation_id'], [{ kind: 'money' }, 'kind'],
    [{ period_end: '2026-03-31' }, 'period_end'], [{ amount_pence: -1 }, 'amount_pence']]],
  ['strategies', { name: 'S', kind: 'health_inequalities', level: 'place', place_id: mine }, [
    [{ place_id: 999999 }, 'place_id'], [{ kind: 'arts' }, 'kind'],
    [{ period_start: '2027-01-01', period_end: '2026-01-01' }, 'period_end'], [{ level: 'place', place_id: null }, 'place_id']]],
  ['priorities', { strategy_id: w.chPlace, title: 'P' }, [
    [{ strategy_id: 999999 }, 'strategy_id'], [{ title: '' }, 'title']]],
  ['alignments', { creative_health_priority_id: w.chP, priority_id: w.pcP, rationale: 'Because' }, [
    [{ priority_id: 999999 }, 'priority_id'], [{ priority_id: w.chP }, 'priority_id'], [{ rationale: null }, 'rationale']]],
  ['actions', { title: 'A', owner_person_id: w.personMine, due_date: '2027-01-01', status: 'on_track', place_id: mine }, [
    [{ owner_person_id: 999999 }, 'owner_person_id'], [{ status: 'late' }, 'status'], [{ due_date: 'soon' }, 'due_date']]],
  ['action-notes', { action_id: w.action, noted_on: '2026-11-20', note: 'Met the group' }, [
    [{ action_id: 999999 }, 'action_id'], [{ noted_on: '2026-11-31' }, 'noted_on']]],
  ['coproduction', { strategy_id: w.chPlace, held_on: '2026-10-01', kind: 'workshop', title: 'W', local_people: 12 }, [
    [{ strategy_id: 999999 }, 'strategy_id'], [{ kind: 'party' }, 'kind'], [{ local_people: -3 }, 'local_people']]],
  ['policies', { organisation_id: w.orgMine, domain: 'safeguarding', version: '1', approved_on: '2026-01-01', approved_by: 'Board', review_due: '2027-01-01' }, [
    [{ organisation_id: 999999 }, 'organisation_id'], [{ domain: 'health' }, 'domain'],
    [{ review_due: '2025-01-01' }, 'review_due'], [{ document_url: 'javascript:alert(1)' }, 'document_url']]],
  ['accountability', { organisation_id: w.orgMine, domain: 'quality', accountable_person_id: w.personOther }, [
    [{ accountable_person_id: 999999 }, 'accountable_person_id'], [{ domain: 'finance' }, 'domain'],
    [{ accountable_person_id: w.personMine }, 'accountable_person_id']]],
  ['sharing-agreements', { title: 'ISA', party_ids: [w.orgMine, w.orgOther], purpose: 'Referrals', lawful_basis: 'public_task', data_categories: 'Contact details', start_date: '2026-01-01', review_date: '2027-01-01' }, [
    [{ party_ids: [w.orgMine, 999999] }, 'party_ids'], [{ lawful_basis: 'because' }, 'lawful_basis'],
    [{ review_date: '2025-06-01' }, 'review_date'], [{ party_ids: [w.orgMine] }, 'party_ids']]],
];

test('every new route creates a valid record and reads it back (201, Location, 200)', async () => {
  for (const [name, body] of routes()) {
    const r = await c.system_lead.post(`${API}/${name}`, body);
    assert.equal(r.status, 201, `${name}: ${r.text}`);
    assert.equal(r.headers.get('location'), `${API}/${name}/${r.data.id}`);
    const again = await getOk(c.viewer, `${API}/${name}/${r.data.id}`);
    assert.equal(again.id, r.data.id);
  }
});

test('bad input to every new route is a 422 naming the field, and nothing changes', async () => {
  for (const [name, body, bad] of routes()) {
    for (const [change, field] of bad) {
      await assertRefused(c.admin, () => c.system_lead.post(`${API}/${name}`, { ...body, ...change }), 422,
        { fields: [field] });
    }
    await assertRefused(c.admin, () => c.system_lead.post(`${API}/${name}`, { ...body, colour: 'red' }), 422,
      { fields: ['colour'] });
  }
});

test('a place lead is refused outside their place and system-wide, with nothing changed', async () => {
  const pl = c.place_lead;
  const outside = [
    ['champions', { person_id: w.personOther, level: 'neighbourhood', neighbourhood_id: w.nbOther, sector: 'nhs', start_date: '2026-01-01' }],
    ['champions', { person_id: w.personMine, level: 'system', sector: 'vcse', start_date: '2026-01-01' }],
    ['connections', { from_organisation_id: w.orgMine, to_organisation_id: w.orgOther, kind: 'mou', start_date: '2026-02-01', place_id: other }],
    ['connections', { from_organisation_id: w.orgMine, to_organisation_id: w.orgOther, kind: 'mou', start_date: '2026-02-01' }],
    ['resources', { kind: 'venue', organisation_id: w.orgOther, place_id: other, hours: 10, period_start: '2026-04-01' }],
    ['strategies', { name: 'Theirs', kind: 'other', level: 'place', place_id: other }],
    ['priorities', { strategy_id: w.ch, title: 'System priority' }],
    ['actions', { title: 'Theirs', owner_person_id: w.personOther, due_date: '2027-01-01', status: 'on_track', place_id: other }],
    ['policies', { organisation_id: w.orgOther, domain: 'safeguarding', version: '1', approved_on: '2026-01-01', approved_by: 'Board', review_due: '2027-01-01' }],
    ['accountability', { organisation_id: w.orgOther, domain: 'data', accountable_person_id: w.personMine }],
  ];
  for (const [name, body] of outside) await assertRefused(c.admin, () => pl.post(`${API}/${name}`, body), 403);
  // ...and may write inside their place.
  const ok = await pl.post(`${API}/actions`, { title: unique('Mine'), owner_person_id: w.personMine, due_date: '2027-02-01', status: 'not_started', place_id: mine });
  assert.equal(ok.status, 201, ok.text);
  // Moving it out of their place is refused too.
  await assertRefused(c.admin, () => pl.patch(`${API}/actions/${ok.data.id}`, { place_id: other }), 403,
    { reread: [`${API}/actions/${ok.data.id}`] });
});

test('viewers and providers read but do not write leadership and strategy records', async () => {
  for (const role of ['viewer', 'provider']) {
    assert.equal((await c[role].get(`${API}/champions`)).status, 200);
    await assertRefused(c.admin, () => c[role].post(`${API}/strategies`, { name: 'X', kind: 'other', level: 'system' }), 403);
    await assertRefused(c.admin, () => c[role].del(`${API}/actions/${w.action}`), 403,
      { reread: [`${API}/actions/${w.action}`] });
  }
});

test('deleting a strategy with priorities is a 409 saying what refers to it', async () => {
  await assertRefused(c.admin, () => c.system_lead.del(`${API}/strategies/${w.ch}`), 409,
    { detail: 'priorities' });
});

test('the nested priorities route lists and creates under its strategy only', async () => {
  const list = await getOk(c.viewer, `${API}/strategies/${w.ch}/priorities`);
  assert.ok(list.items.every((p) => p.strategy_id === w.ch));
  assert.ok(list.items.some((p) => p.id === w.chP));
  await assertRefused(c.admin, () => c.system_lead.post(`${API}/strategies/${w.ch}/priorities`,
    { title: 'X', strategy_id: w.pc }), 422, { fields: ['strategy_id'] });
  assert.equal((await c.viewer.get(`${API}/strategies/999999/priorities`)).status, 404);
});
