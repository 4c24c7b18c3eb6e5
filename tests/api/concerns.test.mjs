// Concerns over HTTP: raising and routing, validation, who sees what,
// transitions, notifications, the deadline settings, escalation driven by
// `chis tick --at` run against the server's own database, and the pages.
//
// The chain built here: a community group whose safeguarding line leads to
// a person at a council, whose safeguarding line leads to a person at an ICB;
// past them the demo place lead (the group works in the place they lead),
// then the demo system lead.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, chis } from '../lib/server.mjs';
import { API, assertProblem, assertRefused, create, getOk, signInRoles, unique } from './helpers.mjs';

const PW = 'a long enough password';
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

let server, as, me, w;

// A new user (made by the admin) and a client signed in as them.
async function newUser(role, organisationId, extra = {}) {
  const email = `${unique('u').replace(/\W+/g, '.')}@example.org`.toLowerCase();
  const u = await create(as.admin, 'users', { email, name: unique('User'), role, organisation_id: organisationId, password: PW, ...extra });
  const c = new Client(server.url);
  await c.signIn(email, PW);
  return { user: u, client: c };
}

before(async () => {
  server = await startServer();
  as = await signInRoles(server, ['admin', 'system_lead', 'place_lead', 'link_worker', 'provider', 'viewer']);
  me = {};
  for (const [role, c] of Object.entries(as)) me[role] = (await getOk(c, `${API}/session`)).user;
  const led = me.place_lead.place_ids[0];
  const lonely = await create(as.system_lead, 'places', { name: unique('Lonely Place') });
  const org = (sector, placeId) => create(as.system_lead, 'organisations', { name: unique('Org'), sector, place_ids: [placeId] });
  w = { led, lonely: lonely.id };
  w.group = await org('vcse', led);
  w.council = await org('local_authority', led);
  w.icb = await org('nhs', led);
  w.orphan = await org('vcse', lonely.id);
  w.councilUser = await newUser('viewer', w.council.id);
  w.icbUser = await newUser('viewer', w.icb.id);
  w.orphanProvider = await newUser('provider', w.orphan.id);
  w.councilPerson = await create(as.admin, 'people', { organisation_id: w.council.id, name: 'Cara Council', user_id: w.councilUser.user.id });
  w.icbPerson = await create(as.admin, 'people', { organisation_id: w.icb.id, name: 'Ian ICB', user_id: w.icbUser.user.id });
  await create(as.system_lead, 'accountability', { organisation_id: w.group.id, domain: 'safeguarding', accountable_person_id: w.councilPerson.id });
  await create(as.system_lead, 'accountability', { organisation_id: w.council.id, domain: 'safeguarding', accountable_person_id: w.icbPerson.id });
});
after(async () => { await server?.stop(); });

const body = (over = {}) => ({
  organisation_id: w.group.id, category: 'safeguarding', severity: 'urgent',
  description: 'Volunteers were left alone with a participant.', ...over,
});

async function raise(client, over) {
  const r = await client.post(`${API}/concerns`, body(over));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.headers.get('location'), `${API}/concerns/${r.data.id}`);
  return r.data;
}

