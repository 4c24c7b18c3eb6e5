// GET /api/v1/network and the /network page: the JSON contract, the measures on a
// small network built through the API, bad parameters, the cache, and the drawing.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { API, assertProblem, create, getOk, signInRoles, unique } from './helpers.mjs';

let server, lead, viewer;
let place, a, b, c, d; // a-b-c tied in the place, d on its own there

before(async () => {
  server = await startServer();
  ({ system_lead: lead, viewer } = await signInRoles(server, ['system_lead', 'viewer']));
  place = await create(lead, 'places', { name: unique('Network place') });
  const org = (name, sector) => create(lead, 'organisations', { name: unique(name), sector, place_ids: [place.id] });
  a = await org('Arts & <Crafts> "Co"', 'vcse');
  b = await org('Network Trust', 'nhs');
  c = await org('Network Choir', 'vcse');
  d = await org('Network Loner', 'local_authority');
  const tie = (x, y, extra = {}) => create(lead, 'connections', {
    from_organisation_id: x.id, to_organisation_id: y.id, kind: 'mou', start_date: '2020-01-01', ...extra,
  });
  await tie(a, b, { place_id: place.id });
  await tie(c, b);
  await tie(b, c, { kind: 'joint_event' }); // the same tie again
  await tie(a, d, { start_date: '2019-01-01', end_date: '2019-12-31' }); // over long ago
});
after(async () => { await server?.stop(); });

const url = (q = '') => `${API}/network${q}`;

describe('GET /api/v1/network', () => {
  test('answers exactly the documented shape for a place', async () => {
    const r = await lead.get(url(`?place_id=${place.id}`));
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(r.data, {
      organisations: [
        { id: a.id, name: a.name, sector: 'vcse', degree: 1, cross_sector_ties: 1, betweenness: 0 },
        { id: b.id, name: b.name, sector: 'nhs', degree: 2, cross_sector_ties: 2, betweenness: 1 },
        { id: c.id, name: c.name, sector: 'vcse', degree: 1, cross_sector_ties: 1, betweenness: 0 },
        { id: d.id, name: d.name, sector: 'local_authority', degree: 0, cross_sector_ties: 0, betweenness: 0 },
      ],
      components: [[a.id, b.id, c.id]],
      isolated: [d.id],
      // 2 ties of 6 possible among 4 organisations; both join different sectors.
      places: [{ place_id: place.id, density: 0.333333, cross_sector_share: 1 }],
    });
    // Betweenness and the place figures are written as floats.
    assert.match(r.text, new RegExp(`"id":${b.id},[^}]*"betweenness":1\\.0\\}`));
    assert.match(r.text, /"cross_sector_share":1\.0\}/);
  });

  test('the date chooses the connections active on it', async () => {
    const then = await getOk(lead, url(`?place_id=${place.id}&at=2019-06-01`));
    const byId = Object.fromEntries(then.organisations.map((o) => [o.id, o]));
    assert.equal(byId[a.id].degree, 1); // a-d was active then
    assert.equal(byId[d.id].degree, 1);
    assert.equal(byId[b.id].degree, 0);
    assert.deepEqual(then.components, [[a.id, d.id]]);
    assert.deepEqual(then.isolated, [b.id, c.id]);
    const today = new Date().toISOString().slice(0, 10);
    assert.deepEqual(await getOk(lead, url(`?place_id=${place.id}&at=${today}`)),
      await getOk(lead, url(`?place_id=${place.id}`)));
  });

  test('the whole system: every organisation by id, every place', async () => {
    const all = await getOk(lead, url());
    assert.deepEqual(Object.keys(all), ['organisations', 'components', 'isolated', 'places']);
    const ids = all.organisations.map((o) => o.id);
    assert.deepEqual(ids, [...ids].sort((x, y) => x - y));
    for (const o of all.organisations) {
      assert.deepEqual(Object.keys(o), ['id', 'name', 'sector', 'degree', 'cross_sector_ties', 'betweenness']);
      assert.ok(Number.isInteger(o.degree) && o.degree >= 0);
      assert.ok(o.cross_sector_ties <= o.degree);
      assert.equal(typeof o.betweenness, 'number');
      assert.equal(o.degree === 0, all.isolated.includes(o.id));
    }
    for (const comp of all.components) {
      assert.ok(comp.length >= 2);
      assert.deepEqual(comp, [...comp].sort((x, y) => x - y));
    }
    const firsts = all.components.map((comp) => comp[0]);
    assert.deepEqual(firsts, [...firsts].sort((x, y) => x - y));
    const places = all.places.map((p) => p.place_id);
    assert.deepEqual(places, [...places].sort((x, y) => x - y));
    const mine = all.places.find((p) => p.place_id === place.id);
    assert.deepEqual(mine, { place_id: place.id, density: 0.333333, cross_sector_share: 1 });
    for (const p of all.places) {
      assert.ok(p.density >= 0 && p.density <= 1);
      assert.ok(p.cross_sector_share >= 0 && p.cross_sector_share <= 1);
    }
  });

  test('a repeated request gets the same answer; a change shows at once', async () => {
    const q = url(`?place_id=${place.id}`);
    const first = await lead.get(q);
    const again = await lead.get(q);
    assert.equal(again.text, first.text);
    const tie = await create(lead, 'connections', {
      from_organisation_id: c.id, to_organisation_id: d.id, kind: 'contract', start_date: '2021-05-01',
    });
    const after1 = await getOk(lead, q);
    assert.deepEqual(after1.isolated, []);
    assert.deepEqual(after1.components, [[a.id, b.id, c.id, d.id]]);
    assert.equal(after1.organisations.find((o) => o.id === c.id).betweenness, 2); // a-d, b-d
    assert.equal((await lead.del(`${API}/connections/${tie.id}`)).status, 204);
    assert.equal((await lead.get(q)).text, first.text);
  });

  test('anyone signed in may read it; nobody else', async () => {
    assert.equal((await viewer.get(url())).status, 200);
    assertProblem(await new Client(server.url).get(url()), 401);
  });

  test('bad parameters are 400 naming the field', async () => {
    for (const [q, field] of [
      ['?place_id=abc', 'place_id'], ['?place_id=0', 'place_id'], ['?place_id=-3', 'place_id'],
      ['?at=2026-02-30', 'at'], ['?at=tomorrow', 'at'], ['?at=2026-1-5', 'at'],
      ['?colour=red', 'colour'],
    ]) {
      assertProblem(await lead.get(url(q)), 400, { fields: [field] });
    }
  });

  test('an unknown place is 404', async () => {
    assertProblem(await lead.get(url('?place_id=987654')), 404, { detail: '987654' });
  });
});

