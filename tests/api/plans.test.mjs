// The leadership and strategy views over HTTP: champion coverage, resource
// totals, the alignment matrix, overdue actions, an action's notes, a
// strategy's co-production record, their pages and their bad parameters.
// The demo database may hold leadership records of its own, so every check
// works on records this file makes (a fresh place, strategy or action) or on
// the change its records make to a total.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { API, assertProblem, create, getOk, signInRoles, unique } from './helpers.mjs';

let server, lead, viewer;

before(async () => {
  server = await startServer();
  ({ system_lead: lead, viewer } = await signInRoles(server, ['system_lead', 'viewer']));
});
after(async () => { await server?.stop(); });

// YYYY-MM-DD for today (UTC, as the server counts days) moved by `days`.
function day(days = 0) {
  return new Date(Date.now() + days * 86400000).toISOString().slice(0, 10);
}

async function place() {
  return create(lead, 'places', { name: unique('Place') });
}

async function neighbourhood(placeId) {
  return create(lead, 'neighbourhoods', {
    place_id: placeId, name: unique('PCN'), population: 30000, imd_decile: 2,
  });
}

async function organisation(sector = 'vcse', placeIds = []) {
  return create(lead, 'organisations', { name: unique('Org'), sector, place_ids: placeIds });
}

async function person(orgId, name = unique('Person')) {
  return create(lead, 'people', { organisation_id: orgId, name });
}

// A 400 problem whose errors name `param`.
async function assertBadParam(path, param) {
  const r = await viewer.get(path);
  assertProblem(r, 400, { fields: [param] });
}

describe('champion coverage', () => {
  let p, n1, n2, champ;

  before(async () => {
    p = await place();
    n1 = await neighbourhood(p.id);
    n2 = await neighbourhood(p.id);
    const org = await organisation('nhs', [p.id]);
    champ = await person(org.id);
  });

  test('a place and its neighbourhoods without champions are listed with the shape promised', async () => {
    const d = await getOk(viewer, `${API}/champions/coverage`);
    assert.equal(d.at, day());
    assert.equal(typeof d.active_champions, 'number');
    assert.equal(typeof d.system_has_champion, 'boolean');
    assert.deepEqual(d.places_without_champion.find((x) => x.id === p.id), { id: p.id, name: p.name });
    assert.deepEqual(d.neighbourhoods_without_champion.find((x) => x.id === n1.id),
      { id: n1.id, name: n1.name, place_id: p.id });
  });

  test('an active place champion covers the place but not its neighbourhoods', async () => {
    const before = await getOk(viewer, `${API}/champions/coverage`);
    await create(lead, 'champions', {
      person_id: champ.id, level: 'place', place_id: p.id, sector: 'nhs', start_date: day(-30),
    });
    const d = await getOk(viewer, `${API}/champions/coverage`);
    assert.equal(d.active_champions, before.active_champions + 1);
    assert.ok(!d.places_without_champion.some((x) => x.id === p.id));
    assert.ok(d.neighbourhoods_without_champion.some((x) => x.id === n1.id));
    assert.ok(d.neighbourhoods_without_champion.some((x) => x.id === n2.id));
  });

  test('an ended and a future neighbourhood champion do not count; the end day does', async () => {
    await create(lead, 'champions', {
      person_id: champ.id, level: 'neighbourhood', neighbourhood_id: n1.id, sector: 'nhs',
      start_date: '2020-01-01', end_date: day(-1),
    });
    await create(lead, 'champions', {
      person_id: champ.id, level: 'neighbourhood', neighbourhood_id: n2.id, sector: 'nhs',
      start_date: day(10),
    });
    let d = await getOk(viewer, `${API}/champions/coverage`);
    assert.ok(d.neighbourhoods_without_champion.some((x) => x.id === n1.id), 'ended yesterday');
    assert.ok(d.neighbourhoods_without_champion.some((x) => x.id === n2.id), 'starts later');
    d = await getOk(viewer, `${API}/champions/coverage?at=${day(-1)}`);
    assert.equal(d.at, day(-1));
    assert.ok(!d.neighbourhoods_without_champion.some((x) => x.id === n1.id), 'its last day');
    d = await getOk(viewer, `${API}/champions/coverage?at=${day(10)}`);
    assert.ok(!d.neighbourhoods_without_champion.some((x) => x.id === n2.id), 'its first day');
    assert.ok(d.neighbourhoods_without_champion.some((x) => x.id === n1.id));
  });

  test('the page shows the places and neighbourhoods without a champion', async () => {
    const r = await viewer.get('/champions/coverage');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.ok(r.text.includes('<h1>Champion coverage</h1>'));
    assert.ok(r.text.includes(`href="/neighbourhoods/${n1.id}"`));
  });

  test('a date that is not real is 400 naming "at", as JSON and as a page', async () => {
    await assertBadParam(`${API}/champions/coverage?at=2026-02-30`, 'at');
    await assertBadParam(`${API}/champions/coverage?at=yesterday`, 'at');
    await assertBadParam(`${API}/champions/coverage?since=2026-01-01`, 'since');
    const r = await viewer.get('/champions/coverage?at=2026-13-01');
    assert.equal(r.status, 400);
    assert.ok(r.text.includes('href="#field-at"'));
  });
});