const plus = (iso, seconds) => new Date(Date.parse(iso) + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const tick = (at) => chis(['tick', '--at', at, '--db', server.db]);

describe('raising and routing', () => {
  test('a concern goes to the person accountable in its domain, with a deadline', async () => {
    const c = await raise(as.link_worker);
    assert.equal(c.status, 'open');
    assert.equal(c.owner_person_id, w.councilPerson.id);
    assert.equal(c.owner_user_id, null);
    assert.equal(c.owner_name, 'Cara Council');
    assert.equal(c.escalation_level, 0);
    assert.equal(c.raised_by_user_id, me.link_worker.id);
    assert.match(c.deadline, ISO);
    assert.equal(Date.parse(c.deadline) - Date.parse(c.created_at), 4 * 3600 * 1000);
    // It is in the owner's queue (through the person linked to their account), and they were told.
    const queue = await getOk(w.councilUser.client, `${API}/concerns?queue=mine`);
    assert.ok(queue.items.some((x) => x.id === c.id));
    const notes = await getOk(w.councilUser.client, `${API}/notifications`);
    const n = notes.items.find((x) => x.entity === 'concerns' && x.entity_id === c.id);
    assert.equal(n.kind, 'concern_routed');
    assert.equal(n.read_at, null);
    assert.ok(notes.unread >= 1);
    // The raiser sees it among those they raised; the events say raised, then routed.
    const raised = await getOk(as.link_worker, `${API}/concerns?queue=raised`);
    assert.ok(raised.items.some((x) => x.id === c.id));
    const ev = await getOk(as.link_worker, `${API}/concerns/${c.id}/events`);
    assert.deepEqual(ev.items.map((e) => e.type), ['raised', 'routed']);
    assert.equal(ev.items[0].actor, me.link_worker.email);
    assert.match(ev.items[1].note, /Cara Council, accountable for safeguarding/);
  });

  test('with no line: the place lead, then the system lead', async () => {
    const data = await raise(as.link_worker, { organisation_id: w.council.id, category: 'data', severity: 'medium' });
    assert.equal(data.owner_person_id, null);
    assert.equal(data.owner_user_id, me.place_lead.id);
    const cap = await raise(as.link_worker, { organisation_id: w.orphan.id, category: 'capacity', severity: 'low', service_id: 77 });
    assert.equal(cap.owner_user_id, me.system_lead.id);
    assert.equal(cap.service_id, 77);
    assert.equal(Date.parse(cap.deadline) - Date.parse(cap.created_at), 10 * 86400 * 1000);
  });

  test('bad input is 422 naming each field, and nothing is created', async () => {
    const cases = [
      [{ organisation_id: 999999 }, ['organisation_id']],
      [{ category: 'gossip' }, ['category']],
      [{ severity: 'URGENT' }, ['severity']],
      [{ description: undefined }, ['description']],
      [{ description: '   ' }, ['description']],
      [{ organisation_id: 'the choir', service_id: -3 }, ['organisation_id', 'service_id']],
      [{ status: 'closed' }, ['status']],
    ];
    const before = (await getOk(as.system_lead, `${API}/concerns?per_page=1`)).total;
    for (const [over, fields] of cases) {
      await assertRefused(as.admin, () => as.link_worker.post(`${API}/concerns`, body(over)), 422, { fields });
    }
    assert.equal((await getOk(as.system_lead, `${API}/concerns?per_page=1`)).total, before);
    assertProblem(await as.link_worker.get(`${API}/concerns?status=lost`), 400, { fields: ['status'] });
    assertProblem(await as.link_worker.get(`${API}/concerns?queue=theirs`), 400, { fields: ['queue'] });
    assertProblem(await as.link_worker.get(`${API}/concerns?colour=red`), 400, { fields: ['colour'] });
    assertProblem(await new Client(server.url).get(`${API}/concerns`), 401);
  });
});

describe('who sees what', () => {
  test("another organisation's concern is 404, everywhere", async () => {
    const c = await raise(as.provider, { organisation_id: me.provider.organisation_id, category: 'quality', severity: 'low' });
    const other = w.orphanProvider.client;
    for (const path of [`${API}/concerns/${c.id}`, `${API}/concerns/${c.id}/events`]) {
      assertProblem(await other.get(path), 404);
    }
    // A concern about the group, routed along the lines built here: the viewer has no part in it.
    const g = await raise(as.link_worker, { category: 'quality', severity: 'low' });
    assertProblem(await as.viewer.get(`${API}/concerns/${g.id}`), 404);
    assertProblem(await as.viewer.post(`${API}/concerns/${g.id}/notes`, { note: 'hello' }), 404);
    assertProblem(await other.post(`${API}/concerns/${c.id}/notes`, { note: 'hello' }), 404);
    assertProblem(await other.post(`${API}/concerns/${c.id}/close`, { outcome: 'x' }), 404);
    const nothing = await getOk(other, `${API}/concerns`);
    assert.ok(!nothing.items.some((x) => x.id === c.id));
    assertProblem(await other.get(`${API}/concerns/999999`), 404);
    // The system lead sees it; so does the provider who raised it.
    await getOk(as.system_lead, `${API}/concerns/${c.id}`);
    await getOk(as.provider, `${API}/concerns/${c.id}`);
  });

  test('the place lead sees concerns about organisations in their place, not elsewhere', async () => {
    const here = await raise(as.link_worker, { category: 'quality', severity: 'low' });
    const there = await raise(as.link_worker, { organisation_id: w.orphan.id, category: 'quality', severity: 'low' });
    await getOk(as.place_lead, `${API}/concerns/${here.id}`);
    assertProblem(await as.place_lead.get(`${API}/concerns/${there.id}`), 404);
    const all = await getOk(as.place_lead, `${API}/concerns?per_page=100`);
    assert.ok(all.items.some((x) => x.id === here.id));
    assert.ok(!all.items.some((x) => x.id === there.id));
    const urgent = await getOk(as.system_lead, `${API}/concerns?severity=urgent&status=open&organisation_id=${w.group.id}`);
    assert.ok(urgent.items.every((x) => x.severity === 'urgent' && x.status === 'open' && x.organisation_id === w.group.id));
  });
});

describe('transitions', () => {
  test('acknowledge, note, close; closing needs an outcome; illegal moves are 409', async () => {
    const c = await raise(as.link_worker);
    const path = `${API}/concerns/${c.id}`;
    // The raiser may add a note but not move it on.
    assertProblem(await as.link_worker.post(`${path}/acknowledge`), 403);
    let r = await as.link_worker.post(`${path}/notes`, { note: 'It happened again on Tuesday.' });
    assert.equal(r.status, 201, r.text);
    assertProblem(await as.link_worker.post(`${path}/notes`, { note: ' ' }), 422, { fields: ['note'] });
    // The owner acknowledges (no body needed); the resolution clock starts.
    r = await w.councilUser.client.post(`${path}/acknowledge`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.status, 'acknowledged');
    assert.ok(Date.parse(r.data.deadline) >= Date.parse(c.deadline));
    assertProblem(await w.councilUser.client.post(`${path}/acknowledge`, {}), 409, { detail: /acknowledged/ });
    // Closing without an outcome: 422, and nothing changes.
    await assertRefused(as.admin, () => w.councilUser.client.post(`${path}/close`, {}), 422, { fields: ['outcome'], detail: /Closing needs an outcome/ });
    assert.equal((await getOk(as.system_lead, path)).status, 'acknowledged');
    assertProblem(await w.councilUser.client.post(`${path}/close`, { outcome: 'x', note: 'y' }), 422, { fields: ['note'] });
    r = await w.councilUser.client.post(`${path}/close`, { outcome: 'Spoke to the group; training booked.' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.status, 'closed');
    assert.equal(r.data.outcome, 'Spoke to the group; training booked.');
    assert.equal(r.data.deadline, null);
    assertProblem(await w.councilUser.client.post(`${path}/close`, { outcome: 'again' }), 409, { detail: 'is closed' });
    assertProblem(await as.system_lead.post(`${path}/acknowledge`), 409, { detail: 'closed' });
    assertProblem(await as.system_lead.post(`${path}/resolve`, { outcome: 'late' }), 409, { detail: 'closed' });
    const ev = await getOk(as.link_worker, `${path}/events`);
    assert.deepEqual(ev.items.map((e) => e.type), ['raised', 'routed', 'note', 'acknowledged', 'closed']);
    assert.equal(ev.items[4].note, 'Spoke to the group; training booked.');
    assert.equal(ev.items[3].actor, w.councilUser.user.email);
    // The raiser was told it was closed.
    const notes = await getOk(as.link_worker, `${API}/notifications?unread=true`);
    assert.ok(notes.items.some((n) => n.kind === 'concern_closed' && n.entity_id === c.id));
  });

  test('notifications are read by their recipient only', async () => {
    const list = await getOk(w.councilUser.client, `${API}/notifications?unread=true`);
    assert.ok(list.items.length > 0);
    const n = list.items[0];
    assertProblem(await w.icbUser.client.post(`${API}/notifications/${n.id}/read`), 404);
    const r = await w.councilUser.client.post(`${API}/notifications/${n.id}/read`);
    assert.equal(r.status, 200, r.text);
    assert.match(r.data.read_at, ISO);
    const after = await getOk(w.councilUser.client, `${API}/notifications?unread=true`);
    assert.equal(after.unread, list.unread - 1);
    assertProblem(await w.councilUser.client.get(`${API}/notifications?unread=maybe`), 400);
  });
});

describe('escalation by chis tick', () => {
  test('two escalations up the chain, shown as escalated events', async () => {
    const c = await raise(as.link_worker);
    assert.match(tick(plus(c.deadline, -1)), new RegExp(`^(?!.*#${c.id} ).*`, 's'));
    assert.equal((await getOk(as.system_lead, `${API}/concerns/${c.id}`)).escalation_level, 0);

    let out = tick(c.deadline);
    assert.match(out, new RegExp(`escalated concern #${c.id} about .* to Ian ICB`));
    assert.match(out, /tick at .*: escalated \d+ concerns?, wrote \d+ notifications?/);
    let now = await getOk(as.system_lead, `${API}/concerns/${c.id}`);
    assert.equal(now.owner_person_id, w.icbPerson.id);
    assert.equal(now.escalation_level, 1);
    assert.equal(now.deadline, plus(c.deadline, 4 * 3600));
    // Now in the ICB person's queue; the council person still sees it but it is not theirs.
    assert.ok((await getOk(w.icbUser.client, `${API}/concerns?queue=mine`)).items.some((x) => x.id === c.id));
    assert.ok(!(await getOk(w.councilUser.client, `${API}/concerns?queue=mine`)).items.some((x) => x.id === c.id));
    await getOk(w.councilUser.client, `${API}/concerns/${c.id}`);
    const told = await getOk(w.icbUser.client, `${API}/notifications`);
    assert.ok(told.items.some((n) => n.kind === 'concern_escalated' && n.entity_id === c.id));

    // The same time again does nothing more.
    assert.match(tick(c.deadline), /escalated 0 concerns, wrote 0 notifications/);

    out = tick(now.deadline);
    assert.match(out, new RegExp(`escalated concern #${c.id} about .*place lead`));
    now = await getOk(as.system_lead, `${API}/concerns/${c.id}`);
    assert.equal(now.owner_person_id, null);
    assert.equal(now.owner_user_id, me.place_lead.id);
    assert.equal(now.escalation_level, 2);

    const ev = await getOk(as.link_worker, `${API}/concerns/${c.id}/events`);
    const esc = ev.items.filter((e) => e.type === 'escalated');
    assert.equal(esc.length, 2);
    for (const e of esc) {
      assert.equal(e.actor, 'scheduler');
      assert.match(e.at, ISO);
      assert.match(e.deadline, ISO);
    }
    assert.equal(esc[0].at, c.deadline);
    assert.equal(esc[0].owner_person_id, w.icbPerson.id);
    assert.equal(esc[1].owner_user_id, me.place_lead.id);
    assert.deepEqual(ev.items.map((e) => e.type), ['raised', 'routed', 'escalated', 'escalated']);
  });

  test('a concern acknowledged before its deadline does not escalate at it', async () => {
    const c = await raise(as.link_worker);
    // Times are kept to the second: acknowledge in a later second than the raising, so the
    // resolution clock (as long as the first, from the acknowledgement) ends after it.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const r = await w.councilUser.client.post(`${API}/concerns/${c.id}/acknowledge`, { note: 'On it.' });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.data.deadline > c.deadline, `${r.data.deadline} is not after ${c.deadline}`);
    tick(c.deadline);
    const now = await getOk(as.system_lead, `${API}/concerns/${c.id}`);
    assert.equal(now.status, 'acknowledged');
    assert.equal(now.escalation_level, 0);
    assert.equal(now.owner_person_id, w.councilPerson.id);
    // Its resolution deadline, unmet, does escalate it.
    tick(r.data.deadline);
    assert.equal((await getOk(as.system_lead, `${API}/concerns/${c.id}`)).owner_person_id, w.icbPerson.id);
  });

  test('tick refuses a time it cannot read', () => {
    assert.throws(() => tick('next tuesday'), /--at wants a UTC time/);
  });
});

describe('deadline settings', () => {
  test('everyone reads them; system leads change them; lengths are checked', async () => {
    const d = await getOk(as.viewer, `${API}/settings/concern-deadlines`);
    assert.deepEqual(d, { urgent: '4h', high: '1wd', medium: '5d', low: '10d' });
    assertProblem(await as.place_lead.put(`${API}/settings/concern-deadlines`, { urgent: '2h' }), 403);
    assertProblem(await as.system_lead.put(`${API}/settings/concern-deadlines`, { urgent: 'soon', sometimes: '1h' }), 422, { fields: ['urgent', 'sometimes'] });
    let r = await as.system_lead.put(`${API}/settings/concern-deadlines`, { urgent: '2h', high: '2wd' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.data, { urgent: '2h', high: '2wd', medium: '5d', low: '10d' });
    const c = await raise(as.link_worker);
    assert.equal(Date.parse(c.deadline) - Date.parse(c.created_at), 2 * 3600 * 1000);
    r = await as.system_lead.put(`${API}/settings/concern-deadlines`, { urgent: '4h', high: '1wd' });
    assert.equal(r.status, 200, r.text);
  });
});

describe('pages', () => {
  // A form post with the session's CSRF token, answered without following redirects.
  const form = (client, path, fields) => client.req('POST', path, {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: client.csrf, ...fields }).toString(),
  });

  test('raise a concern, see it, move it on', async () => {
    let r = await as.link_worker.get('/concerns/new');
    assert.equal(r.status, 200);
    assert.match(r.text, /<h1>Raise a concern<\/h1>/);
    assert.match(r.text, /name="csrf"/);
    r = await form(as.link_worker, '/concerns/new', { organisation_id: String(w.group.id), category: 'safeguarding', severity: '', description: '' });
    assert.equal(r.status, 422);
    assert.match(r.text, /nhsuk-error-summary/);
    assert.match(r.text, /href="#field-severity"/);
    assert.match(r.text, /href="#field-description"/);
    r = await form(as.link_worker, '/concerns/new', { organisation_id: String(w.group.id), category: 'safeguarding', severity: 'high', description: 'Fire exit <blocked>' });
    assert.equal(r.status, 303);
    const id = Number(r.headers.get('location').match(/^\/concerns\/(\d+)$/)[1]);
    r = await as.link_worker.get(`/concerns/${id}`);
    assert.equal(r.status, 200);
    assert.match(r.text, /What has happened/);
    assert.match(r.text, /Fire exit &lt;blocked&gt;/);
    assert.match(r.text, /Cara Council/);
    assert.ok(!r.text.includes('action="/concerns/' + id + '/close"'), 'the raiser is offered no close form');
    assert.match(r.text, new RegExp(`action="/concerns/${id}/notes"`));
    assert.equal((await form(as.link_worker, `/concerns/${id}/acknowledge`, {})).status, 403);

    const owner = w.councilUser.client;
    r = await owner.get(`/concerns/${id}`);
    assert.match(r.text, new RegExp(`action="/concerns/${id}/close"`));
    r = await form(owner, `/concerns/${id}/close`, { close_outcome: '' });
    assert.equal(r.status, 422);
    assert.match(r.text, /href="#field-close_outcome">Closing needs an outcome/);
    r = await form(owner, `/concerns/${id}/close`, { close_outcome: 'Exit cleared.' });
    assert.equal(r.status, 303);
    assert.equal(r.headers.get('location'), `/concerns/${id}`);
    r = await form(owner, `/concerns/${id}/close`, { close_outcome: 'Again.' });
    assert.equal(r.status, 409);
    assert.match(r.text, /This concern is closed/);
    assert.equal((await w.orphanProvider.client.get(`/concerns/${id}`)).status, 404);
  });

  test('the lists and the notifications page', async () => {
    let r = await as.link_worker.get('/concerns?queue=raised');
    assert.equal(r.status, 200);
    assert.match(r.text, /Raised by me/);
    assert.equal((await as.link_worker.get('/concerns?queue=all')).status, 400);
    r = await as.system_lead.get('/concerns?queue=all&severity=urgent');
    assert.equal(r.status, 200);
    assert.match(r.text, /<table class="nhsuk-table">/);
    r = await w.councilUser.client.get('/notifications');
    assert.equal(r.status, 200);
    assert.match(r.text, /<h1>Notifications<\/h1>/);
    const unread = (await getOk(w.councilUser.client, `${API}/notifications?unread=true`)).items;
    if (unread.length) {
      r = await form(w.councilUser.client, `/notifications/${unread[0].id}/read`, {});
      assert.equal(r.status, 303);
    }
    r = await as.viewer.get('/settings/concern-deadlines');
    assert.equal(r.status, 200);
    assert.ok(!r.text.includes('<form method="post" action="/settings/concern-deadlines"'));
    assert.equal((await form(as.viewer, '/settings/concern-deadlines', { urgent: '1h' })).status, 403);
    r = await form(as.system_lead, '/settings/concern-deadlines', { urgent: 'soon', high: '1wd', medium: '5d', low: '10d' });
    assert.equal(r.status, 422);
    assert.match(r.text, /href="#field-urgent"/);
  });
});
