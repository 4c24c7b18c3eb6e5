// API tests of a referral's outcomes (api/outcomes.c, domain/outcomes.h)
// against the real binary and the demo database: scored outcomes with the
// SWEMWBS notice, 422 for wrong answers, 409 for duplicates and stage rules,
// the paired changes, goals, stories, attendance (provider side only), the
// one-time link and its public form (no account; spent once), messages back
// with the referrer notified, and feedback that hides outcomes and words once
// the person withdraws consent. Another organisation's user, an
// administrator and a viewer get 404.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { ownPublishedService, referralAt } from '../lib/pathway.mjs';
import { API, assertProblem, errorFields, getOk, signInRoles } from './helpers.mjs';

let server, c, serviceId;

before(async () => {
  server = await startServer({ demo: true });
  c = await signInRoles(server, ['link_worker', 'provider', 'admin', 'viewer']);
  ({ serviceId } = await ownPublishedService(c.provider));
});

after(async () => {
  if (server) await server.stop();
});

let people = 0;
// A referral from the demo link worker to the demo provider's service, moved
// along the lifecycle to `status` (sent, accepted, started, completed).
function referral(status = 'accepted') {
  people += 1;
  return referralAt(c, serviceId, status,
    { name: `Outcome Person ${people}`, date_of_birth: '1960-05-06', notes: 'Outcome test' });
}

const SW21 = [3, 3, 3, 3, 3, 3, 3];
const SW28 = [4, 4, 4, 4, 4, 4, 4];

test('outcomes are scored as the measures publish them', async () => {
  const { id } = await referral('accepted');
  const sw = await c.provider.post(`${API}/referrals/${id}/outcomes`,
    { measure: 'swemwbs', stage: 'baseline', answers: SW21 });
  assert.equal(sw.status, 201, sw.text);
  assert.equal(sw.data.raw_score, 21);
  assert.equal(sw.data.metric_score, 19.25);
  assert.deepEqual(sw.data.answers, SW21);
  assert.equal(sw.data.notice,
    '(c) NHS Health Scotland, University of Warwick and University of Edinburgh, 2008');
  const ons = await c.link_worker.post(`${API}/referrals/${id}/outcomes`,
    { measure: 'ons4', stage: 'baseline', answers: [4, 6, 9, 1] });
  assert.equal(ons.status, 201, ons.text);
  assert.equal(ons.data.life_satisfaction, 4);
  assert.equal(ons.data.life_satisfaction_band, 'low');
  assert.equal(ons.data.worthwhile_band, 'medium');
  assert.equal(ons.data.happiness, 9);
  assert.equal(ons.data.happiness_band, 'very high');
  assert.equal(ons.data.anxiety_band, 'very low');
  assert.equal(ons.data.notice, undefined);
  const ucla = await c.provider.post(`${API}/referrals/${id}/outcomes`,
    { measure: 'ucla3', stage: 'baseline', answers: [1, 2, 3] });
  assert.equal(ucla.status, 201, ucla.text);
  assert.equal(ucla.data.raw_score, 6);
  assert.equal(ucla.data.metric_score, null);
});

test('wrong answers are 422, duplicates and early stages 409', async () => {
  const { id } = await referral('accepted');
  const url = `${API}/referrals/${id}/outcomes`;
  let body = assertProblem(await c.provider.post(url,
    { measure: 'swemwbs', stage: 'baseline', answers: [3, 3, 3] }), 422);
  assert.ok(errorFields(body).includes('answers'));
  body = assertProblem(await c.provider.post(url,
    { measure: 'swemwbs', stage: 'baseline', answers: [3, 3, 6, 3, 3, 0, 3] }), 422);
  assert.deepEqual(errorFields(body), ['answers[2]', 'answers[5]']);
  body = assertProblem(await c.provider.post(url,
    { measure: 'ons4', stage: 'baseline', answers: [4, '5', 6.5, 7] }), 422);
  assert.deepEqual(errorFields(body), ['answers[1]', 'answers[2]']);
  assertProblem(await c.provider.post(url, { measure: 'phq9', stage: 'baseline', answers: SW21 }),
    422, { fields: ['measure'] });
  assertProblem(await c.provider.post(url, { measure: 'swemwbs', stage: 'week2', answers: SW21 }),
    422, { fields: ['stage'] });
  assertProblem(await c.provider.post(url, { measure: 'swemwbs', stage: 'baseline', answers: 'all 3' }),
    422, { fields: ['answers'] });
  assertProblem(await c.provider.post(url, { measure: 'swemwbs', stage: 'final', answers: SW28 }),
    409, { detail: 'accepted' });
  assert.equal((await c.provider.post(url, { measure: 'swemwbs', stage: 'baseline', answers: SW21 })).status, 201);
  assertProblem(await c.provider.post(url, { measure: 'swemwbs', stage: 'baseline', answers: SW28 }),
    409, { detail: 'already been recorded' });
  const list = await getOk(c.provider, url);
  assert.equal(list.total, 1);
  assert.equal(list.items[0].metric_score, 19.25);
});

