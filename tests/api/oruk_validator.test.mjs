// Our own run of the Open Referral UK validator's checks against
// /openreferral: the required endpoints answer 2xx; pagination holds on the
// first, a middle and the last page of every list; every id listed resolves
// at its /{id} endpoint; every service is found again by its name (search),
// by each of its taxonomy terms, by its age range, by each day and times of
// its schedules, and by a postcode and proximity covering each of its
// locations; and what is served validates against the HSDS 3.0 schemas with
// the UK profile's overlay applied (required members, types, enums).
//
// The schemas come from ../shared/standards when it is there; a fresh clone
// has no ../shared, and then the schema part says it is skipped there and
// checks against tests/fixtures/oruk/schema/ instead: the same schemas,
// compiled (overlay applied) and trimmed to what is checked. With
// ../shared present the test also checks that copy is still what the
// standards compile to; ORUK_WRITE_SCHEMAS=1 rewrites it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, chis } from '../lib/server.mjs';

const OR = '/openreferral';
const SHARED = process.env.ORUK_SHARED || '../shared/standards';
const COPY = 'tests/fixtures/oruk/schema';

let server;

before(async () => {
  server = await startServer({ demo: false });
  chis(['import', 'hsds', 'tests/fixtures/oruk/directory.json', '--db', server.db]);
  chis(['import', 'postcodes', 'tests/fixtures/oruk/postcodes.csv', '--db', server.db]);
});
after(async () => { await server?.stop(); });

// GET a path of the API; returns { status, body } (body parsed when JSON).
async function get(path) {
  const res = await fetch(server.url + OR + path);
  const text = await res.text();
  let body = null;
  if ((res.headers.get('content-type') || '').includes('json') && text) body = JSON.parse(text);
  return { status: res.status, body, text };
}

async function ok(path) {
  const r = await get(path);
  assert.ok(r.status >= 200 && r.status < 300, `GET ${OR}${path} answered ${r.status}: ${r.text.slice(0, 300)}`);
  return r.body;
}

// Every item of a list, walking its pages.
async function everything(path) {
  const items = [];
  for (let page = 1; ; page++) {
    const d = await ok(`${path}${path.includes('?') ? '&' : '?'}per_page=100&page=${page}`);
    items.push(...d.contents);
    if (d.last_page) return items;
  }
}

// ---- schemas ----

// Applies a profile overlay to an HSDS schema: null removes a member (or a
// property); properties merge one by one; anything else replaces.
function overlay(base, profile) {
  const out = structuredClone(base);
  for (const [k, v] of Object.entries(profile || {})) {
    if (v === null) delete out[k];
    else if (k === 'properties') {
      out.properties = out.properties || {};
      for (const [p, pv] of Object.entries(v)) {
        if (pv === null) delete out.properties[p];
        else out.properties[p] = { ...(out.properties[p] || {}), ...pv };
      }
    } else out[k] = v;
  }
  return out;
}

// Keeps what the checker reads: type, required, enum, properties, items, $ref, allOf.
function trim(s) {
  if (!s || typeof s !== 'object') return s;
  const out = {};
  for (const k of ['$ref', 'type', 'required', 'enum']) if (s[k] !== undefined) out[k] = s[k];
  if (s.properties) {
    out.properties = {};
    for (const [p, ps] of Object.entries(s.properties)) out.properties[p] = trim(ps);
  }
  if (s.items) out.items = trim(s.items);
  if (s.allOf) out.allOf = s.allOf.map(trim);
  return out;
}

// The HSDS 3.0 schemas with the UK profile applied, by file name.
function compileShared() {
  const dir = join(SHARED, 'hsds-3.0/schema'), prof = join(SHARED, 'oruk-3.0/profile');
  const out = {};
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.json') || f === 'openapi.json') continue;
    const base = JSON.parse(readFileSync(join(dir, f), 'utf8'));
    const p = existsSync(join(prof, f)) ? JSON.parse(readFileSync(join(prof, f), 'utf8')) : null;
    out[f] = trim(overlay(base, p));
  }
  return out;
}

function loadCopy() {
  const out = {};
  for (const f of readdirSync(COPY)) if (f.endsWith('.json')) out[f] = JSON.parse(readFileSync(join(COPY, f), 'utf8'));
  return out;
}

const typeOk = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  array: (v) => Array.isArray(v),
  null: (v) => v === null,
};