describe('resource totals', () => {
  let p, nhs, vcse;
  const sum = (rows, key, value) => rows.find((x) => x[key] === value);

  before(async () => {
    p = await place();
    nhs = await organisation('nhs', [p.id]);
    vcse = await organisation('vcse', [p.id]);
  });

  test('totals by place, sector and system-wide count what overlaps the period', async () => {
    const q = '?from=2031-04-01&to=2032-03-31';
    const before = await getOk(viewer, `${API}/resources/totals${q}`);
    assert.deepEqual(sum(before.by_place, 'place_id', p.id),
      { place_id: p.id, name: p.name, amount_pence: 0, hours: 0 });
    assert.deepEqual(before.by_sector.map((x) => x.sector), ['nhs', 'local_authority', 'vcse', 'other']);
    const res = (body) => create(lead, 'resources', body);
    // Inside, overlapping each end, open-ended: all counted.
    await res({ kind: 'funding', organisation_id: nhs.id, place_id: p.id, amount_pence: 125000,
      period_start: '2031-05-01', period_end: '2031-06-30' });
    await res({ kind: 'staff_time', organisation_id: vcse.id, place_id: p.id, hours: 40,
      period_start: '2030-01-01', period_end: '2031-04-01' });
    await res({ kind: 'in_kind', organisation_id: vcse.id, place_id: p.id, amount_pence: 5050, hours: 3,
      period_start: '2032-03-31' });
    await res({ kind: 'venue', organisation_id: nhs.id, hours: 12, period_start: '2031-01-01' });
    // Ended the day before, starting the day after: not counted.
    await res({ kind: 'funding', organisation_id: nhs.id, place_id: p.id, amount_pence: 999,
      period_start: '2030-01-01', period_end: '2031-03-31' });
    await res({ kind: 'funding', organisation_id: vcse.id, place_id: p.id, amount_pence: 777,
      period_start: '2032-04-01' });

    const d = await getOk(viewer, `${API}/resources/totals${q}`);
    assert.equal(d.from, '2031-04-01');
    assert.equal(d.to, '2032-03-31');
    assert.deepEqual(sum(d.by_place, 'place_id', p.id),
      { place_id: p.id, name: p.name, amount_pence: 130050, hours: 43 });
    const change = (sector, key) =>
      sum(d.by_sector, 'sector', sector)[key] - sum(before.by_sector, 'sector', sector)[key];
    assert.equal(change('nhs', 'amount_pence'), 125000);
    assert.equal(change('nhs', 'hours'), 12);
    assert.equal(change('vcse', 'amount_pence'), 5050);
    assert.equal(change('vcse', 'hours'), 43);
    assert.equal(change('local_authority', 'amount_pence'), 0);
    assert.equal(d.system_wide.hours - before.system_wide.hours, 12);
    assert.equal(d.system_wide.amount_pence - before.system_wide.amount_pence, 0);
    assert.deepEqual(Object.keys(d.total).sort(), ['amount_pence', 'hours']);
    assert.equal(d.total.amount_pence - before.total.amount_pence, 130050);
    assert.equal(d.total.hours - before.total.hours, 55);

    // With no period everything counts, the excluded two as well.
    const all = await getOk(viewer, `${API}/resources/totals`);
    assert.equal(all.from, null);
    assert.equal(all.to, null);
    assert.equal(sum(all.by_place, 'place_id', p.id).amount_pence, 130050 + 999 + 777);
  });

  test('the page shows pounds and pence', async () => {
    const r = await viewer.get('/resources/totals?from=2031-04-01&to=2032-03-31');
    assert.equal(r.status, 200);
    assert.ok(r.text.includes('£1,300.50'), 'the place total in pounds');
  });

  test('bad dates and a reversed period are 400 naming the parameter', async () => {
    await assertBadParam(`${API}/resources/totals?from=2031-4-1`, 'from');
    await assertBadParam(`${API}/resources/totals?to=31/03/2032`, 'to');
    await assertBadParam(`${API}/resources/totals?from=2032-01-01&to=2031-01-01`, 'to');
    const r = await viewer.get('/resources/totals?from=nope');
    assert.equal(r.status, 400);
    assert.ok(r.text.includes('href="#field-from"'));
  });
});

