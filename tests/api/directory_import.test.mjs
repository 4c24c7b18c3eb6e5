// chis import hsds / chis export hsds / chis import postcodes, end to end
// through the built binary: exit statuses, FILE:LINE listings, nothing
// imported from a broken feed, the round trip through both export formats,
// the public API serving what was imported, and the two real feeds in
// ../shared/data/hsds (skipped with a message in a fresh clone).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chis, chisStatus, BIN } from '../lib/server.mjs';

const FIX = 'tests/fixtures/hsds';
const MIAMI = '../shared/data/hsds/open211-miami-1.x';
const SAMPLE = '../shared/data/hsds/sample-1.1/all_resources';

let dir;
const sqlite = (file, sql) => execFileSync('sqlite3', [file, sql], { encoding: 'utf8' }).trim();
let n = 0;
// A fresh, migrated database file.
function freshDb() {
  const file = join(dir, `d${n++}.db`);
  chis(['migrate', '--db', file]);
  return file;
}

before(() => { dir = mkdtempSync(join(tmpdir(), 'chis-import-')); });
after(() => { rmSync(dir, { recursive: true, force: true }); });

describe('help', () => {
  test('import and export answer --help with their usage', () => {
    assert.match(chis(['import', '--help']), /usage: chis import hsds PATH/);
    assert.match(chis(['import', 'hsds', '--help']), /--skip-invalid/);
    assert.match(chis(['export', '--help']), /usage: chis export hsds --format json\|csv DIR/);
  });

  test('bad usage exits 2', () => {
    assert.equal(chisStatus(['import']).status, 2);
    assert.equal(chisStatus(['import', 'hsds']).status, 2);
    assert.equal(chisStatus(['export', 'hsds', join(dir, 'x')]).status, 2); // no --format
    assert.equal(chisStatus(['export', 'hsds', '--format', 'xml', join(dir, 'x')]).status, 2);
  });
});

describe('import hsds', () => {
  test('a 1.x package imports, and again without duplicates', () => {
    const db = freshDb();
    const out = chis(['import', 'hsds', `${FIX}/v1-small`, '--db', db]);
    assert.match(out, /imported 3 services, 2 organizations, 2 locations/);
    assert.match(out, /note: services.csv: status is blank: read as active/);
    const counts = () => sqlite(db, 'SELECT (SELECT count(*) FROM dir_services) || \',\' ||'
      + ' (SELECT count(*) FROM dir_schedules) || \',\' || (SELECT count(*) FROM dir_attributes)'
      + ' || \',\' || (SELECT count(*) FROM organisations)');
    const first = counts();
    chis(['import', 'hsds', `${FIX}/v1-small/datapackage.json`, '--db', db]);
    assert.equal(counts(), first);
  });

  test('a broken package imports nothing and lists every problem with file and line', () => {
    const db = freshDb();
    const r = chisStatus(['import', 'hsds', `${FIX}/broken/bad-refs`, '--db', db]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^locations.csv:2: latitude must be between -90 and 90$/m);
    assert.match(r.stderr, /^services.csv:3: organization_id 'org-missing' is not in organizations.csv$/m);
    assert.match(r.stderr, /^services.csv:4: status 'open' is not one of the allowed values$/m);
    assert.match(r.stderr, /nothing imported: 3 problems/);
    assert.equal(sqlite(db, 'SELECT count(*) FROM dir_services'), '0');
    assert.equal(sqlite(db, 'SELECT count(*) FROM dir_organizations'), '0');
  });

  test('--skip-invalid imports the valid rows and reports the skipped ones', () => {
    const db = freshDb();
    const out = chis(['import', 'hsds', `${FIX}/broken/bad-refs`, '--skip-invalid', '--db', db]);
    assert.match(out, /^services.csv:3: organization_id 'org-missing'/m);
    assert.match(out, /imported 2 services/);
    assert.match(out, /skipped 3 invalid rows \(listed above\), and with them 1 dependent row$/m);
    assert.equal(sqlite(db, "SELECT count(*) FROM dir_services WHERE id IN ('svc-ok', 'svc-far')"), '2');
  });

  test('broken JSON imports nothing, even with --skip-invalid', () => {
    const db = freshDb();
    for (const extra of [[], ['--skip-invalid']]) {
      const r = chisStatus(['import', 'hsds', `${FIX}/broken/bad.json`, '--db', db, ...extra]);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /^bad.json:5: not valid JSON/m);
    }
    assert.equal(sqlite(db, 'SELECT count(*) FROM dir_services'), '0');
  });

  test('a missing path fails with a reason', () => {
    const r = chisStatus(['import', 'hsds', join(dir, 'nothing-here'), '--db', freshDb()]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cannot read/);
  });

});

