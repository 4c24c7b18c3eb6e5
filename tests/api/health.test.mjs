// Health probes, errors for unknown addresses and methods, common headers, OpenAPI.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { assertProblem, signInRoles } from './helpers.mjs';

let server, anon, admin;

before(async () => {
  server = await startServer();
  anon = new Client(server.url);
  ({ admin } = await signInRoles(server, ['admin']));
});
after(async () => { await server?.stop(); });

function assertSecurityHeaders(r) {
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
}

describe('probes', () => {
  test('/healthz answers 200 {"status":"ok"} without signing in', async () => {
    const r = await anon.get('/healthz');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(r.data, { status: 'ok' });
  });

  test('/readyz answers 200 with the schema version', async () => {
    const r = await anon.get('/readyz');
    assert.equal(r.status, 200);
    assert.equal(r.data.status, 'ready');
    assert.ok(Number.isInteger(r.data.schema_version) && r.data.schema_version >= 1, r.text);
  });

  test('HEAD /healthz answers 200 with no body', async () => {
    const r = await anon.req('HEAD', '/healthz');
    assert.equal(r.status, 200);
    assert.equal(r.text, '');
  });
});

describe('unknown addresses and methods', () => {
  test('an unknown API path is a 404 problem', async () => {
    const r = await anon.get('/api/v1/no-such-thing');
    const body = assertProblem(r, 404);
    assert.equal(typeof body.detail, 'string');
    assert.equal(body.instance, '/api/v1/no-such-thing');
  });

  test('an unknown path signed in is still a 404 problem', async () => {
    const r = await admin.get('/api/v1/places/1/nope');
    assertProblem(r, 404);
  });

  test('an id that is not a positive whole number is a 404 problem', async () => {
    for (const id of ['abc', '0', '-1', '1x', '99999999999999999999999']) {
      assertProblem(await admin.get(`/api/v1/places/${id}`), 404);
    }
  });

  test('a path segment is percent-decoded once, not twice', async () => {
    // %2531 is the three characters "%31", which is not an id.
    assertProblem(await admin.get('/api/v1/places/%2531'), 404);
    assert.equal((await admin.get('/api/v1/places/%31')).data.id, 1);
  });

  test('headers over 32 KiB are refused (431) and the server keeps answering', async () => {
    const r = await anon.get('/healthz', { headers: { 'X-Big': 'a'.repeat(40 * 1024) } });
    assert.equal(r.status, 431);
    assert.equal((await anon.get('/healthz')).status, 200);
  });

  test('a missing record is a 404 problem naming it', async () => {
    assertProblem(await admin.get('/api/v1/places/99999'), 404, { detail: '99999' });
  });

  test('a wrong method is 405 with an Allow header', async () => {
    let r = await anon.req('DELETE', '/healthz');
    assertProblem(r, 405);
    assert.equal(r.headers.get('allow'), 'GET');

    r = await anon.req('PATCH', '/api/v1/places');
    assertProblem(r, 405);
    const allow = r.headers.get('allow').split(/,\s*/).sort();
    assert.deepEqual(allow, ['GET', 'POST']);

    r = await anon.req('POST', '/api/v1/places/1');
    assertProblem(r, 405);
    assert.deepEqual(r.headers.get('allow').split(/,\s*/).sort(), ['DELETE', 'GET', 'PATCH', 'PUT']);
  });

  test('the API without credentials is a 401 problem', async () => {
    assertProblem(await anon.get('/api/v1/places'), 401);
    assertProblem(await anon.get('/api/v1/system'), 401);
  });
});

describe('headers', () => {
  test('security headers are on successes and errors alike', async () => {
    for (const r of [
      await anon.get('/healthz'),
      await anon.get('/api/v1/no-such-thing'),
      await anon.get('/api/v1/places'),
      await admin.get('/api/v1/places'),
      await anon.req('DELETE', '/healthz'),
    ]) assertSecurityHeaders(r);
  });

  test('API answers are not cached', async () => {
    const r = await admin.get('/api/v1/places');
    assert.equal(r.headers.get('cache-control'), 'no-store');
  });
});

describe('OpenAPI', () => {
  test('/api/v1/openapi.json is a 3.1 OpenAPI document, public', async () => {
    const r = await anon.get('/api/v1/openapi.json');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /json/);
    assert.equal(typeof r.data.openapi, 'string');
    assert.ok(r.data.openapi.startsWith('3.1'), r.data.openapi);
    assert.equal(typeof r.data.info, 'object');
    assert.equal(typeof r.data.paths, 'object');
    assertSecurityHeaders(r);
  });

  test('it honours If-None-Match with 304', async () => {
    const r = await anon.get('/api/v1/openapi.json');
    const etag = r.headers.get('etag');
    assert.ok(etag, 'no ETag');
    const again = await anon.get('/api/v1/openapi.json', { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
  });
});