describe('GET /network (the page)', () => {
  test('draws the network as SVG with the names escaped, and the tables', async () => {
    const r = await lead.get(`/network?place_id=${place.id}`);
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.ok(r.text.includes('<svg'), 'no <svg>');
    assert.match(r.text, /<svg[^>]* role="img" aria-label="[^"]+"/);
    assert.ok(!/ style="/.test(r.text), 'a style attribute would break the CSP');
    assert.ok(r.text.includes('Arts &amp; &lt;Crafts&gt; &quot;Co&quot;'), 'name not escaped');
    assert.ok(!r.text.includes('<Crafts>'), 'a name reached the page unescaped');
    assert.ok(r.text.includes(`<title>${a.name.replace(/&/g, '&amp;').replace(/</g, '&lt;')
      .replace(/>/g, '&gt;').replace(/"/g, '&quot;')} (VCSE, 1 tie)</title>`));
    for (const h of ['Organisations', 'Connected groups', 'Organisations with no ties', 'Places'])
      assert.ok(r.text.includes(`>${h}</h2>`), `no ${h} table`);
    assert.ok(r.text.includes(`href="/organisations/${d.id}"`));
    assert.ok(r.text.includes('name="place_id"') && r.text.includes('name="at"'));
  });

  test('the whole system, and the form keeps the date asked for', async () => {
    const r = await viewer.get('/network?at=2024-03-01');
    assert.equal(r.status, 200);
    assert.ok(r.text.includes('The whole system on 1 March 2024'));
    assert.ok(r.text.includes('value="2024-03-01"'));
  });

  test('a bad date is 400 with an error summary; an unknown place 404', async () => {
    const bad = await lead.get('/network?at=2026-13-01');
    assert.equal(bad.status, 400);
    assert.ok(bad.text.includes('nhsuk-error-summary'));
    assert.ok(bad.text.includes('href="#field-at"'));
    assert.equal((await lead.get('/network?place_id=987654')).status, 404);
    assert.equal((await lead.get('/network?place_id=nope')).status, 400);
  });

  test('signing in comes first', async () => {
    const r = await new Client(server.url).get('/network');
    assert.equal(r.status, 303);
    assert.match(r.headers.get('location'), /^\/sign-in/);
  });
});