describe('export hsds', () => {
  // Every file of two export folders, as text, by name.
  const files = (d) => Object.fromEntries(readdirSync(d).sort().map((f) => [f, readFileSync(join(d, f), 'utf8')]));

  test('json and csv exports import back to the same content', () => {
    const db = freshDb();
    chis(['import', 'hsds', `${FIX}/v1-small`, '--db', db]);
    chis(['import', 'hsds', `${FIX}/v3-small`, '--db', db]);
    chis(['import', 'hsds', `${FIX}/json/service.json`, '--db', db]);
    const json = join(dir, 'x-json'), csv = join(dir, 'x-csv');
    assert.match(chis(['export', 'hsds', '--format', 'json', json, '--db', db]), /exported 6 services/);
    assert.match(chis(['export', 'hsds', '--format', 'csv', csv, '--db', db]), /exported 6 services/);
    assert.ok(existsSync(join(csv, 'datapackage.json')));
    for (const [from, name] of [[json, 'j'], [csv, 'c']]) {
      const again = freshDb();
      chis(['import', 'hsds', from, '--db', again]);
      const j2 = join(dir, `again-${name}-json`), c2 = join(dir, `again-${name}-csv`);
      chis(['export', 'hsds', '--format', 'json', j2, '--db', again]);
      chis(['export', 'hsds', '--format', 'csv', c2, '--db', again]);
      // datapackage.json carries the time it was made: compare the rest.
      const strip = (o) => { delete o['datapackage.json']; return o; };
      assert.deepEqual(files(j2), files(json), `json from ${name}`);
      assert.deepEqual(strip(files(c2)), strip(files(csv)), `csv from ${name}`);
    }
  });

  test('the public API serves what was imported', async () => {
    const db = freshDb();
    chis(['import', 'hsds', `${FIX}/v3-small`, '--db', db]);
    const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise((resolve, reject) => {
        let out = '';
        proc.stdout.on('data', (d) => {
          out += d;
          const m = out.match(/listening on (http:\/\/[^/\s]+)\//);
          if (m) resolve(m[1]);
        });
        proc.on('exit', (code) => reject(new Error(`chis serve exited ${code}`)));
      });
      const res = await fetch(`${url}/openreferral/services/svc-a`);
      assert.equal(res.status, 200);
      const svc = await res.json();
      assert.equal(svc.name, 'Ryburn Community Choir');
      assert.equal(svc.service_at_locations[0].location.id, 'loc-a');
      assert.deepEqual(svc.attributes.map((a) => a.taxonomy_term_id), ['tt2']);
    } finally {
      await new Promise((resolve) => { proc.on('exit', resolve); proc.kill('SIGTERM'); });
    }
  });
});

describe('import postcodes', () => {
  test('an ONS-shaped file loads, terminated postcodes skipped', () => {
    const db = freshDb();
    const out = chis(['import', 'postcodes', 'tests/fixtures/postcodes/onspd-sample.csv', '--db', db]);
    assert.match(out, /imported 4 postcodes from 8 rows \(skipped 1 terminated, 1 without coordinates, 2 not postcodes/);
    assert.equal(sqlite(db, "SELECT lsoa FROM postcodes WHERE postcode = 'HX11AA'"), 'E01010994');
    const r = chisStatus(['import', 'postcodes', `${FIX}/v1-small/services.csv`, '--db', db]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /pcds, lat and long/);
  });
});

describe('the real feeds in ../shared/data/hsds', () => {
  test('Miami (1.x) is refused whole, and imports with --skip-invalid in seconds', (t) => {
    if (!existsSync(MIAMI)) { t.skip(`${MIAMI} is absent (no ../shared in a fresh clone)`); return; }
    const db = freshDb();
    const r = chisStatus(['import', 'hsds', MIAMI, '--db', db]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^services.csv:\d+: organization_id '\d+' is not in organizations.csv$/m);
    assert.match(r.stderr, /^eligibility.csv:2: service_id is blank/m);
    assert.match(r.stderr, /^regular_schedules.csv:\d+: opens_at '8:00m' is not a time of day$/m);
    assert.equal(sqlite(db, 'SELECT count(*) FROM dir_services'), '0');
    const t0 = Date.now();
    const out = chis(['import', 'hsds', MIAMI, '--skip-invalid', '--db', db]);
    const ms = Date.now() - t0;
    const m = out.match(/imported (\d+) services, 1074 organizations/);
    assert.ok(m, out.slice(-500));
    assert.ok(Number(m[1]) > 3500);
    assert.equal(sqlite(db, 'SELECT count(*) FROM dir_services'), m[1]);
    t.diagnostic(`Miami: ${m[1]} services imported with --skip-invalid in ${ms} ms`);
    assert.ok(ms < 30000, `took ${ms} ms`);
  });

  test('the HSDS 1.1 sample imports without problems', (t) => {
    if (!existsSync(SAMPLE)) { t.skip(`${SAMPLE} is absent (no ../shared in a fresh clone)`); return; }
    const out = chis(['import', 'hsds', SAMPLE, '--db', freshDb()]);
    assert.match(out, /imported 13 services, 10 organizations/);
  });
});
