// The outcomes report over HTTP: the JSON shape and figures for a small
// cohort written straight into the database (the frozen equity columns and
// scores a referral carries), CSV, the SVG charts (content type, well-formed,
// escaped, no scripts), the page, 400 for bad parameters, 401 without
// signing in. tests/domain/test_reports.c checks every figure and the
// suppression rules in depth; this checks what reaches clients.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, Client } from '../lib/server.mjs';
import { API, assertProblem, create, getOk, parseCsv, signInRoles, unique } from './helpers.mjs';

const sqlite = (file, sql) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', file, sql], { encoding: 'utf8' }).trim();
const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
const SERVICE = 'reports-test-service';
const SERVICE_NAME = '<b>Arts & "Crafts"</b>';

let server, as, place;

// A cohort in a fresh place, made ten days ago: six completed with SWEMWBS
// 20 -> 25, 23, 21, 20, 17, 26 (changes 5, 3, 1, 0, -3, 6: mean 2, 95% CI
// -1.5121 to 5.5121, improved 3/6, declined 1/6), two still sent, and one
// completed whose person withdrew consent to anonymised reporting (never
// counted). All IMD quintile 2, aged 25-34, female, white.
function insertCohort(db, placeId) {
  const made = `${day(-10)}T10:00:00Z`, sent = `${day(-10)}T11:00:00Z`, contact = `${day(-7)}T09:00:00Z`;
  const rows = [];
  const finals = [25, 23, 21, 20, 17, 26, 'NULL', 'NULL', 35];
  for (let i = 0; i < 9; i++) {
    const status = i < 6 || i === 8 ? 'completed' : 'sent';
    const b = i < 6 || i === 8 ? 20 : 'NULL';
    rows.push(`INSERT INTO participants (organisation_id, last_contact_at, created_at, updated_at)
      VALUES (1, '${made}', '${made}', '${made}');
      INSERT INTO referrals (participant_id, service_id, service_name, referring_org_id,
        receiving_org_id, status, episode_id, sent_at, first_contact_at, place_id, imd_quintile,
        age_band, sex, ethnicity_group, swemwbs_b, swemwbs_f, created_at, updated_at)
      VALUES (last_insert_rowid(), '${SERVICE}', '${SERVICE_NAME.replace(/'/g, "''")}', 1, 1,
        '${status}', 1, '${sent}', ${status === 'completed' ? `'${contact}'` : 'NULL'}, ${placeId},
        2, '25-34', 'female', 'white', ${b}, ${finals[i]}, '${made}', '${made}');`);
    if (i === 8)
      rows.push(`INSERT INTO consents (participant_id, scope, given, method, recorded_at,
        recorded_by, created_at, updated_at) SELECT participant_id, 'anonymised_reporting', 0,
        'written', '${made}', 'test', '${made}', '${made}' FROM referrals WHERE swemwbs_f = 35
        AND place_id = ${placeId};`);
  }
  sqlite(db, `BEGIN; ${rows.join('\n')} COMMIT;`);
}

before(async () => {
  server = await startServer();
  as = await signInRoles(server, ['admin', 'viewer', 'provider', 'link_worker', 'place_lead']);
  place = await create(as.admin, 'places', { name: unique('Reports place') });
  insertCohort(server.db, place.id);
});
after(async () => { await server?.stop(); });

const near = (a, b, eps = 1e-4) => assert.ok(Math.abs(a - b) <= eps, `${a} is not ${b}`);
const CELL_KEYS = ['cell', 'label', 'referrals', 'sent', 'uptake', 'completion',
  'days_to_first_contact', 'swemwbs', 'ons4', 'ucla3'];