test('the list pairs baseline and final into changes', async () => {
  const { id } = await referral('started');
  const url = `${API}/referrals/${id}/outcomes`;
  const post = async (measure, stage, answers) => {
    const r = await c.provider.post(url, { measure, stage, answers });
    assert.equal(r.status, 201, r.text);
  };
  await post('swemwbs', 'baseline', SW21);
  await post('ons4', 'baseline', [4, 5, 6, 7]);
  await post('ucla3', 'baseline', [3, 3, 2]);
  let list = await getOk(c.link_worker, url);
  assert.deepEqual(list.changes, {});
  await post('swemwbs', 'midpoint', SW21);
  await post('swemwbs', 'final', SW28);
  await post('ons4', 'final', [7, 8, 6, 3]);
  await post('ucla3', 'final', [2, 1, 2]);
  list = await getOk(c.link_worker, url);
  assert.equal(list.total, 7);
  assert.deepEqual(list.items.map((o) => o.stage),
    ['baseline', 'baseline', 'baseline', 'midpoint', 'final', 'final', 'final']);
  const sw = list.changes.swemwbs;
  assert.equal(sw.baseline, 19.25);
  assert.equal(sw.final, 25.03);
  assert.ok(Math.abs(sw.change - 5.78) < 1e-9);
  assert.equal(sw.meaningful, true);
  assert.deepEqual(list.changes.ucla3, { baseline: 8, final: 5, change: -3 });
  assert.deepEqual(list.changes.ons4.life_satisfaction, { baseline: 4, final: 7, change: 3 });
  assert.deepEqual(list.changes.ons4.anxiety, { baseline: 7, final: 3, change: -4 });
});

test('goals with ratings, stories, and attendance by the provider only', async () => {
  const { id } = await referral('started');
  const g = await c.link_worker.post(`${API}/referrals/${id}/goals`,
    { goal: 'Get out of the house twice a week', rating: 2 });
  assert.equal(g.status, 201, g.text);
  assert.equal(g.data.baseline, 2);
  assert.equal(g.data.final, null);
  const rated = await c.provider.post(`${API}/goals/${g.data.id}/ratings`, { stage: 'final', rating: 7 });
  assert.equal(rated.status, 201, rated.text);
  assert.equal(rated.data.final, 7);
  assertProblem(await c.provider.post(`${API}/goals/${g.data.id}/ratings`, { stage: 'final', rating: 8 }), 409);
  assertProblem(await c.provider.post(`${API}/goals/${g.data.id}/ratings`, { stage: 'midpoint', rating: 11 }),
    422, { fields: ['rating'] });
  assertProblem(await c.provider.post(`${API}/referrals/${id}/goals`, { goal: '' }), 422, { fields: ['goal'] });
  const goals = await getOk(c.provider, `${API}/referrals/${id}/goals`);
  assert.equal(goals.total, 1);
  assert.equal(goals.items[0].goal, 'Get out of the house twice a week');

  const s = await c.provider.post(`${API}/referrals/${id}/stories`, { body: 'Singing gives my week a shape.' });
  assert.equal(s.status, 201, s.text);
  assert.equal(s.data.via, 'practitioner');
  assert.equal((await getOk(c.link_worker, `${API}/referrals/${id}/stories`)).items[0].body,
    'Singing gives my week a shape.');

  assertProblem(await c.link_worker.post(`${API}/referrals/${id}/attendance`,
    { session_date: '2026-01-05', attended: true }), 403);
  const a = await c.provider.post(`${API}/referrals/${id}/attendance`,
    { session_date: '2026-01-05', attended: true, note: 'First session' });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.data.attended, true);
  const again = await c.provider.post(`${API}/referrals/${id}/attendance`,
    { session_date: '2026-01-05', attended: false });
  assert.equal(again.status, 201);
  assertProblem(await c.provider.post(`${API}/referrals/${id}/attendance`,
    { session_date: '2999-01-01', attended: true }), 422, { fields: ['session_date'] });
  assertProblem(await c.provider.post(`${API}/referrals/${id}/attendance`,
    { session_date: '2026-01-12', attended: 'yes' }), 422, { fields: ['attended'] });
  const att = await getOk(c.link_worker, `${API}/referrals/${id}/attendance`);
  assert.equal(att.total, 1);
  assert.equal(att.items[0].attended, false);
});

