// The library of illustrative examples over HTTP: the shipped examples are
// listed and read (with their Markdown rendered safely), leads add and
// change examples, others may not, and the pages show them.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { API, assertProblem, assertRefused, getOk, signInRoles, unique } from './helpers.mjs';

let server, as;

before(async () => {
  server = await startServer();
  as = await signInRoles(server, ['admin', 'system_lead', 'place_lead', 'provider', 'viewer']);
});
after(async () => { await server?.stop(); });

const SUMMARY = ['id', 'slug', 'title', 'system_name', 'place_name', 'illustrates'];
const SHIPPED = [
  'kirklees-creative-health-partnership',
  'snee-personalised-care-strategy',
  'noise-solution-provider-governance',
];

// The tags body_html may contain, and nothing else.
function assertSafeHtml(html) {
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /href="(?!https?:\/\/|mailto:|\/(?!\/))/i, 'an href with another scheme');
  for (const m of html.matchAll(/<\/?([a-zA-Z0-9]+)/g)) {
    assert.ok(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'ul', 'ol', 'li', 'em', 'strong', 'code', 'a']
      .includes(m[1]), `unexpected tag <${m[1]}>`);
  }
}

describe('the shipped examples', () => {
  let list;

  test('GET /examples lists summaries, present from the start', async () => {
    list = await getOk(as.viewer, `${API}/examples`);
    assert.ok(list.total >= 3 && list.items.length === list.total, JSON.stringify(list));
    assert.equal(list.page, 1);
    assert.equal(list.total_pages, 1);
    for (const item of list.items) assert.deepEqual(Object.keys(item), SUMMARY);
    const slugs = list.items.map((x) => x.slug);
    for (const s of SHIPPED) assert.ok(slugs.includes(s), `${s} missing`);
    const kirklees = list.items.find((x) => x.slug === SHIPPED[0]);
    assert.equal(kirklees.place_name, 'Kirklees');
    assert.match(kirklees.illustrates, /^leadership: champions/);
    assert.equal(list.items.find((x) => x.slug === SHIPPED[1]).place_name, null);
    const titles = list.items.map((x) => x.title);
    assert.deepEqual(titles, [...titles].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  test('GET /examples/{id} adds the Markdown and its safe HTML', async () => {
    for (const item of list.items.filter((x) => SHIPPED.includes(x.slug))) {
      const ex = await getOk(as.viewer, `${API}/examples/${item.id}`);
      for (const k of SUMMARY) assert.deepEqual(ex[k], item[k], k);
      assert.match(ex.body_markdown, /^## /m);
      assert.match(ex.body_html, /<h2>[^<]+<\/h2>/);
      assert.match(ex.body_html, /<ul>\n<li>/);
      assert.match(ex.body_html, /<strong>/);
      assertSafeHtml(ex.body_html);
      assert.match(ex.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  test('every signed-in role reads them; nobody else does', async () => {
    for (const c of Object.values(as)) await getOk(c, `${API}/examples/${list.items[0].id}`);
    assertProblem(await new Client(server.url).get(`${API}/examples`), 401);
    assertProblem(await new Client(server.url).get(`${API}/examples/1`), 401);
  });

  test('search, unknown filters, missing examples and other methods', async () => {
    const d = await getOk(as.viewer, `${API}/examples?q=noise`);
    assert.deepEqual(d.items.map((x) => x.slug), [SHIPPED[2]]);
    assert.equal((await getOk(as.viewer, `${API}/examples?q=nothing-like-this`)).total, 0);
    assertProblem(await as.viewer.get(`${API}/examples?colour=red`), 400);
    assertProblem(await as.viewer.get(`${API}/examples?per_page=0`), 400);
    assertProblem(await as.viewer.get(`${API}/examples/999999`), 404);
    assertProblem(await as.viewer.get(`${API}/examples/abc`), 404);
    const r = await as.system_lead.put(`${API}/examples/1`, { title: 'x' });
    assertProblem(r, 405);
    assert.match(r.headers.get('allow'), /PATCH/);
  });
});

describe('adding and changing examples', () => {
  const body = () => ({
    slug: unique('our-example').toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    title: unique('Our example'),
    system_name: 'Riverside and Moorland Integrated Care System',
    place_name: 'Brookfield Borough',
    illustrates: 'leadership: champions',
    body_markdown: '# Our story\n\nWe sang. <script>alert(1)</script>\n\n'
      + '- [a link](javascript:alert(2))\n- [a good one](https://example.org/)\n',
  });

  test('a system lead adds one: 201, Location, and the hostile parts defused', async () => {
    const b = body();
    const r = await as.system_lead.post(`${API}/examples`, b);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.headers.get('location'), `${API}/examples/${r.data.id}`);
    for (const k of Object.keys(b)) assert.equal(r.data[k], b[k].trim(), k);
    assert.equal(r.data.body_html,
      '<h1>Our story</h1>\n<p>We sang. &lt;script&gt;alert(1)&lt;/script&gt;</p>\n'
      + '<ul>\n<li>a link</li>\n<li><a href="https://example.org/">a good one</a></li>\n</ul>\n');
    assert.deepEqual(await getOk(as.viewer, `${API}/examples/${r.data.id}`), r.data);
    const audit = await getOk(as.admin, `${API}/audit?entity=examples&entity_id=${r.data.id}`);
    assert.equal(audit.items[0].action, 'create');
  });

  test('PATCH changes what is given; the slug stays; bad input is 422', async () => {
    const made = (await as.system_lead.post(`${API}/examples`, body())).data;
    const r = await as.admin.patch(`${API}/examples/${made.id}`, { place_name: null, title: 'Renamed' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.title, 'Renamed');
    assert.equal(r.data.place_name, null);
    assert.equal(r.data.slug, made.slug);
    await assertRefused(as.admin, () => as.system_lead.patch(`${API}/examples/${made.id}`,
      { slug: 'a-new-name' }), 422, { fields: ['slug'], reread: [`${API}/examples/${made.id}`] });
    await assertRefused(as.admin, () => as.system_lead.post(`${API}/examples`,
      { ...body(), slug: 'Not A Slug' }), 422, { fields: ['slug'] });
    await assertRefused(as.admin, () => as.system_lead.post(`${API}/examples`,
      { ...body(), title: '  ' }), 422, { fields: ['title'] });
    await assertRefused(as.admin, () => as.system_lead.post(`${API}/examples`,
      { ...body(), slug: SHIPPED[0] }), 422, { fields: ['slug'] });
  });

  test('other roles may not add or change examples', async () => {
    for (const role of ['place_lead', 'provider', 'viewer']) {
      await assertRefused(as.admin, () => as[role].post(`${API}/examples`, body()), 403);
      await assertRefused(as.admin, () => as[role].patch(`${API}/examples/1`, { title: 'Mine' }),
        403, { reread: [`${API}/examples/1`] });
    }
  });
});

describe('the pages', () => {
  test('/examples lists them and /examples/{id} shows one rendered', async () => {
    const list = await getOk(as.viewer, `${API}/examples`);
    const page = await as.viewer.get('/examples');
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    for (const item of list.items) assert.ok(page.text.includes(`href="/examples/${item.id}"`));
    assert.ok(!page.text.includes('href="/examples/new"'), 'a viewer is offered to add one');
    assert.ok((await as.system_lead.get('/examples')).text.includes('href="/examples/new"'));

    const one = list.items.find((x) => x.slug === SHIPPED[2]);
    const show = await as.viewer.get(`/examples/${one.id}`);
    assert.equal(show.status, 200);
    assert.match(show.text, /<h1>.*Provider organisation governance: Noise Solution<\/h1>/s);
    assert.match(show.text, /<h2>What it is<\/h2>/);
    assert.equal((show.text.match(/<h1>/g) || []).length, 1);
    assert.equal((await as.viewer.get('/examples/999999')).status, 404);
    assert.equal((await new Client(server.url).get('/examples')).status, 303);
  });

  test('leads change an example with the form; others are refused', async () => {
    const ex = (await as.system_lead.post(`${API}/examples`, {
      slug: 'form-' + process.pid, title: 'Before', system_name: 'X ICS',
      illustrates: 'strategy', body_markdown: '## Heading\n\nText',
    })).data;
    const edit = await as.system_lead.get(`/examples/${ex.id}/edit`);
    assert.equal(edit.status, 200);
    assert.match(edit.text, /<textarea[^>]*name="body_markdown"/);
    const form = new URLSearchParams({
      csrf: as.system_lead.csrf, slug: ex.slug, title: 'After', system_name: 'X ICS',
      place_name: '', illustrates: 'strategy', body_markdown: '## Heading\n\nNew text',
    });
    const post = (c) => c.req('POST', `/examples/${ex.id}/edit`, {
      body: form.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    const r = await post(as.system_lead);
    assert.equal(r.status, 303, r.text);
    assert.equal(r.headers.get('location'), `/examples/${ex.id}`);
    const now = await getOk(as.viewer, `${API}/examples/${ex.id}`);
    assert.equal(now.title, 'After');
    assert.equal(now.body_html, '<h2>Heading</h2>\n<p>New text</p>\n');
    form.set('csrf', as.viewer.csrf);
    assert.equal((await post(as.viewer)).status, 403);
    assert.equal((await getOk(as.viewer, `${API}/examples/${ex.id}`)).title, 'After');
  });

  test('a hostile example is shown as text on its page', async () => {
    const r = await as.system_lead.post(`${API}/examples`, {
      slug: 'hostile-' + process.pid, title: '<script>alert(3)</script>', system_name: 'X ICS',
      illustrates: 'governance', body_markdown: '<script>alert(4)</script> [x](javascript:alert(5))',
    });
    assert.equal(r.status, 201, r.text);
    const show = await as.viewer.get(`/examples/${r.data.id}`);
    assert.equal(show.status, 200);
    assert.doesNotMatch(show.text, /<script>alert/);
    assert.doesNotMatch(show.text, /href="javascript/i);
    assert.ok(show.text.includes('&lt;script&gt;alert(4)&lt;/script&gt;'));
  });
});