describe('GET /api/v1/reports/outcomes', () => {
  test('the JSON shape and the cohort figures', async () => {
    const d = await getOk(as.viewer, `${API}/reports/outcomes?place_id=${place.id}`);
    assert.deepEqual(Object.keys(d),
      ['scope', 'from', 'to', 'minimum_cell', 'total', 'by_status', 'breakdowns', 'notice']);
    assert.deepEqual(d.scope, { type: 'place', id: place.id, name: place.name });
    assert.equal(d.to, day(0));
    assert.equal(d.minimum_cell, 5);
    assert.match(d.notice, /NHS Health Scotland, University of Warwick and University of Edinburgh, 2008/);
    const t = d.total;
    assert.deepEqual(Object.keys(t), CELL_KEYS);
    assert.deepEqual(t.referrals, { value: 8, suppressed: false });
    assert.deepEqual(t.sent, { value: 8, suppressed: false });
    assert.deepEqual(t.uptake, { n: 8, value: 0.75, suppressed: false });
    assert.deepEqual(t.completion, { n: 6, value: 1, suppressed: false });
    assert.deepEqual(t.days_to_first_contact, { n: 6, value: 3, median: 3, suppressed: false });
    assert.equal(t.swemwbs.n, 6);
    near(t.swemwbs.value, 2);
    near(t.swemwbs.ci_low, -1.5121);
    near(t.swemwbs.ci_high, 5.5121);
    near(t.swemwbs.improved, 0.5);
    near(t.swemwbs.declined, 0.1667);
    assert.equal(t.swemwbs.suppressed, false);
    // No ONS4 or UCLA pairs: suppressed, every number null.
    assert.deepEqual(Object.keys(t.ons4), ['life_satisfaction', 'worthwhile', 'happiness', 'anxiety']);
    for (const v of [...Object.values(t.ons4), t.ucla3])
      assert.deepEqual(v, { n: null, value: null, ci_low: null, ci_high: null, suppressed: true });
    assert.deepEqual(d.by_status.completed, { value: 6, suppressed: false });
    assert.deepEqual(d.by_status.sent, { value: null, suppressed: true }); // 2
    assert.deepEqual(Object.keys(d.by_status), ['draft', 'sent', 'accepted', 'declined',
      'waitlisted', 'started', 'completed', 'dropped_out', 'cancelled']);
    assert.deepEqual(Object.keys(d.breakdowns), ['imd_quintile', 'age_band', 'sex', 'ethnicity_group']);
    assert.deepEqual(d.breakdowns.imd_quintile.map((c) => c.cell), ['1', '2', '3', '4', '5', 'unknown']);
    assert.equal(d.breakdowns.age_band.length, 9);
    for (const cells of Object.values(d.breakdowns))
      for (const c of cells) assert.deepEqual(Object.keys(c), CELL_KEYS);
    const q2 = d.breakdowns.imd_quintile[1];
    assert.deepEqual(q2.referrals, { value: 8, suppressed: false });
    assert.equal(q2.swemwbs.n, 6);
    assert.deepEqual(d.breakdowns.imd_quintile[0].referrals, { value: null, suppressed: true });
  });

  test('every role reads the aggregates; other scopes and dates', async () => {
    for (const role of ['provider', 'link_worker', 'place_lead', 'admin']) {
      const d = await getOk(as[role], `${API}/reports/outcomes?service_id=${SERVICE}`);
      assert.equal(d.scope.type, 'service');
      assert.equal(d.scope.id, SERVICE);
      assert.equal(d.scope.name, SERVICE_NAME);
      assert.equal(d.total.referrals.value, 8);
    }
    // Before the cohort was made: nothing, so everything is suppressed.
    const old = await getOk(as.viewer,
      `${API}/reports/outcomes?place_id=${place.id}&from=${day(-400)}&to=${day(-11)}`);
    assert.deepEqual(old.total.referrals, { value: null, suppressed: true });
    // An empty value is no filter: the whole system.
    const all = await getOk(as.viewer, `${API}/reports/outcomes?place_id=&from=`);
    assert.equal(all.scope.type, 'system');
    assert.equal(all.scope.id, null);
    assert.ok(all.total.referrals.value >= 8);
  });

  test('CSV: a header row and one row per figure and cell, suppressed as *', async () => {
    const r = await as.viewer.get(`${API}/reports/outcomes?place_id=${place.id}&format=csv`, { raw: true });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/csv/);
    assert.match(r.headers.get('content-disposition'), /^attachment; filename="chis-outcomes-.*\.csv"$/);
    const rows = parseCsv(r.text);
    assert.deepEqual(rows[0], ['scope', 'scope_id', 'from', 'to', 'breakdown', 'cell', 'figure',
      'n', 'value', 'ci_low', 'ci_high']);
    // 9 status rows, then 14 figures for the total and each of 6 + 9 + 5 + 7 cells.
    assert.equal(rows.length, 1 + 9 + 14 * (1 + 6 + 9 + 5 + 7));
    const find = (bd, cell, fig) => rows.find((x) => x[4] === bd && x[5] === cell && x[6] === fig);
    assert.deepEqual(find('all', 'all', 'referrals').slice(0, 9),
      ['place', String(place.id), rows[1][2], day(0), 'all', 'all', 'referrals', '8', '8']);
    const sw = find('all', 'all', 'swemwbs_mean_change');
    assert.deepEqual(sw.slice(7), ['6', '2', '-1.5121', '5.5121']); // no formula guard on numbers
    assert.deepEqual(find('all', 'all', 'swemwbs_improved_share').slice(7), ['6', '0.5', '', '']);
    assert.deepEqual(find('all', 'all', 'status_sent').slice(7), ['*', '*', '', '']);
    assert.deepEqual(find('all', 'all', 'ucla3_mean_change').slice(7), ['*', '*', '*', '*']);
    assert.deepEqual(find('imd_quintile', '2', 'uptake').slice(7), ['8', '0.75', '', '']);
    assert.deepEqual(find('sex', 'male', 'referrals').slice(7), ['*', '*', '', '']);
  });
});