test('nobody outside the referral learns it exists', async () => {
  const { id } = await referral('started');
  for (const role of ['admin', 'viewer']) {
    for (const p of ['outcomes', 'goals', 'stories', 'attendance', 'feedback']) {
      assertProblem(await c[role].get(`${API}/referrals/${id}/${p}`), 404);
    }
    assertProblem(await c[role].post(`${API}/referrals/${id}/outcomes`,
      { measure: 'ucla3', stage: 'baseline', answers: [1, 1, 1] }), 404);
    assertProblem(await c[role].post(`${API}/referrals/${id}/outcome-links`,
      { stage: 'baseline', measures: ['ucla3'] }), 404);
  }
  assertProblem(await c.provider.get(`${API}/referrals/999999/outcomes`), 404);
});

test('a one-time link opens the public form once, without an account', async () => {
  const { id } = await referral('accepted');
  const l = await c.provider.post(`${API}/referrals/${id}/outcome-links`,
    { stage: 'baseline', measures: ['swemwbs', 'ucla3'] });
  assert.equal(l.status, 201, l.text);
  assert.match(l.data.url, /^\/outcome\/[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(l.data.measures, ['swemwbs', 'ucla3']);
  assert.ok(Date.parse(l.data.expires_at) - Date.now() > 13.9 * 86400e3);
  assertProblem(await c.provider.post(`${API}/referrals/${id}/outcome-links`,
    { stage: 'baseline', measures: ['swemwbs', 'mood'] }), 422, { fields: ['measures'] });
  assertProblem(await c.provider.post(`${API}/referrals/${id}/outcome-links`,
    { stage: 'final', measures: ['ucla3'] }), 409);

  const form = await fetch(server.url + l.data.url);
  assert.equal(form.status, 200);
  assert.equal(form.headers.get('cache-control'), 'no-store');
  assert.match(form.headers.get('referrer-policy'), /no-referrer$/);
  const html = await form.text();
  assert.ok(html.includes('I&#39;ve been feeling optimistic about the future')
    || html.includes("I've been feeling optimistic about the future"), 'SWEMWBS wording');
  assert.ok(html.includes('How often do you feel isolated from others?'));
  assert.ok(html.includes('(c) NHS Health Scotland, University of Warwick and University of Edinburgh, 2008'));
  assert.ok(!html.includes('Overall, how happy did you feel yesterday?'), 'ONS4 was not asked for');

  // Missing answers: 422 with the summary, nothing stored, the link still usable.
  const partial = new URLSearchParams({ 'swemwbs[0]': '4', 'ucla3[0]': '2', story: 'Kept words' });
  let r = await fetch(server.url + l.data.url, { method: 'POST', body: partial,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 422);
  const again = await r.text();
  assert.ok(again.includes('There is a problem'));
  assert.ok(again.includes('href="#field-swemwbs[1]"'));
  assert.ok(again.includes('Kept words'));
  assert.equal((await getOk(c.provider, `${API}/referrals/${id}/outcomes`)).total, 0);

  const full = new URLSearchParams({ story: 'I have somewhere to be on Tuesdays.' });
  SW28.forEach((v, i) => full.set(`swemwbs[${i}]`, String(v)));
  [2, 2, 1].forEach((v, i) => full.set(`ucla3[${i}]`, String(v)));
  r = await fetch(server.url + l.data.url, { method: 'POST', body: full,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(r.status, 200);
  assert.ok((await r.text()).includes('Thank you'));
  const list = await getOk(c.provider, `${API}/referrals/${id}/outcomes`);
  assert.equal(list.total, 2);
  assert.ok(list.items.every((o) => o.via === 'link'));
  assert.equal((await getOk(c.provider, `${API}/referrals/${id}/stories`)).items[0].via, 'link');

  for (const method of ['GET', 'POST']) {
    r = await fetch(server.url + l.data.url, { method, body: method === 'POST' ? full : undefined,
      headers: method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {} });
    assert.equal(r.status, 404);
    assert.ok((await r.text()).includes('This link has already been used.'));
  }
  assert.equal((await getOk(c.provider, `${API}/referrals/${id}/outcomes`)).total, 2);
  r = await fetch(`${server.url}/outcome/not-a-real-token-at-all-not-at-all-no`);
  assert.equal(r.status, 404);
});

test('messages back and feedback that follows consent', async () => {
  const { id, participant } = await referral('started');
  const post = async (measure, stage, answers) => {
    const r = await c.provider.post(`${API}/referrals/${id}/outcomes`, { measure, stage, answers });
    assert.equal(r.status, 201, r.text);
  };
  await post('swemwbs', 'baseline', SW21);
  await post('swemwbs', 'final', SW28);
  await c.provider.post(`${API}/referrals/${id}/stories`, { body: 'My own words.' });
  await c.provider.post(`${API}/referrals/${id}/attendance`, { session_date: '2026-01-05', attended: true });
  await c.provider.post(`${API}/referrals/${id}/attendance`, { session_date: '2026-01-12', attended: false });

  assertProblem(await c.link_worker.post(`${API}/referrals/${id}/messages`,
    { recipient: 'referrer', body: 'Hi' }), 403);
  assertProblem(await c.provider.post(`${API}/referrals/${id}/messages`,
    { recipient: 'neighbour', body: 'Hi' }), 422, { fields: ['recipient'] });
  const m = await c.provider.post(`${API}/referrals/${id}/messages`,
    { recipient: 'referrer', body: 'Settling in well.' });
  assert.equal(m.status, 201, m.text);
  const gp = await c.provider.post(`${API}/referrals/${id}/messages`, { recipient: 'gp', body: 'For the GP.' });
  assert.equal(gp.status, 201, gp.text);
  const notes = await getOk(c.link_worker, `${API}/notifications`);
  assert.ok(notes.items.some((n) => n.kind === 'referral_feedback' && n.entity_id === id),
    'the referrer was notified');

  let fb = await getOk(c.link_worker, `${API}/referrals/${id}/feedback?recipient=referrer`);
  assert.equal(fb.status, 'started');
  assert.deepEqual(fb.attendance, { attended: 1, missed: 1 });
  assert.equal(fb.outcomes_shared, true);
  assert.equal(fb.changes.swemwbs.meaningful, true);
  assert.equal(fb.stories[0].body, 'My own words.');
  assert.deepEqual(fb.messages.map((x) => x.body), ['Settling in well.']);

  const w = await c.link_worker.post(`${API}/participants/${participant}/consents`,
    { scope: 'outcomes_to_referrer', given: false, method: 'verbal' });
  assert.equal(w.status, 201, w.text);
  fb = await getOk(c.link_worker, `${API}/referrals/${id}/feedback?recipient=referrer`);
  assert.equal(fb.outcomes_shared, false);
  assert.equal(fb.changes, null);
  assert.deepEqual(fb.stories, []);
  assert.deepEqual(fb.attendance, { attended: 1, missed: 1 });
  assert.ok(!JSON.stringify(fb).includes('My own words.'));

  fb = await getOk(c.provider, `${API}/referrals/${id}/feedback?recipient=gp`);
  assert.equal(fb.outcomes_shared, true);
  assert.deepEqual(fb.messages.map((x) => x.body), ['For the GP.']);
  assertProblem(await c.provider.get(`${API}/referrals/${id}/feedback?recipient=family`), 400);
  assertProblem(await c.provider.get(`${API}/referrals/${id}/feedback?who=gp`), 400);
});
