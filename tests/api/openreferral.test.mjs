// The public Open Referral UK 3.0 API under /openreferral: every parameter
// and their combinations, the page arithmetic (last page, empty result, a
// page past the end), CORS on answers, errors and preflights, 400s naming
// the parameter, 404s for unknown ids, no sign-in, no personal data, and
// services waiting for approval or deleted never shown.
//
// Data: tests/fixtures/oruk/directory.json (eight services in West
// Yorkshire) and postcodes.csv, loaded with `chis import hsds` and
// `chis import postcodes` into the test server's database.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startServer, Client, chis } from '../lib/server.mjs';
import { API, assertProblem, errorFields, getOk, signInRoles, unique } from './helpers.mjs';

const OR = '/openreferral';
const FIXTURE = 'tests/fixtures/oruk/directory.json';
const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8'));
const byName = Object.fromEntries(fixture.map((s) => [s.name, s]));
const id = (name) => byName[name].id;
// Shipped Creative Health terms (src/domain/dir_taxonomy.c) the fixture uses.
const T = {
  singing: '54a13144-0f14-422d-8473-ed38d7825060',
  dementia: 'a7360cf7-898e-4640-a092-eafc62515fa9',
  music: '18297098-2b1a-4cff-b1b1-add1d2819784',
  chTaxonomy: '078c3372-7620-4dbc-88a6-a167c21d9dd6',
  activityRoot: '3a935772-1f78-469b-8b31-88ab39c68387',
  needRoot: 'e9cd5f4f-478d-4104-ab8e-4c7bcc44862c',
};
const localTerm = fixture[0].attributes.find((a) => a.taxonomy_term).taxonomy_term;

let server, anon;

before(async () => {
  server = await startServer({ demo: false });
  chis(['import', 'hsds', FIXTURE, '--db', server.db]);
  chis(['import', 'postcodes', 'tests/fixtures/oruk/postcodes.csv', '--db', server.db]);
  anon = new Client(server.url);
});
after(async () => { await server?.stop(); });

// GET an Open Referral path, insisting on 200 and CORS; returns the body.
async function get(path) {
  const r = await anon.get(OR + path);
  assert.equal(r.status, 200, `GET ${path} gave ${r.status}: ${r.text}`);
  assert.equal(r.headers.get('access-control-allow-origin'), '*', `no CORS on ${path}`);
  return r.data;
}

// The names found by a services query, in order.
async function names(query, path = '/services') {
  const d = await get(`${path}?${query}`);
  return d.contents.map((s) => (path === '/services' ? s.name : s.service.name));
}

// The 400 for a query, naming the parameters given.
async function refused(path, ...fields) {
  const r = await anon.get(OR + path);
  const body = assertProblem(r, 400, { fields });
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
  return body;
}