// Checks value against schema (refs resolved in schemas); problems go to errs as "path: what".
function check(schemas, schema, value, path, errs) {
  if (!schema) return;
  if (schema.$ref) {
    const target = schemas[schema.$ref.split('/').pop()];
    if (!target) errs.push(`${path}: no schema ${schema.$ref}`);
    else check(schemas, target, value, path, errs);
  }
  for (const s of schema.allOf || []) check(schemas, s, value, path, errs);
  if (schema.type) {
    const types = [].concat(schema.type);
    if (!types.some((t) => typeOk[t]?.(value))) {
      errs.push(`${path}: ${JSON.stringify(value)?.slice(0, 60)} is not ${types.join('|')}`);
      return;
    }
  }
  if (schema.enum && !schema.enum.includes(value)) errs.push(`${path}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`);
  if (typeOk.object(value)) {
    for (const r of schema.required || []) if (value[r] === undefined) errs.push(`${path}: ${r} is required`);
    for (const [k, v] of Object.entries(value)) if (schema.properties?.[k]) check(schemas, schema.properties[k], v, `${path}.${k}`, errs);
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => check(schemas, schema.items, v, `${path}[${i}]`, errs));
}

// ---- the checks ----

const LISTS = ['/services', '/service_at_locations', '/taxonomies', '/taxonomy_terms', '/organizations'];
const ONE = {
  '/services': '/services/', '/service_at_locations': '/service_at_locations/', '/taxonomies': '/taxonomies/',
  '/taxonomy_terms': '/taxonomy_terms/', '/organizations': '/organizations/',
};

describe('the validator\'s checks', () => {
  test('required endpoints answer 2xx', async () => {
    const root = await ok('/');
    assert.equal(root.version, 'HSDS-UK-3.0');
    for (const list of LISTS) {
      const d = await ok(list);
      assert.ok(d.contents.length > 0, `${list} is empty`);
      await ok(ONE[list] + encodeURIComponent(d.contents[0].id));
    }
  });

  test('pagination holds on the first, a middle and the last page of every list', async () => {
    for (const list of LISTS) {
      const total = (await ok(`${list}?per_page=1`)).total_items;
      assert.ok(total >= 3, `${list}: ${total} items is too few for a middle page`);
      const per = Math.max(1, Math.floor(total / 3));
      const pages = Math.ceil(total / per);
      const ids = new Set();
      for (let n = 1; n <= pages; n++) {
        const d = await ok(`${list}?per_page=${per}&page=${n}`);
        const where = `${list} page ${n} of ${pages}`;
        assert.equal(d.total_items, total, where);
        assert.equal(d.total_pages, pages, where);
        assert.equal(d.page_number, n, where);
        assert.equal(d.size, d.contents.length, where);
        assert.equal(d.first_page, n === 1, where);
        assert.equal(d.last_page, n === pages, where);
        assert.equal(d.empty, false, where);
        assert.equal(d.contents.length, n < pages ? per : total - per * (pages - 1), where);
        for (const item of d.contents) ids.add(item.id);
      }
      assert.equal(ids.size, total, `${list}: the pages hold ${ids.size} distinct items of ${total}`);
      const past = await ok(`${list}?per_page=${per}&page=${pages + 1}`);
      assert.equal(past.empty, true);
      assert.equal(past.last_page, true);
      assert.deepEqual(past.contents, []);
    }
  });

  test('every id listed resolves at its /{id} endpoint', async () => {
    for (const list of LISTS) {
      for (const item of await everything(list)) {
        const one = await ok(ONE[list] + encodeURIComponent(item.id));
        assert.equal(one.id, item.id, `${list}/${item.id}`);
      }
    }
  });

  test('every service is found again by its name, terms, ages, days and times, and where it is', async () => {
    const found = async (query, sid, path = '/services') => {
      const ids = (await everything(`${path}?${query}`)).map((x) => (path === '/services' ? x.id : x.service.id));
      assert.ok(ids.includes(sid), `${path}?${query} does not find ${sid}`);
    };
    const services = await everything('/services');
    assert.equal(services.length, 8);
    for (const summary of services) {
      const s = await ok(`/services/${summary.id}`);
      await found(`search=${encodeURIComponent(s.name)}`, s.id);
      for (const a of s.attributes || []) await found(`taxonomy_term_id=${encodeURIComponent(a.taxonomy_term_id || a.taxonomy_term.id)}`, s.id);
      const ages = [];
      if (s.minimum_age !== undefined) ages.push(`minimum_age=${s.minimum_age}`);
      if (s.maximum_age !== undefined) ages.push(`maximum_age=${s.maximum_age}`);
      if (ages.length) await found(ages.join('&'), s.id);
      const schedules = [...(s.schedules || []), ...(s.service_at_locations || []).flatMap((x) => x.schedules || [])];
      assert.ok(schedules.length > 0, `${s.name} has no schedule to look for`);
      for (const sc of schedules) {
        const q = [];
        if (sc.byday) q.push(`day=${sc.byday.split(',')[0].replace(/^[-+]?\d+/, '')}`);
        if (sc.opens_at) q.push(`start_time=${sc.opens_at}`);
        if (sc.closes_at) q.push(`end_time=${sc.closes_at}`);
        await found(q.join('&'), s.id);
      }
      for (const sal of s.service_at_locations || []) {
        const pc = sal.location.addresses?.[0]?.postal_code;
        assert.ok(pc, `${s.name}: a location without a postcode`);
        await found(`postcode=${encodeURIComponent(pc)}&proximity=1000`, s.id);
        await found(`postcode=${encodeURIComponent(pc)}&proximity=1000`, s.id, '/service_at_locations');
      }
    }
  });
});