describe('alignment matrix', () => {
  let p, ch, pc, hi, chA, chB, chC, pc1, pc2, hi1;

  before(async () => {
    p = await place();
    const strategy = (kind, name) => create(lead, 'strategies', {
      name: unique(name), kind, level: 'place', place_id: p.id,
    });
    ch = await strategy('creative_health', 'Creative Health');
    pc = await strategy('personalised_care', 'Personalised Care');
    hi = await strategy('health_inequalities', 'Health Inequalities');
    const priority = (s, title, position) => create(lead, 'priorities', { strategy_id: s.id, title, position });
    chA = await priority(ch, 'Arts on prescription', 1);
    chB = await priority(ch, 'Green social prescribing', 2);
    chC = await priority(ch, 'Heritage volunteering', 3);
    pc1 = await priority(pc, 'Social prescribing for all', 1);
    pc2 = await priority(pc, 'Shared decisions', 2);
    hi1 = await priority(hi, 'Core20PLUS5', 1);
    const align = (a, b) => create(lead, 'alignments', {
      creative_health_priority_id: a.id, priority_id: b.id, rationale: `${a.title} serves ${b.title}`,
    });
    await align(chA, pc1);
    await align(chA, hi1);
    await align(chB, pc1);
  });

  test('rows, grouped columns, cells, unsupported and unaligned for a place', async () => {
    const d = await getOk(viewer, `${API}/alignments/matrix?level=place&place_id=${p.id}`);
    assert.equal(d.level, 'place');
    assert.equal(d.place_id, p.id);
    assert.deepEqual(d.creative_health_strategies, [{ id: ch.id, name: ch.name }]);
    assert.deepEqual(d.rows.map((x) => x.id), [chA.id, chB.id, chC.id]);
    const a = d.rows[0];
    assert.equal(a.strategy_id, ch.id);
    assert.deepEqual(a.cells.map((c) => c.priority_id).sort(), [pc1.id, hi1.id].sort());
    for (const c of a.cells) {
      assert.ok(Number.isInteger(c.alignment_id));
      assert.match(c.rationale, /^Arts on prescription serves /);
    }
    assert.deepEqual(d.rows[2].cells, []);
    // Columns: this place's other strategies and the system's, grouped by kind.
    const mine = d.columns.filter((c) => [pc.id, hi.id].includes(c.strategy_id));
    assert.deepEqual(mine.map((c) => c.id), [pc1.id, pc2.id, hi1.id]);
    assert.deepEqual(mine[0], {
      id: pc1.id, title: pc1.title, kind: 'personalised_care', strategy_id: pc.id, strategy_name: pc.name,
    });
    const kinds = ['personalised_care', 'health_inequalities', 'health_and_wellbeing', 'joint_forward_plan', 'other'];
    const order = d.columns.map((c) => kinds.indexOf(c.kind));
    assert.deepEqual(order, [...order].sort((x, y) => x - y), 'columns grouped by kind');
    assert.ok(d.unsupported.includes(pc2.id));
    assert.ok(!d.unsupported.includes(pc1.id) && !d.unsupported.includes(hi1.id));
    assert.deepEqual(d.unaligned, [chC.id]);
  });

  test('the place is inferred from place_id, and the system matrix leaves this place out', async () => {
    const d = await getOk(viewer, `${API}/alignments/matrix?place_id=${p.id}`);
    assert.equal(d.level, 'place');
    const sys = await getOk(viewer, `${API}/alignments/matrix`);
    assert.equal(sys.level, 'system');
    assert.equal(sys.place_id, null);
    assert.ok(!sys.rows.some((x) => x.id === chA.id));
    assert.ok(!sys.columns.some((x) => x.id === pc1.id));
  });

  test('the page is an accessible table: caption, column groups and row headers', async () => {
    const r = await viewer.get(`/alignments/matrix?place_id=${p.id}`);
    assert.equal(r.status, 200);
    assert.match(r.text, /<caption class="nhsuk-table__caption">/);
    assert.ok(r.text.includes('scope="colgroup"'));
    assert.ok(r.text.includes(`scope="row"><a class="nhsuk-link" href="/priorities/${chC.id}">`));
    assert.ok(r.text.includes('leaves untouched'));
    assert.ok(!/ style=/.test(r.text), 'no inline style');
  });

  test('bad level and place parameters are 400 naming them', async () => {
    await assertBadParam(`${API}/alignments/matrix?level=county`, 'level');
    await assertBadParam(`${API}/alignments/matrix?level=place`, 'place_id');
    await assertBadParam(`${API}/alignments/matrix?level=system&place_id=${p.id}`, 'place_id');
    await assertBadParam(`${API}/alignments/matrix?place_id=abc`, 'place_id');
    await assertBadParam(`${API}/alignments/matrix?place_id=99999999`, 'place_id');
    const r = await viewer.get('/alignments/matrix?level=place');
    assert.equal(r.status, 400);
  });
});

