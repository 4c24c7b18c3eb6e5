// The social prescribing pages over HTTP: who gets which page (leads,
// viewers and other organisations get 404), the forms' error summaries
// (422 keeping what was typed), the domain's refusals shown on the
// referral's page (403 not your side, 409 naming the state), CSRF
// refusals that change nothing, and post/redirect/get (303) on success.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { API, create, getOk, signInRoles, unique } from './helpers.mjs';

let server, as, w;

// A form post as a browser sends it: the session cookie and the CSRF token
// in the form (unless csrf: null), no header; redirects are not followed.
async function form(client, path, fields, { csrf = client.csrf } = {}) {
  const pairs = Array.isArray(fields) ? [...fields] : Object.entries(fields);
  if (csrf !== null) pairs.unshift(['csrf', csrf]);
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { Cookie: client.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(pairs).toString(),
    redirect: 'manual',
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

// The links of the page's error summary (their #field- targets).
function summaryTargets(html) {
  const box = html.match(/<div class="nhsuk-error-summary"[\s\S]*?<\/div><\/div><\/div>/);
  if (!box) return [];
  return [...box[0].matchAll(/href="#field-([^"]+)"/g)].map((m) => m[1]);
}

// The text of the main element without tags.
function mainText(html) {
  const m = html.match(/<main[^>]*>([\s\S]*)<\/main>/);
  return (m ? m[1] : html).replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/\s+/g, ' ');
}

const idFrom = (r) => Number(r.headers.get('location').split('/').pop().split('#')[0]);

// A new participant through the form; returns its id.
async function newParticipant(client, name, extra = []) {
  const r = await form(client, '/participants/new', [['name', name], ['date_of_birth-day', '12'],
    ['date_of_birth-month', '6'], ['date_of_birth-year', '1948'], ['postcode', 'RV2 4SN'], ...extra]);
  assert.equal(r.status, 303, r.text.slice(0, 2000));
  return idFrom(r);
}

before(async () => {
  server = await startServer();
  as = await signInRoles(server, ['admin', 'system_lead', 'place_lead', 'link_worker', 'provider', 'viewer']);
  w = {};
  // The choir's own service (the demo provider works for Northgate Community Choir).
  const found = await (await fetch(`${server.url}/openreferral/services?search=Northgate%20Community%20Choir`)).json();
  w.service = found.contents.find((s) => s.name === 'Northgate Community Choir');
  assert.ok(w.service, 'the demo has the choir\'s service');
  // A provider of another organisation.
  const place = await create(as.system_lead, 'places', { name: unique('Elsewhere') });
  const org = await create(as.system_lead, 'organisations', { name: unique('Other Arts'), sector: 'vcse', place_ids: [place.id] });
  const email = `${unique('other').replace(/\W+/g, '.')}@example.org`.toLowerCase();
  await create(as.admin, 'users', { email, name: 'Other Provider', role: 'provider', organisation_id: org.id, password: 'a long enough password' });
  w.other = new Client(server.url);
  await w.other.signIn(email, 'a long enough password');
});
after(async () => { await server?.stop(); });

describe('who sees the pages', () => {
  test('leads and viewers get 404 on every referral page; the navigation says so too', async () => {
    const pid = await newParticipant(as.link_worker, unique('Nav Person'));
    for (const role of ['system_lead', 'place_lead', 'viewer']) {
      for (const path of ['/referrals', '/referrals/incoming', '/referrals/new', '/participants',
        '/participants/new', `/participants/${pid}`, '/referrals/1', '/referrals/1/feedback']) {
        const r = await as[role].get(path);
        assert.equal(r.status, 404, `${role} ${path}`);
      }
      const r = await form(as[role], '/participants/new', { name: 'Nobody' });
      assert.equal(r.status, 404, `${role} may not post a person`);
      const home = await as[role].get('/');
      assert.ok(!home.text.includes('href="/referrals"'), `${role} has no Referrals item`);
      assert.ok(home.text.includes('href="/reports/outcomes"'), `${role} has the Reports item`);
    }
    for (const role of ['link_worker', 'provider', 'admin']) {
      const home = await as[role].get('/');
      assert.ok(home.text.includes('href="/referrals"'), `${role} has the Referrals item`);
      assert.equal((await as[role].get('/referrals')).status, 200);
    }
  });

  test('a service page offers a referral to link workers and providers only', async () => {
    const path = `/directory/services/${encodeURIComponent(w.service.id)}`;
    const href = `href="/referrals/new?service_id=${encodeURIComponent(w.service.id)}"`;
    assert.ok((await as.link_worker.get(path)).text.includes(href));
    assert.ok((await as.provider.get(path)).text.includes(href));
    assert.ok(!(await as.viewer.get(path)).text.includes(href));
    assert.ok(!(await fetch(server.url + path).then((r) => r.text())).includes(href));
  });
});

describe('a referral through the pages', () => {
  let pid, rid;

  test('the person form: 422 with an error summary that keeps what was typed, then 303', async () => {
    let r = await form(as.link_worker, '/participants/new', [['name', ''], ['nhs_number', '123 456 7890'],
      ['date_of_birth-day', '31'], ['date_of_birth-month', '2'], ['date_of_birth-year', '1950'],
      ['phone', '01234 567890'], ['consent', 'referral_to_provider']]);
    assert.equal(r.status, 422);
    assert.deepEqual(summaryTargets(r.text).sort(), ['consent_method']);
    r = await form(as.link_worker, '/participants/new', [['name', ''], ['nhs_number', '123 456 7890'],
      ['date_of_birth-day', '31'], ['date_of_birth-month', '2'], ['date_of_birth-year', '1950'],
      ['phone', '01234 567890']]);
    assert.equal(r.status, 422);
    const targets = summaryTargets(r.text);
    for (const f of ['name', 'nhs_number', 'date_of_birth']) assert.ok(targets.includes(f), `summary links ${f}: ${targets}`);
    assert.match(r.text, /id="field-date_of_birth"[^>]*value="31"/);
    assert.match(r.text, /name="phone"[^>]*value="01234 567890"/);
    const name = unique('Ada Referred');
    pid = await newParticipant(as.link_worker, name, [['nhs_number', '943 476 5919'], ['ethnicity', 'white_british'],
      ['consent', 'referral_to_provider'], ['consent', 'outcomes_to_referrer'], ['consent', 'story_public'], ['consent_method', 'verbal']]);
    r = await as.link_worker.get(`/participants/${pid}`);
    assert.equal(r.status, 200);
    const text = mainText(r.text);
    assert.ok(text.includes(name));
    assert.ok(text.includes('9434765919') || text.includes('943 476 5919'));
    assert.match(text, /Share their story publicly Given/);
    assert.match(text, /Consent history/);
  });

  test('consent withdrawn through the form; a missing choice is 422', async () => {
    let r = await form(as.link_worker, `/participants/${pid}/consents`, { scope: 'story_public', method: 'written' });
    assert.equal(r.status, 422);
    assert.deepEqual(summaryTargets(r.text), ['given']);
    r = await form(as.link_worker, `/participants/${pid}/consents`, { scope: 'story_public', given: 'false', method: 'written', note: 'Changed their mind' });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), `/participants/${pid}#consent`);
    const text = mainText((await as.link_worker.get(`/participants/${pid}`)).text);
    assert.match(text, /Share their story publicly Not given/);
    assert.match(text, /Withdrawn Written/);
  });

  test('CSRF: a form without the token is 403 and makes nothing', async () => {
    const before = (await as.link_worker.get('/participants?q=CSRF%20Person')).text;
    assert.match(before, /No people found/);
    const r = await form(as.link_worker, '/participants/new', { name: 'CSRF Person', 'date_of_birth-day': '1', 'date_of_birth-month': '1', 'date_of_birth-year': '1960' }, { csrf: null });
    assert.equal(r.status, 403);
    assert.match((await as.link_worker.get('/participants?q=CSRF%20Person')).text, /No people found/);
    const wrong = await form(as.link_worker, '/participants/new', { name: 'CSRF Person', 'date_of_birth-day': '1', 'date_of_birth-month': '1', 'date_of_birth-year': '1960' }, { csrf: 'not-the-token' });
    assert.equal(wrong.status, 403);
    assert.match((await as.link_worker.get('/participants?q=CSRF%20Person')).text, /No people found/);
  });

  test('making a referral: the service search, an unknown need (422), a draft (303)', async () => {
    let r = await as.link_worker.get(`/referrals/new?participant_id=${pid}&search=${encodeURIComponent('Northgate Community Choir')}`);
    assert.equal(r.status, 200);
    assert.ok(r.text.includes(`service_id=${encodeURIComponent(w.service.id)}`), 'the search offers the choir');
    r = await as.link_worker.get(`/referrals/new?participant_id=${pid}&service_id=${encodeURIComponent(w.service.id)}`);
    assert.match(r.text, /Save as draft/);
    assert.match(r.text, /Loneliness and isolation/);
    r = await form(as.link_worker, '/referrals/new', [['participant_id', String(pid)], ['service_id', w.service.id],
      ['needs', 'not-a-term'], ['notes', 'Keep <this>'], ['urgency', 'urgent'], ['action', 'draft']]);
    assert.equal(r.status, 422);
    assert.deepEqual(summaryTargets(r.text), ['needs']);
    assert.ok(r.text.includes('Keep &lt;this&gt;</textarea>'), 'the notes are kept, escaped');
    assert.match(r.text, /value="urgent" checked/);
    r = await form(as.link_worker, '/referrals/new', [['participant_id', String(pid)], ['service_id', w.service.id],
      ['needs', 'e5da9343-4503-4f7d-bd58-ca5897bc7c75'], ['notes', 'Loves to sing'], ['urgency', 'routine'], ['action', 'draft']]);
    assert.equal(r.status, 303);
    rid = idFrom(r);
    const text = mainText((await as.link_worker.get(`/referrals/${rid}`)).text);
    assert.match(text, /Status Draft/);
    assert.match(text, /Loneliness and isolation/);
    assert.match(text, /871731000000106 Referral to social prescribing service/);
    // A draft is not the provider's to see.
    assert.equal((await as.provider.get(`/referrals/${rid}`)).status, 404);
  });

  test('sending, then sending again: 409 naming the state, nothing changed', async () => {
    let r = await form(as.link_worker, `/referrals/${rid}/transitions`, { to: 'sent' });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), `/referrals/${rid}`);
    r = await form(as.link_worker, `/referrals/${rid}/transitions`, { to: 'sent' });
    assert.equal(r.status, 409);
    assert.match(mainText(r.text), /There is a problem .*sent/);
    assert.match(mainText(r.text), /Status Sent/);
    // The referrer side may not accept.
    r = await form(as.link_worker, `/referrals/${rid}/transitions`, { to: 'accepted' });
    assert.equal(r.status, 403);
    assert.match(mainText(r.text), /Status Sent/);
  });

  test('another organisation\'s provider gets 404 everywhere, and changes nothing', async () => {
    for (const path of [`/referrals/${rid}`, `/referrals/${rid}/feedback?recipient=referrer`, `/participants/${pid}`]) {
      const r = await w.other.get(path);
      assert.equal(r.status, 404, path);
      assert.ok(!r.text.includes('Ada Referred'), 'nothing leaks');
    }
    for (const [path, body] of [[`/referrals/${rid}/transitions`, { to: 'accepted' }],
      [`/referrals/${rid}/outcomes`, { measure: 'ucla3', ucla3_stage: 'baseline', ucla3_1: '1', ucla3_2: '1', ucla3_3: '1' }],
      [`/participants/${pid}/consents`, { scope: 'outcomes_to_gp', given: 'true', method: 'verbal' }]]) {
      assert.equal((await form(w.other, path, body)).status, 404, path);
    }
    assert.ok(!(await w.other.get('/referrals/incoming')).text.includes(`/referrals/${rid}"`));
    assert.match(mainText((await as.link_worker.get(`/referrals/${rid}`)).text), /Status Sent/);
  });

  test('the provider: incoming, decline needs a reason (422), accept, capacity', async () => {
    let r = await as.provider.get('/referrals/incoming');
    assert.equal(r.status, 200);
    assert.ok(r.text.includes(`href="/referrals/${rid}"`));
    assert.ok(r.text.includes(`action="/referrals/${rid}/transitions"`), 'accept inline');
    // The provider may not cancel.
    r = await form(as.provider, `/referrals/${rid}/transitions`, { to: 'cancelled', 'reason-cancelled': 'No' });
    assert.equal(r.status, 403);
    r = await form(as.provider, `/referrals/${rid}/transitions`, { to: 'declined', 'reason-declined': '' });
    assert.equal(r.status, 422);
    assert.deepEqual(summaryTargets(r.text), ['reason-declined']);
    // Capacity: a bad number is 422, one place is saved.
    const rid2 = w.service.id;
    r = await form(as.provider, '/referrals/incoming/capacity', { service_id: rid2, places: 'lots', period: 'cohort' });
    assert.equal(r.status, 422);
    r = await form(as.provider, '/referrals/incoming/capacity', { service_id: rid2, places: '1', period: 'cohort' });
    assert.equal(r.status, 303);
    r = await form(as.provider, `/referrals/${rid}/transitions`, { to: 'accepted' });
    assert.equal(r.status, 303);
    assert.match(mainText((await as.provider.get('/referrals/incoming')).text), /1 of 1 places taken in this cohort; 0 waiting/);
    // The link worker may not change the provider's places.
    r = await form(as.link_worker, '/referrals/incoming/capacity', { service_id: rid2, places: '9', period: 'week' });
    assert.equal(r.status, 403);
  });

  test('outcomes: a missing answer (422), a baseline (303), the same again (409)', async () => {
    const answers = { measure: 'swemwbs', swemwbs_stage: 'baseline', swemwbs_1: '3', swemwbs_2: '3', swemwbs_4: '3', swemwbs_5: '3', swemwbs_6: '3', swemwbs_7: '3' };
    let r = await form(as.provider, `/referrals/${rid}/outcomes`, answers);
    assert.equal(r.status, 422);
    assert.deepEqual(summaryTargets(r.text), ['swemwbs_3']);
    assert.match(r.text, /<details class="nhsuk-details" id="record-swemwbs" open>/);
    r = await form(as.provider, `/referrals/${rid}/outcomes`, { ...answers, swemwbs_3: '3' });
    assert.equal(r.status, 303);
    r = await form(as.provider, `/referrals/${rid}/outcomes`, { ...answers, swemwbs_3: '3' });
    assert.equal(r.status, 409);
    const text = mainText((await as.link_worker.get(`/referrals/${rid}`)).text);
    assert.match(text, /SWEMWBS Baseline Metric score 19\.25 \(raw 21 of 35\)/);
    assert.match(text, /NHS Health Scotland, University of Warwick and University of Edinburgh, 2008/);
  });

  test('attendance is the provider\'s; the feedback page shows it', async () => {
    let r = await form(as.provider, `/referrals/${rid}/transitions`, { to: 'started' });
    assert.equal(r.status, 303);
    const today = new Date().toISOString().slice(0, 10).split('-');
    const day = { 'session_date-day': today[2], 'session_date-month': today[1], 'session_date-year': today[0], attended: 'true' };
    r = await form(as.link_worker, `/referrals/${rid}/attendance`, day);
    assert.equal(r.status, 403);
    r = await form(as.provider, `/referrals/${rid}/attendance`, { ...day, 'session_date-day': 'x' });
    assert.equal(r.status, 422);
    assert.deepEqual(summaryTargets(r.text), ['session_date']);
    r = await form(as.provider, `/referrals/${rid}/attendance`, day);
    assert.equal(r.status, 303);
    r = await form(as.provider, `/referrals/${rid}/messages`, { recipient: 'referrer', message: 'Settling in well.' });
    assert.equal(r.status, 303);
    r = await as.link_worker.get(`/referrals/${rid}/feedback?recipient=referrer`);
    assert.equal(r.status, 200);
    const text = mainText(r.text);
    assert.match(text, /Came to 1 of 1 sessions/);
    assert.match(text, /Settling in well\./);
    assert.match(text, /Status Started/);
  });

  test('a one-time outcome link is shown once', async () => {
    const r = await form(as.provider, `/referrals/${rid}/links`, [['link_stage', 'final'], ['link_measures', 'swemwbs'], ['link_measures', 'ucla3']]);
    assert.equal(r.status, 200);
    const m = r.text.match(/id="outcome-link">(http[^<]+\/outcome\/([^<]+))</);
    assert.ok(m, 'the link is on the page');
    const again = await as.provider.get(`/referrals/${rid}`);
    assert.ok(!again.text.includes(m[2]), 'the secret is not shown again');
  });

  test('goals with ratings and the person\'s words; the GP sees them only with consent', async () => {
    let r = await form(as.provider, `/referrals/${rid}/goals`, { goal: '', goal_rating: '' });
    assert.equal(r.status, 422);
    assert.deepEqual(summaryTargets(r.text), ['goal']);
    r = await form(as.link_worker, `/referrals/${rid}/goals`, { goal: 'Sing in front of people', goal_rating: '3' });
    assert.equal(r.status, 303);
    const page = (await as.link_worker.get(`/referrals/${rid}`)).text;
    const gid = page.match(new RegExp(`action="/referrals/${rid}/goals/(\\d+)/ratings"`))[1];
    r = await form(as.link_worker, `/referrals/${rid}/goals/${gid}/ratings`, { [`stage-${gid}`]: 'final', [`rating-${gid}`]: '8' });
    assert.equal(r.status, 303);
    r = await form(as.link_worker, `/referrals/${rid}/goals/${gid}/ratings`, { [`stage-${gid}`]: 'final', [`rating-${gid}`]: '9' });
    assert.equal(r.status, 409);
    assert.match(mainText((await as.link_worker.get(`/referrals/${rid}`)).text), /Baseline: 3 out of 10 · Midpoint: not rated · Final: 8 out of 10/);
    r = await form(as.provider, `/referrals/${rid}/stories`, { story: 'I feel part of something.' });
    assert.equal(r.status, 303);
    let text = mainText((await as.link_worker.get(`/referrals/${rid}/feedback?recipient=referrer`)).text);
    assert.match(text, /Sing in front of people \(at the start 3, at the end 8 out of 10\)/);
    assert.match(text, /I feel part of something\./);
    text = mainText((await as.provider.get(`/referrals/${rid}/feedback?recipient=gp`)).text);
    assert.match(text, /I feel part of something\./);
    // Withdrawn for the GP: the GP's feedback keeps status and attendance, not the words.
    r = await form(as.link_worker, `/participants/${pid}/consents`, { scope: 'outcomes_to_gp', given: 'false', method: 'verbal' });
    assert.equal(r.status, 303);
    text = mainText((await as.provider.get(`/referrals/${rid}/feedback?recipient=gp`)).text);
    assert.match(text, /has not agreed to share their outcomes and words with their GP/);
    assert.ok(!text.includes('I feel part of something.'));
    assert.match(text, /Came to 1 of 1 sessions/);
  });

  test('the caseload lists it, with a status filter', async () => {
    let r = await as.link_worker.get('/referrals?status=started');
    assert.equal(r.status, 200);
    assert.ok(r.text.includes(`href="/referrals/${rid}"`));
    r = await as.link_worker.get('/referrals?status=draft');
    assert.ok(!r.text.includes(`href="/referrals/${rid}"`));
    r = await as.link_worker.get('/referrals?status=bogus');
    assert.equal(r.status, 400);
  });
});