describe('responses validate against the HSDS 3.0 schemas with the UK profile', () => {
  let schemas, source;
  before(() => {
    if (existsSync(join(SHARED, 'hsds-3.0/schema'))) {
      schemas = compileShared();
      source = SHARED;
      if (process.env.ORUK_WRITE_SCHEMAS) {
        mkdirSync(COPY, { recursive: true });
        for (const [f, s] of Object.entries(schemas)) writeFileSync(join(COPY, f), JSON.stringify(s, null, 1) + '\n');
      }
    } else {
      console.log(`# ${SHARED} is not there: the schema checks against the standards are skipped;` +
        ` checking against the copy in ${COPY} instead`);
      schemas = loadCopy();
      source = COPY;
    }
  });

  test('the copy in tests/fixtures is what the standards compile to', (t) => {
    if (source !== SHARED) {
      t.skip(`${SHARED} is not there`);
      return;
    }
    const copy = loadCopy();
    for (const f of ['service.json', 'service_at_location.json', 'location.json', 'organization.json', 'taxonomy.json', 'taxonomy_term.json']) {
      assert.deepEqual(copy[f], schemas[f], `${COPY}/${f} differs from ${SHARED}: run with ORUK_WRITE_SCHEMAS=1`);
    }
  });

  test('the checker itself catches what it should', () => {
    const errs = [];
    check(schemas, { $ref: 'service.json' }, { id: 'x', status: 'open', minimum_age: 'ten', organization: { id: 1 } }, 'service', errs);
    const text = errs.join('\n');
    assert.match(text, /name is required/);
    assert.match(text, /"open" is not one of/);
    assert.match(text, /minimum_age: "ten" is not number/);
    assert.match(text, /organization.id: 1 is not string/);
  });

  test('services, services at locations, taxonomies, terms and organizations', async () => {
    const errs = [];
    const validate = (file, value, where) => check(schemas, { $ref: file }, value, where, errs);
    for (const s of await everything('/services')) {
      validate('service.json', s, `list /services ${s.id}`);
      validate('service.json', await ok(`/services/${s.id}`), `/services/${s.id}`);
    }
    for (const x of await everything('/service_at_locations')) {
      validate('service_at_location.json', x, `list /service_at_locations ${x.id}`);
      validate('service.json', x.service, `list /service_at_locations ${x.id} .service`);
      const one = await ok(`/service_at_locations/${x.id}`);
      validate('service_at_location.json', one, `/service_at_locations/${x.id}`);
      validate('service.json', one.service, `/service_at_locations/${x.id} .service`);
    }
    for (const t of await everything('/taxonomies')) validate('taxonomy.json', await ok(`/taxonomies/${t.id}`), `/taxonomies/${t.id}`);
    for (const t of await everything('/taxonomy_terms')) validate('taxonomy_term.json', t, `/taxonomy_terms ${t.id}`);
    for (const o of await everything('/organizations?full_service=true')) {
      validate('organization.json', o, `/organizations ${o.id}`);
      for (const s of o.services) validate('service.json', s, `/organizations ${o.id} service ${s.id}`);
    }
    assert.deepEqual(errs, [], `against ${source}:\n${errs.join('\n')}`);
  });
});