describe('overdue actions and progress notes', () => {
  let p, owner, org, yesterday, today, done, lastWeek;

  before(async () => {
    p = await place();
    org = await organisation('local_authority', [p.id]);
    owner = await person(org.id, unique('Owner'));
    const action = (title, due, status) => create(lead, 'actions', {
      title, place_id: p.id, owner_person_id: owner.id, due_date: due, status,
    });
    yesterday = await action('Due yesterday', day(-1), 'at_risk');
    today = await action('Due today', day(0), 'on_track');
    done = await action('Done late', day(-20), 'done');
    lastWeek = await action('Due last week', day(-7), 'not_started');
  });

  test('due before today and not done, oldest first, with the owner and organisation', async () => {
    const d = await getOk(viewer, `${API}/actions/overdue?place_id=${p.id}`);
    assert.equal(d.today, day());
    assert.deepEqual(d.items.map((x) => x.id), [lastWeek.id, yesterday.id]);
    assert.deepEqual(d.items[1], {
      id: yesterday.id, title: 'Due yesterday', place_id: p.id, place_name: p.name, priority_id: null,
      due_date: day(-1), status: 'at_risk', days_overdue: 1, owner_person_id: owner.id,
      owner_name: owner.name, organisation_id: org.id, organisation_name: org.name,
    });
    assert.equal(d.items[0].days_overdue, 7);
    const all = await getOk(viewer, `${API}/actions/overdue`);
    assert.ok(all.items.some((x) => x.id === yesterday.id));
    assert.ok(!all.items.some((x) => x.id === today.id || x.id === done.id));
  });

  test('the page lists them', async () => {
    const r = await viewer.get(`/actions/overdue?place_id=${p.id}`);
    assert.equal(r.status, 200);
    assert.ok(r.text.includes(`href="/actions/${yesterday.id}"`));
    assert.ok(!r.text.includes(`href="/actions/${today.id}"`));
  });

  test('a bad place is 400 naming place_id', async () => {
    await assertBadParam(`${API}/actions/overdue?place_id=0`, 'place_id');
    await assertBadParam(`${API}/actions/overdue?place_id=99999999`, 'place_id');
    assert.equal((await viewer.get('/actions/overdue?place_id=x')).status, 400);
  });

  test("an action's notes come in date order; an unknown action is 404", async () => {
    for (const [noted_on, note] of [['2026-03-01', 'third'], ['2026-01-01', 'first'], ['2026-02-01', 'second']])
      await create(lead, 'action-notes', { action_id: yesterday.id, noted_on, note });
    const d = await getOk(viewer, `${API}/actions/${yesterday.id}/notes`);
    assert.deepEqual(d.items.map((x) => x.note), ['first', 'second', 'third']);
    assert.equal(d.total, 3);
    assertProblem(await viewer.get(`${API}/actions/99999999/notes`), 404);
    assertProblem(await viewer.get(`${API}/actions/abc/notes`), 404);
  });
});