// Tags of an XML document balance, and nothing but markup and text is in it.
function assertWellFormed(xml) {
  const stack = [];
  const re = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<|&(?!(amp|lt|gt|quot|apos|#\d+);)/g;
  let m;
  while ((m = re.exec(xml))) {
    assert.ok(m[2], `stray "${m[0]}" at ${m.index}: ${xml.slice(m.index, m.index + 40)}`);
    if (m[4]) continue;
    if (m[1]) assert.equal(stack.pop(), m[2], `</${m[2]}> closes the wrong element`);
    else stack.push(m[2]);
  }
  assert.deepEqual(stack, [], 'unclosed elements');
}

describe('GET /api/v1/reports/outcomes/chart.svg', () => {
  for (const chart of ['status', 'swemwbs', 'uptake']) {
    test(`${chart}: SVG, well-formed, described, escaped, no scripts`, async () => {
      const r = await as.viewer.get(
        `${API}/reports/outcomes/chart.svg?service_id=${SERVICE}&chart=${chart}`, { raw: true });
      assert.equal(r.status, 200, r.text);
      assert.match(r.headers.get('content-type'), /^image\/svg\+xml/);
      assert.match(r.headers.get('content-security-policy'), /default-src 'none'/);
      const svg = r.text.trim();
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.match(svg, /<title id="chart-title">[^<]+<\/title><desc id="chart-desc">[^<]+<\/desc>/);
      assert.doesNotMatch(svg, /<script|on\w+=|javascript:/i);
      assert.ok(svg.includes('&lt;b&gt;Arts &amp; &quot;Crafts&quot;&lt;/b&gt;'), 'the name, escaped');
      assert.ok(!svg.includes('<b>'));
      assertWellFormed(svg);
    });
  }

  test('the SWEMWBS chart draws the interval and says it in words', async () => {
    const r = await as.viewer.get(
      `${API}/reports/outcomes/chart.svg?place_id=${place.id}&chart=swemwbs`, { raw: true });
    assert.match(r.text, /All: \+2\.0 \(-1\.5 to 5\.5\)\./);
    assert.match(r.text, /IMD 1 \(most deprived\): fewer than 5 pairs\./);
    assert.ok((r.text.match(/<line /g) || []).length >= 3 + 2, 'whisker and caps, and axes');
  });
});

describe('bad requests', () => {
  const bad = [
    ['two scopes at once', `place_id=1&service_id=${SERVICE}`, ['place_id', 'service_id']],
    ['an id that is not one', 'place_id=abc', ['place_id']],
    ['an unknown place', 'place_id=999999', ['place_id']],
    ['an unknown neighbourhood', 'neighbourhood_id=999999', ['neighbourhood_id']],
    ['an unknown organisation', 'organisation_id=999999', ['organisation_id']],
    ['an unknown service', 'service_id=nope', ['service_id']],
    ['a date that is not one', 'from=2026-02-30', ['from']],
    ['a date in another form', 'to=26%2F01%2F2026', ['to']],
    ['from after to', 'from=2026-05-02&to=2026-05-01', ['from']],
    ['an unknown parameter', 'colour=red', ['colour']],
    ['a bad format', 'format=xml', ['format']],
  ];
  for (const [what, qs, fields] of bad) {
    test(`400 for ${what}`, async () => {
      assertProblem(await as.viewer.get(`${API}/reports/outcomes?${qs}`), 400, { fields });
    });
  }
  test('400 for an unknown chart, and for a format on the chart route', async () => {
    assertProblem(await as.viewer.get(`${API}/reports/outcomes/chart.svg?chart=pie`), 400, { fields: ['chart'] });
    assertProblem(await as.viewer.get(`${API}/reports/outcomes/chart.svg?format=csv`), 400, { fields: ['format'] });
    assertProblem(await as.viewer.get(`${API}/reports/outcomes/chart.svg?place_id=1&neighbourhood_id=1`),
      400, { fields: ['place_id', 'neighbourhood_id'] });
  });
  test('401 without signing in', async () => {
    const anon = new Client(server.url);
    for (const p of ['/reports/outcomes', '/reports/outcomes?format=csv', '/reports/outcomes/chart.svg'])
      assertProblem(await anon.get(`${API}${p}`), 401);
  });
});

describe('GET /reports/outcomes (the page)', () => {
  test('figures, "fewer than 5", charts, the CSV link and the licence notice', async () => {
    const r = await as.viewer.get(`/reports/outcomes?place_id=${place.id}`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    const html = r.text;
    assert.ok(html.includes(place.name));
    assert.match(html, /fewer than 5/);
    assert.match(html, /\+2\.0 \(-1\.5 to 5\.5\)/);
    assert.match(html, /75% of 8/);
    for (const chart of ['status', 'swemwbs', 'uptake'])
      assert.ok(html.includes(`/api/v1/reports/outcomes/chart.svg?place_id=${place.id}&amp;from=`) &&
        html.includes(`chart=${chart}"`), `chart ${chart}`);
    assert.match(html, /href="\/api\/v1\/reports\/outcomes\?place_id=\d+&amp;from=[\d-]+&amp;to=[\d-]+&amp;format=csv"/);
    assert.ok(html.includes('(c) NHS Health Scotland, University of Warwick and University of Edinburgh, 2008'));
    assert.match(html, /<form method="get" action="\/reports\/outcomes"/);
  });
  test('bad parameters: 400 with the form and an error summary', async () => {
    const r = await as.viewer.get(`/reports/outcomes?place_id=${place.id}&service_id=${SERVICE}`);
    assert.equal(r.status, 400);
    assert.match(r.text, /nhsuk-error-summary/);
    assert.match(r.text, /href="#field-place_id"/);
  });
});