// Great-circle metres, as the server computes them.
function metres(lat1, lng1, lat2, lng2) {
  const rad = Math.PI / 180, R = 6371008.8;
  const h = Math.sin(((lat2 - lat1) * rad) / 2) ** 2 +
    Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(((lng2 - lng1) * rad) / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

const ALL_BY_NAME = ['Community Choir', 'Garden Walks', 'Leeds Drumming Circle', 'Memory Cafe Music',
  'Pottery Club', 'Reading Together', 'Singing for the Brain', 'Young Voices Theatre'];

describe('the API itself', () => {
  test('GET /openreferral/ says what it is, with and without the slash', async () => {
    for (const p of ['/', '']) {
      const d = await get(p);
      assert.equal(d.version, 'HSDS-UK-3.0');
      assert.match(d.profile, /^https:\/\//);
      assert.ok(d.openapi_url.endsWith('/openreferral/openapi.json'), d.openapi_url);
    }
  });

  test('the OpenAPI document is served, open to any origin, and lists the endpoints', async () => {
    const doc = await get('/openapi.json');
    assert.match(doc.openapi, /^3\./);
    assert.equal(doc.servers[0].url, '/openreferral');
    for (const p of ['/', '/services', '/services/{id}', '/service_at_locations', '/service_at_locations/{id}',
      '/taxonomies', '/taxonomies/{id}', '/taxonomy_terms', '/taxonomy_terms/{id}', '/organizations', '/organizations/{id}']) {
      assert.ok(doc.paths[p]?.get, `${p} is not documented`);
    }
  });

  test('no sign-in is needed, and a credential is not even read', async () => {
    const r = await anon.req('GET', `${OR}/services`, { headers: { Authorization: 'Bearer not-a-token', Cookie: 'chis_session=forged' } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('set-cookie'), null);
  });

  test('CORS on answers, errors and preflights', async () => {
    const ok = await anon.get(`${OR}/services`);
    assert.equal(ok.headers.get('access-control-allow-origin'), '*');
    const bad = await anon.get(`${OR}/services?page=x`);
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get('access-control-allow-origin'), '*');
    const missing = await anon.get(`${OR}/services/no-such-service`);
    assertProblem(missing, 404);
    assert.equal(missing.headers.get('access-control-allow-origin'), '*');
    const nowhere = await anon.get(`${OR}/nothing-here`);
    assert.equal(nowhere.status, 404);
    assert.equal(nowhere.headers.get('access-control-allow-origin'), '*');
    const pre = await anon.req('OPTIONS', `${OR}/services`, {
      headers: { Origin: 'https://elsewhere.example', 'Access-Control-Request-Method': 'GET' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), '*');
    assert.match(pre.headers.get('access-control-allow-methods'), /GET/);
  });
});

describe('pages', () => {
  test('the first, a middle and the last page, and past the end', async () => {
    const p1 = await get('/services?per_page=3');
    assert.deepEqual({ ...p1, contents: p1.contents.length }, {
      total_items: 8, total_pages: 3, page_number: 1, size: 3, first_page: true, last_page: false, empty: false, contents: 3,
    });
    const p2 = await get('/services?per_page=3&page=2');
    assert.equal(p2.first_page, false);
    assert.equal(p2.last_page, false);
    assert.equal(p2.size, 3);
    const p3 = await get('/services?per_page=3&page=3');
    assert.equal(p3.last_page, true);
    assert.equal(p3.size, 2);
    assert.equal(p3.empty, false);
    const seen = [...p1.contents, ...p2.contents, ...p3.contents].map((s) => s.name);
    assert.deepEqual(seen, ALL_BY_NAME);
    const past = await get('/services?per_page=3&page=4');
    assert.deepEqual(past, {
      total_items: 8, total_pages: 3, page_number: 4, size: 0, first_page: false, last_page: true, empty: true, contents: [],
    });
  });

  test('one page holding everything is both first and last', async () => {
    const d = await get('/services?per_page=8');
    assert.equal(d.first_page && d.last_page, true);
    assert.equal(d.total_pages, 1);
    assert.equal(d.size, 8);
  });

  test('an empty result is one empty page', async () => {
    const d = await get('/services?search=xylophone');
    assert.deepEqual(d, {
      total_items: 0, total_pages: 1, page_number: 1, size: 0, first_page: true, last_page: true, empty: true, contents: [],
    });
  });

  test('the default page holds 50; per_page up to 1000', async () => {
    assert.equal((await get('/services')).size, 8);
    assert.equal((await get('/services?per_page=1000')).total_pages, 1);
    await refused('/services?per_page=1001', 'per_page');
  });

  test('a page number so large its offset would overflow is refused, on every list', async () => {
    // (page - 1) * per_page once wrapped round and read outside the results,
    // leaking pending and deleted services: the page is capped instead.
    for (const path of ['/services', '/service_at_locations', '/taxonomy_terms', '/organizations']) {
      await refused(`${path}?page=9223372036854775807`, 'page');
      await refused(`${path}?per_page=982&page=18784871765488342`, 'page');
      await refused(`${path}?page=1000001`, 'page');
    }
    const far = await get('/services?page=1000000&per_page=1000');
    assert.equal(far.empty, true);
    assert.deepEqual(far.contents, []);
  });

  test('lists of taxonomies, terms and organizations page the same way', async () => {
    const t = await get('/taxonomy_terms?per_page=5&page=2');
    assert.equal(t.page_number, 2);
    assert.equal(t.size, 5);
    assert.equal(t.total_pages, Math.ceil(t.total_items / 5));
    const last = await get(`/taxonomy_terms?per_page=5&page=${t.total_pages}`);
    assert.equal(last.last_page, true);
    assert.ok(last.size >= 1 && last.size <= 5);
    const past = await get(`/taxonomy_terms?per_page=5&page=${t.total_pages + 1}`);
    assert.equal(past.empty, true);
    assert.deepEqual(past.contents, []);
    const o = await get('/organizations?per_page=2&page=2');
    assert.equal(o.total_items, 3);
    assert.equal(o.size, 1);
    assert.equal(o.last_page, true);
  });
});

describe('each parameter of /services', () => {
  test('without parameters: every published service by name, one-to-one fields and organization', async () => {
    const d = await get('/services');
    assert.deepEqual(d.contents.map((s) => s.name), ALL_BY_NAME);
    const s = d.contents.find((x) => x.name === 'Community Choir');
    assert.equal(s.id, id('Community Choir'));
    assert.equal(s.organization.name, 'Calder Valley Arts');
    assert.equal(s.minimum_age, 18);
    assert.equal(s.service_at_locations, undefined, 'a list item holds one-to-one fields only');
  });

  test('search: ranked with the name first, case and word endings ignored', async () => {
    // Brain has the word in its name; the choir "sings" in its description and has
    // the Singing term; the cafe mentions singing in its description only.
    assert.deepEqual(await names('search=singing'), ['Singing for the Brain', 'Community Choir', 'Memory Cafe Music']);
    assert.deepEqual(await names('search=SINGS'), await names('search=singing'));
    assert.deepEqual(await names('search=drums'), ['Leeds Drumming Circle']);
    assert.deepEqual(await names('search=pottery%20clay'), ['Pottery Club']);
    // Every word must be there, and operators are only words.
    assert.deepEqual(await names('search=pottery%20OR%20choir'), []);
    assert.deepEqual(await names('search=%22pottery'), ['Pottery Club']);
    assert.deepEqual(await names('search=*'), []);
    // The organization's name and the terms' names are searched too.
    assert.deepEqual(await names('search=kirklees'), ['Young Voices Theatre']);
    assert.deepEqual(await names('search=dementia&per_page=1'), ['Singing for the Brain']);
  });

  test('taxonomy_term_id, repeated (all of them), and taxonomy_id', async () => {
    assert.deepEqual(await names(`taxonomy_term_id=${T.singing}`), ['Community Choir', 'Singing for the Brain']);
    assert.deepEqual(await names(`taxonomy_term_id=${T.singing}&taxonomy_term_id=${T.dementia}`), ['Singing for the Brain']);
    assert.deepEqual(await names(`taxonomy_term_id=${localTerm.id}`), ['Singing for the Brain']);
    assert.deepEqual(await names(`taxonomy_id=${T.chTaxonomy}`), ALL_BY_NAME);
    assert.deepEqual(await names(`taxonomy_id=${localTerm.taxonomy_id}`), ['Singing for the Brain']);
    assert.deepEqual(await names('taxonomy_term_id=no-such-term'), []);
  });

  test('organization_id', async () => {
    assert.deepEqual(await names(`organization_id=${byName['Leeds Drumming Circle'].organization_id}`), ['Leeds Drumming Circle']);
  });

  test('minimum_age is at least, maximum_age at most, as the ORUK API says', async () => {
    assert.deepEqual(await names('minimum_age=50'), ['Memory Cafe Music', 'Reading Together', 'Singing for the Brain']);
    assert.deepEqual(await names('maximum_age=18'), ['Young Voices Theatre']);
    assert.deepEqual(await names('minimum_age=18&maximum_age=80'), ['Leeds Drumming Circle']);
    assert.deepEqual(await names('minimum_age=11.5&maximum_age=18'), []);
  });

  test('day, start_time and end_time, on one schedule', async () => {
    assert.deepEqual(await names('day=WE'), ['Memory Cafe Music', 'Pottery Club']);
    assert.deepEqual(await names('day=wednesday'), ['Memory Cafe Music', 'Pottery Club']);
    assert.deepEqual(await names('day=su'), ['Leeds Drumming Circle']);
    assert.deepEqual(await names('start_time=19:00'), ['Community Choir']);
    assert.deepEqual(await names('end_time=12:00:00'), ['Garden Walks', 'Pottery Club', 'Singing for the Brain', 'Young Voices Theatre']);
    assert.deepEqual(await names('day=SA&start_time=11:00'), ['Garden Walks']);
    assert.deepEqual(await names('day=SA&start_time=10:00&end_time=12:00'), ['Garden Walks', 'Young Voices Theatre']);
    assert.deepEqual(await names('day=TU&end_time=12:00'), []);
  });

  test('modified_after, as a date or a date and time with a zone', async () => {
    assert.deepEqual(await names('modified_after=2025-06-07'), ['Memory Cafe Music', 'Young Voices Theatre']);
    assert.deepEqual(await names('modified_after=2025-06-08T09:00:00Z'), ['Memory Cafe Music']);
    assert.deepEqual(await names('modified_after=2025-06-08T10:00:01%2B01:00'), []);
    assert.deepEqual(await names('modified_after=2030-01-01'), []);
  });

  test('postcode and proximity: within the distance, nearest first, saying how far', async () => {
    const d = await get('/services?postcode=hx1%201qe&proximity=1000');
    assert.deepEqual(d.contents.map((s) => s.name), ['Singing for the Brain', 'Reading Together', 'Community Choir']);
    const at = { 'Singing for the Brain': [53.7206, -1.8570], 'Reading Together': [53.7212, -1.8600], 'Community Choir': [53.7238, -1.8560] };
    for (const s of d.contents) {
      const want = metres(53.7206, -1.8570, ...at[s.name]);
      assert.ok(Math.abs(s.distance - want) < 2, `${s.name}: ${s.distance} m, expected ${want}`);
    }
    // Spacing and case do not matter.
    assert.deepEqual(await names('postcode=HX11QE&proximity=1000'), d.contents.map((s) => s.name));
    // Without proximity every service, by distance; those with no location last, with no distance.
    const all = await get('/services?postcode=HX1%201QE');
    assert.equal(all.total_items, 8);
    assert.equal(all.contents[0].name, 'Singing for the Brain');
    assert.equal(all.contents.at(-1).name, 'Garden Walks');
    assert.equal(all.contents.at(-1).distance, undefined);
    for (let i = 1; i < 7; i++) assert.ok(all.contents[i - 1].distance <= all.contents[i].distance);
    // A service with two venues is listed once, at its nearest.
    const leeds = await get('/services?postcode=LS6%201JT&proximity=5000');
    assert.deepEqual(leeds.contents.map((s) => s.name), ['Leeds Drumming Circle']);
    assert.ok(leeds.contents[0].distance < 1);
  });

  test('an unknown full postcode falls back to its district; an unknown district is a 400', async () => {
    // HX1 9XX is terminated (not imported): the HX1 district's centroid is used.
    const d = await get('/services?postcode=HX1%209XX&proximity=3000');
    assert.ok(d.total_items >= 3, JSON.stringify(d));
    assert.ok(d.contents.every((s) => s.distance <= 3000));
    const body = await refused('/services?postcode=ZZ9%209ZZ&proximity=1000', 'postcode');
    assert.equal(errorFields(body).length, 1);
  });

  test('filters combine (AND)', async () => {
    assert.deepEqual(await names(`search=singing&taxonomy_term_id=${T.singing}&day=MO`), ['Singing for the Brain']);
    assert.deepEqual(await names(`search=music&postcode=OL14%205AJ&proximity=2000&taxonomy_term_id=${T.dementia}&day=WE&start_time=14:00&minimum_age=55`), ['Memory Cafe Music']);
    assert.deepEqual(await names(`search=music&postcode=OL14%205AJ&proximity=2000&taxonomy_term_id=${T.dementia}&day=TH`), []);
    assert.deepEqual(await names(`taxonomy_id=${T.chTaxonomy}&organization_id=${byName['Pottery Club'].organization_id}&minimum_age=16&end_time=12:00`), ['Pottery Club', 'Singing for the Brain']);
    assert.deepEqual(await names('search=singing&postcode=HX1%201QE&proximity=1000'), ['Singing for the Brain', 'Community Choir']);
    assert.deepEqual(await names('search=group&modified_after=2025-06-02'), []);
    assert.deepEqual(await names('search=group'), ['Singing for the Brain']);
  });

  test('format=ndjson: every match, unpaginated, one object a line', async () => {
    const r = await anon.get(`${OR}/services?format=ndjson&per_page=2&page=2`, { raw: true });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/x-ndjson/);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    const lines = r.text.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((s) => s.name), ALL_BY_NAME);
    const near = await anon.get(`${OR}/service_at_locations?format=ndjson&postcode=LS1%206HW&proximity=5000`, { raw: true });
    const sals = near.text.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(sals.length, 2);
    assert.ok(sals[0].distance < sals[1].distance);
    const none = await anon.get(`${OR}/services?format=ndjson&search=xylophone`, { raw: true });
    assert.equal(none.text, '');
  });

  test('full=true lists full services', async () => {
    const d = await get('/services?full=true&search=pottery');
    assert.equal(d.contents[0].service_at_locations.length, 1);
    assert.equal(d.contents[0].service_at_locations[0].location.name, 'Dean Clough Mills');
  });
});

describe('service_at_locations', () => {
  test('one item per service at a location, with the location and the service', async () => {
    const d = await get('/service_at_locations');
    assert.equal(d.total_items, 8); // seven services with a venue, one of them at two
    const drums = d.contents.filter((x) => x.service.name === 'Leeds Drumming Circle');
    assert.equal(drums.length, 2);
    for (const x of d.contents) {
      assert.equal(x.service_id, x.service.id);
      assert.equal(x.location_id, x.location.id);
      assert.equal(x.location.location_type, 'physical');
      assert.equal(typeof x.location.latitude, 'number');
    }
  });

  test('postcode and proximity: each venue by its own distance', async () => {
    const d = await get('/service_at_locations?postcode=LS1%206HW&proximity=5000');
    assert.deepEqual(d.contents.map((x) => x.location.name), ['Leeds Trinity Hall', 'Hyde Park Community Room']);
    assert.ok(Math.abs(d.contents[1].distance - metres(53.7963, -1.5436, 53.8160, -1.5620)) < 2);
    assert.deepEqual(await names('postcode=LS1%206HW&proximity=1000', '/service_at_locations'), ['Leeds Drumming Circle']);
  });

  test('the same filters as /services', async () => {
    assert.deepEqual(await names('day=SU', '/service_at_locations'), ['Leeds Drumming Circle']);
    const sun = await get('/service_at_locations?day=SU');
    assert.equal(sun.contents[0].location.name, 'Hyde Park Community Room', 'the schedule of that venue only');
    assert.deepEqual(await names(`search=singing&taxonomy_term_id=${T.singing}`, '/service_at_locations'), ['Singing for the Brain', 'Community Choir']);
    assert.deepEqual(await names('minimum_age=60', '/service_at_locations'), ['Reading Together']);
  });

  test('by id: the location in full and the service', async () => {
    const sal = byName['Pottery Club'].service_at_locations[0];
    const d = await get(`/service_at_locations/${sal.id}`);
    assert.equal(d.id, sal.id);
    assert.equal(d.location.addresses[0].postal_code, 'HX3 5AX');
    assert.equal(d.service.name, 'Pottery Club');
    assert.equal(d.schedules[0].byday, 'WE');
    assertProblem(await anon.get(`${OR}/service_at_locations/nope`), 404);
  });
});

describe('single objects', () => {
  test('/services/{id}: the full service', async () => {
    const d = await get(`/services/${id('Leeds Drumming Circle')}`);
    assert.equal(d.name, 'Leeds Drumming Circle');
    assert.equal(d.organization.name, 'Leeds Community Music');
    assert.equal(d.service_at_locations.length, 2);
    assert.equal(d.attributes[0].taxonomy_term.name, 'Music');
    assertProblem(await anon.get(`${OR}/services/00000000-0000-4000-8000-000000000000`), 404);
  });

  test('taxonomies and terms', async () => {
    const taxa = await get('/taxonomies?per_page=100');
    assert.ok(taxa.contents.some((t) => t.id === T.chTaxonomy));
    assert.ok(taxa.contents.some((t) => t.id === localTerm.taxonomy_id));
    assert.equal((await get(`/taxonomies/${T.chTaxonomy}`)).id, T.chTaxonomy);
    assertProblem(await anon.get(`${OR}/taxonomies/nope`), 404);
    const term = await get(`/taxonomy_terms/${T.singing}`);
    assert.equal(term.name, 'Singing');
    assert.equal(term.parent_id, T.activityRoot);
    assertProblem(await anon.get(`${OR}/taxonomy_terms/nope`), 404);
    const children = await get(`/taxonomy_terms?parent_id=${T.activityRoot}&per_page=100`);
    assert.ok(children.contents.length >= 10);
    assert.ok(children.contents.every((t) => t.parent_id === T.activityRoot));
    const top = await get(`/taxonomy_terms?top_only=true&taxonomy_id=${T.chTaxonomy}`);
    assert.deepEqual(top.contents.map((t) => t.id).sort(), [T.activityRoot, T.needRoot].sort());
    const local = await get(`/taxonomy_terms?taxonomy_id=${localTerm.taxonomy_id}`);
    assert.deepEqual(local.contents.map((t) => t.name), ['Arts centre']);
    assert.deepEqual((await get('/taxonomy_terms?search=SING')).contents.map((t) => t.name), ['Singing']);
  });

  test('organizations: only those with a published service, with their services', async () => {
    const d = await get('/organizations');
    assert.deepEqual(d.contents.map((o) => o.name), ['Calder Valley Arts', 'Kirklees Youth Theatre', 'Leeds Community Music']);
    assert.equal(d.contents[0].services, undefined);
    const full = await get('/organizations?full_service=true&search=leeds');
    assert.equal(full.contents.length, 1);
    assert.equal(full.contents[0].services[0].service_at_locations.length, 2);
    const orgId = byName['Leeds Drumming Circle'].organization_id;
    const one = await get(`/organizations/${orgId}`);
    assert.equal(one.name, 'Leeds Community Music');
    assert.deepEqual(one.services.map((s) => s.name), ['Leeds Drumming Circle']);
    assert.equal(one.services[0].service_at_locations, undefined);
    const oneFull = await get(`/organizations/${orgId}?full_service=true`);
    assert.equal(oneFull.services[0].service_at_locations.length, 2);
    assertProblem(await anon.get(`${OR}/organizations/nope`), 404);
  });
});

describe('bad parameters: 400 naming each', () => {
  test('on /services and /service_at_locations', async () => {
    for (const path of ['/services', '/service_at_locations']) {
      await refused(`${path}?page=two`, 'page');
      await refused(`${path}?page=0`, 'page');
      await refused(`${path}?per_page=-1`, 'per_page');
      await refused(`${path}?day=funday`, 'day');
      await refused(`${path}?postcode=NOT%20A%20POSTCODE`, 'postcode');
      await refused(`${path}?proximity=1000`, 'proximity');
      await refused(`${path}?postcode=HX1%201QE&proximity=near`, 'proximity');
      await refused(`${path}?minimum_age=old`, 'minimum_age');
      await refused(`${path}?maximum_age=-1`, 'maximum_age');
      await refused(`${path}?start_time=25:00`, 'start_time');
      await refused(`${path}?end_time=noon`, 'end_time');
      await refused(`${path}?modified_after=last%20week`, 'modified_after');
      await refused(`${path}?format=xml`, 'format');
      await refused(`${path}?full=perhaps`, 'full');
      await refused(`${path}?colour=blue`, 'colour');
      await refused(`${path}?free_only=true`, 'free_only');
    }
    // Several at once: each named.
    const body = await refused('/services?page=x&day=y&proximity=3', 'page', 'day', 'proximity');
    assert.equal(body.errors.length, 3);
  });

  test('on the other endpoints', async () => {
    await refused('/taxonomies?day=MO', 'day');
    await refused('/taxonomy_terms?top_only=maybe', 'top_only');
    await refused('/organizations?full_service=maybe', 'full_service');
    await refused('/organizations?page=0', 'page');
    await refused(`/services/${id('Pottery Club')}?full=true`, 'full');
    await refused(`/organizations/${byName['Pottery Club'].organization_id}?full_service=2`, 'full_service');
  });
});

describe('never personal data, nor internal state', () => {
  test('no chis links, states or editors in anything served', async () => {
    const paths = ['/services?full=true&per_page=100', '/service_at_locations?per_page=100',
      `/services/${id('Singing for the Brain')}`, `/organizations?full_service=true`,
      `/service_at_locations/${byName['Reading Together'].service_at_locations[0].id}`];
    for (const p of paths) {
      const text = JSON.stringify(await get(p));
      for (const key of ['organisation_id', 'place_id', 'neighbourhood_id', '"state"', 'deleted_at', 'created_by', 'password', 'user_id']) {
        assert.ok(!text.includes(key), `${p} holds ${key}`);
      }
    }
  });
});

describe('what waits for approval, and what was deleted, is never public', () => {
  let demo, as, w;
  before(async () => {
    demo = await startServer();
    as = await signInRoles(demo, ['provider', 'place_lead']);
    const org = await as.provider.post(`${API}/directory/organizations`, { name: unique('Hidden Test Org'), description: 'Ours' });
    assert.equal(org.status, 201, org.text);
    const doc = (name) => ({
      organization_id: org.data.id, name, description: 'A zanzibar marimba ensemble.', status: 'active',
      service_at_locations: [{ location: { name: 'Hall', latitude: 53.72, longitude: -1.86 } }],
      schedules: [{ freq: 'WEEKLY', byday: 'MO', opens_at: '10:00', closes_at: '11:00' }],
    });
    w = {};
    w.pending = (await as.provider.post(`${API}/directory/services`, doc('Zanzibar Pending'))).data;
    assert.equal(w.pending.state, 'pending');
    const pub = await as.place_lead.post(`${API}/directory/services`, doc('Zanzibar Deleted'));
    assert.equal(pub.status, 201, pub.text);
    w.deleted = pub.data;
    assert.equal((await fetch(`${demo.url}${OR}/services/${w.deleted.id}`)).status, 200);
    const del = await as.place_lead.del(`${API}/directory/services/${w.deleted.id}`);
    assert.ok([200, 204].includes(del.status), del.text);
  });
  after(async () => { await demo?.stop(); });

  test('not listed, not found, not counted', async () => {
    const c = new Client(demo.url);
    for (const path of ['/services?search=zanzibar', '/service_at_locations?search=zanzibar',
      '/services?search=zanzibar&postcode=HX1%201AA', '/services?search=zanzibar&day=MO&taxonomy_id=x&per_page=5']) {
      const r = await c.get(OR + path);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.data.total_items, 0, `${path}: ${r.text}`);
    }
    const nd = await c.get(`${OR}/services?format=ndjson`, { raw: true });
    assert.ok(!nd.text.includes('Zanzibar'));
    for (const s of [w.pending, w.deleted]) {
      assertProblem(await c.get(`${OR}/services/${s.id}`), 404);
      assertProblem(await c.get(`${OR}/service_at_locations/${s.service_at_locations[0].id}`), 404);
    }
    const orgs = await c.get(`${OR}/organizations?search=Hidden%20Test%20Org`);
    assert.equal(orgs.data.total_items, 0);
  });
});