describe('co-production record', () => {
  let s, other;

  before(async () => {
    s = await create(lead, 'strategies', { name: unique('Creative Health'), kind: 'creative_health', level: 'system' });
    other = await create(lead, 'strategies', { name: unique('Empty'), kind: 'other', level: 'system' });
    await create(lead, 'priorities', { strategy_id: s.id, title: 'Arts in every neighbourhood', position: 1 });
    const act = (held_on, title, counts, what_changed) => create(lead, 'coproduction', {
      strategy_id: s.id, held_on, kind: 'workshop', title, ...counts, what_changed,
    });
    await act('2026-05-10', 'Second', { local_people: 12, lived_experience: 4, nhs: 2 }, 'Added a priority on loneliness');
    await act('2026-03-02', 'First', { local_people: 30, vcse: 6, local_authority: 3 });
  });

  test('activities in date order and participants by type', async () => {
    const d = await getOk(viewer, `${API}/strategies/${s.id}/coproduction`);
    assert.deepEqual(d.strategy, { id: s.id, name: s.name, kind: 'creative_health', level: 'system', place_id: null });
    assert.deepEqual(d.activities.map((x) => x.title), ['First', 'Second']);
    assert.deepEqual(Object.keys(d.activities[0]), ['id', 'held_on', 'kind', 'title', 'local_people',
      'lived_experience', 'vcse', 'nhs', 'local_authority', 'what_changed']);
    assert.equal(d.activities[0].what_changed, null);
    assert.equal(d.activities[1].what_changed, 'Added a priority on loneliness');
    assert.deepEqual(d.totals, { local_people: 42, lived_experience: 4, vcse: 6, nhs: 2, local_authority: 3 });
    assert.equal(d.participants, 57);
  });

  test('a strategy with no co-production has empty totals; an unknown one is 404', async () => {
    const d = await getOk(viewer, `${API}/strategies/${other.id}/coproduction`);
    assert.deepEqual(d.activities, []);
    assert.equal(d.participants, 0);
    assertProblem(await viewer.get(`${API}/strategies/99999999/coproduction`), 404);
    assertProblem(await viewer.get(`${API}/strategies/x/coproduction`), 404);
    await assertBadParam(`${API}/strategies/${s.id}/coproduction?page=2`, 'page');
  });

  test('the record page shows the priorities, the activities and what changed', async () => {
    const r = await viewer.get(`/strategies/${s.id}/record`);
    assert.equal(r.status, 200);
    for (const text of ['Arts in every neighbourhood', 'Added a priority on loneliness', '<tfoot>'])
      assert.ok(r.text.includes(text), text);
    assert.equal((await viewer.get('/strategies/99999999/record')).status, 404);
  });
});

describe('hubs and access', () => {
  test('the hubs link to the views', async () => {
    const l = await viewer.get('/leadership');
    assert.equal(l.status, 200);
    for (const href of ['/champions/coverage', '/connections', '/network', '/resources/totals'])
      assert.ok(l.text.includes(`href="${href}"`), href);
    const s = await viewer.get('/strategy');
    assert.equal(s.status, 200);
    for (const href of ['/alignments/matrix', '/actions/overdue', '/coproduction'])
      assert.ok(s.text.includes(`href="${href}"`), href);
  });

  test('the views need a sign-in: 401 for the API, the sign-in page for the pages', async () => {
    const anon = new Client(server.url);
    for (const p of ['champions/coverage', 'resources/totals', 'alignments/matrix', 'actions/overdue',
      'strategies/1/coproduction', 'actions/1/notes'])
      assertProblem(await anon.get(`${API}/${p}`), 401);
    const r = await anon.get('/leadership');
    assert.equal(r.status, 303);
    assert.match(r.headers.get('location'), /^\/sign-in/);
  });

  test('every role may read them', async () => {
    const clients = await signInRoles(server, ['provider', 'link_worker', 'place_lead']);
    for (const c of Object.values(clients))
      for (const p of ['champions/coverage', 'resources/totals', 'alignments/matrix', 'actions/overdue'])
        await getOk(c, `${API}/${p}`);
  });
});
