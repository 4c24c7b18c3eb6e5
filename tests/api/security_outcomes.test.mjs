// Security review of outcomes over HTTP (api/outcomes.c, domain/outcomes.h):
// a withdrawal of the person's consent to share outcomes with the referrer
// holds for every route (the lists answer 403, and the GP's copy of the
// feedback is no way round it), and once the person's record is erased
// nothing more is recorded about them (409) and their links do not open.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { ownPublishedService, referralAt } from '../lib/pathway.mjs';
import { API, assertProblem, getOk, signInRoles } from './helpers.mjs';

let server, c, serviceId;

before(async () => {
  server = await startServer({ demo: true });
  c = await signInRoles(server, ['link_worker', 'provider']);
  ({ serviceId } = await ownPublishedService(c.provider));
});

after(async () => {
  if (server) await server.stop();
});

let people = 0;
// A referral from the demo link worker to the demo provider, moved on to status.
function referral(status) {
  people += 1;
  return referralAt(c, serviceId, status,
    { name: `Security Person ${people}`, date_of_birth: '1958-02-03', notes: 'Security test' });
}

const SW21 = [3, 3, 3, 3, 3, 3, 3];
const SW28 = [4, 4, 4, 4, 4, 4, 4];

test('a withdrawal from the referrer holds for the lists and the GP copy', async () => {
  const { id, participant } = await referral('started');
  for (const [stage, answers] of [['baseline', SW21], ['final', SW28]]) {
    const o = await c.provider.post(`${API}/referrals/${id}/outcomes`,
      { measure: 'swemwbs', stage, answers });
    assert.equal(o.status, 201, o.text);
  }
  const s = await c.provider.post(`${API}/referrals/${id}/stories`, { body: 'Words of mine.' });
  assert.equal(s.status, 201, s.text);
  const g = await c.provider.post(`${API}/referrals/${id}/goals`, { goal: 'Sing in public', rating: 2 });
  assert.equal(g.status, 201, g.text);
  const w = await c.link_worker.post(`${API}/participants/${participant}/consents`,
    { scope: 'outcomes_to_referrer', given: false, method: 'verbal' });
  assert.equal(w.status, 201, w.text);

  for (const list of ['outcomes', 'stories', 'goals'])
    assertProblem(await c.link_worker.get(`${API}/referrals/${id}/${list}`), 403,
      { detail: 'withdrawn' });
  const gp = await getOk(c.link_worker, `${API}/referrals/${id}/feedback?recipient=gp`);
  assert.equal(gp.outcomes_shared, false);
  assert.equal(gp.changes, null);
  assert.ok(!JSON.stringify(gp).includes('Words of mine.'));
  assert.ok(!JSON.stringify(gp).includes('Sing in public'));

  // The provider still works with them; the GP's copy carries them.
  const stories = await getOk(c.provider, `${API}/referrals/${id}/stories`);
  assert.deepEqual(stories.items.map((x) => x.body), ['Words of mine.']);
  const forGp = await getOk(c.provider, `${API}/referrals/${id}/feedback?recipient=gp`);
  assert.equal(forGp.outcomes_shared, true);
  assert.equal(forGp.changes.swemwbs.meaningful, true);
});

test('after erasure nothing more is recorded and links do not open', async () => {
  const { id, participant } = await referral('started');
  const l = await c.provider.post(`${API}/referrals/${id}/outcome-links`,
    { stage: 'final', measures: ['ucla3'] });
  assert.equal(l.status, 201, l.text);
  const e = await c.link_worker.post(`${API}/participants/${participant}/erasure`, {});
  assert.equal(e.status, 200, e.text);

  assertProblem(await c.provider.post(`${API}/referrals/${id}/stories`, { body: 'After erasure' }),
    409, { detail: 'anonymised' });
  assertProblem(await c.provider.post(`${API}/referrals/${id}/goals`, { goal: 'After erasure' }), 409);
  assertProblem(await c.provider.post(`${API}/referrals/${id}/messages`,
    { recipient: 'referrer', body: 'After erasure' }), 409);
  assertProblem(await c.provider.post(`${API}/referrals/${id}/attendance`,
    { session_date: '2026-01-05', attended: true, note: 'After erasure' }), 409);
  assertProblem(await c.provider.post(`${API}/referrals/${id}/outcomes`,
    { measure: 'swemwbs', stage: 'midpoint', answers: SW21 }), 409);
  assertProblem(await c.provider.post(`${API}/referrals/${id}/outcome-links`,
    { stage: 'midpoint', measures: ['swemwbs'] }), 409);
  const form = await fetch(server.url + l.data.url);
  assert.equal(form.status, 404);
  await form.text();
});

test('the access log names a one-time link by its pattern, never its secret', async () => {
  const { id } = await referral('started');
  const l = await c.provider.post(`${API}/referrals/${id}/outcome-links`,
    { stage: 'final', measures: ['ucla3'] });
  assert.equal(l.status, 201, l.text);
  const token = l.data.url.split('/').pop();
  assert.ok(token.length >= 40, l.data.url);
  const form = await fetch(server.url + l.data.url);
  assert.equal(form.status, 200);
  await form.text();
  // The log line is written when the response completes: wait for it.
  for (let i = 0; i < 50 && !/GET \/outcome\/\{token\} 200/.test(server.log()); i++)
    await new Promise((r) => setTimeout(r, 20));
  assert.match(server.log(), /GET \/outcome\/\{token\} 200/);
  assert.ok(!server.log().includes(token), 'the secret is not in the log');
});
