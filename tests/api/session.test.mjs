// Signing in and out, cookies, CSRF on sign-out, the sign-in throttle and bearer tokens.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, chis } from '../lib/server.mjs';
import { API, assertProblem, getOk, signInRoles, snapshot, unique } from './helpers.mjs';

let server, admin;

before(async () => {
  server = await startServer();
  ({ admin } = await signInRoles(server, ['admin']));
});
after(async () => { await server?.stop(); });

const login = (role) => server.logins[role];

// POST /api/v1/session with a raw body and content type, no cookies.
function rawSignIn(body, contentType = 'application/json') {
  return new Client(server.url).req('POST', `${API}/session`, {
    body, headers: { 'Content-Type': contentType },
  });
}

// A client that sends only the given cookie (no CSRF header).
function withCookie(cookie) {
  const c = new Client(server.url);
  c.cookie = cookie;
  return c;
}

describe('signing in', () => {
  test('201 with the user and a CSRF token; the cookie is HttpOnly, SameSite=Lax, not Secure', async () => {
    const c = new Client(server.url);
    const r = await c.signIn(login('system_lead').email, login('system_lead').password);
    assert.equal(r.status, 201);
    assert.equal(r.data.user.email, login('system_lead').email);
    assert.equal(r.data.user.role, 'system_lead');
    assert.ok(Number.isInteger(r.data.user.id));
    assert.equal(typeof r.data.csrf_token, 'string');
    assert.ok(r.data.csrf_token.length >= 32);
    assert.match(r.data.expires_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(!('password_hash' in r.data.user));
    const cookie = r.headers.get('set-cookie');
    assert.match(cookie, /^chis_session=[^;]{20,};/);
    assert.match(cookie, /;\s*HttpOnly/i);
    assert.match(cookie, /;\s*SameSite=Lax/i);
    assert.match(cookie, /;\s*Path=\//);
    assert.doesNotMatch(cookie, /Secure/i);
  });

  test('the email address is matched without regard to case', async () => {
    const c = new Client(server.url);
    const r = await c.signIn(login('viewer').email.toUpperCase(), login('viewer').password);
    assert.equal(r.data.user.email, login('viewer').email);
  });

  test('GET /api/v1/session returns the signed-in user and the same CSRF token', async () => {
    const c = new Client(server.url);
    const r = await c.signIn(login('place_lead').email, login('place_lead').password);
    const d = await getOk(c, `${API}/session`);
    assert.deepEqual(d.user, r.data.user);
    assert.equal(d.csrf_token, r.data.csrf_token);
    assert.equal(d.user.role, 'place_lead');
    assert.ok(d.user.place_ids.length > 0);
  });

  test('GET /api/v1/session without a session is 401', async () => {
    assertProblem(await new Client(server.url).get(`${API}/session`), 401);
    assertProblem(await withCookie('chis_session=not-a-real-session').get(`${API}/session`), 401);
  });

  test('a wrong password and an unknown email get the same 401 body', async () => {
    const wrong = await rawSignIn(JSON.stringify({ email: login('viewer').email, password: 'wrong password' }));
    const unknown = await rawSignIn(JSON.stringify({ email: 'nobody@nowhere.example', password: 'wrong password' }));
    const a = assertProblem(wrong, 401);
    const b = assertProblem(unknown, 401);
    assert.deepEqual(a, b);
    assert.equal(wrong.headers.get('set-cookie'), null);
  });

  test('a body that is not application/json is 415', async () => {
    const body = JSON.stringify({ email: login('viewer').email, password: login('viewer').password });
    assertProblem(await rawSignIn(body, 'text/plain'), 415);
    const form = `email=${encodeURIComponent(login('viewer').email)}&password=x`;
    assertProblem(await rawSignIn(form, 'application/x-www-form-urlencoded'), 415);
  });

  test('malformed JSON is 400', async () => {
    assertProblem(await rawSignIn('{"email": "a@b.example", "password": '), 400);
    assertProblem(await rawSignIn('not json'), 400);
    assertProblem(await rawSignIn('[]'), 400);
  });

  test('missing fields are 422 naming email and password', async () => {
    assertProblem(await rawSignIn('{}'), 422, { fields: ['email', 'password'] });
    const onlyEmail = assertProblem(await rawSignIn(JSON.stringify({ email: 'a@b.example' })), 422, { fields: ['password'] });
    assert.ok(!onlyEmail.errors.some((e) => e.field === 'email'));
    assertProblem(await rawSignIn(JSON.stringify({ password: 'x' })), 422, { fields: ['email'] });
    assertProblem(await rawSignIn(JSON.stringify({ email: 5, password: true })), 422, { fields: ['email', 'password'] });
  });
});

describe('the sign-in throttle', () => {
  test('after 5 failures for one account even the right password gets 429 with Retry-After', async () => {
    const { email, password } = login('link_worker');
    for (let i = 0; i < 5; i++) {
      assertProblem(await rawSignIn(JSON.stringify({ email, password: `wrong ${i}` })), 401);
    }
    const r = await rawSignIn(JSON.stringify({ email, password }));
    assertProblem(r, 429);
    const retry = Number(r.headers.get('retry-after'));
    assert.ok(retry > 0, `Retry-After was ${r.headers.get('retry-after')}`);
    assert.equal(r.headers.get('set-cookie'), null);
    // Other accounts are not affected.
    const other = new Client(server.url);
    await other.signIn(login('provider').email, login('provider').password);
  });
});

describe('signing out', () => {
  test('DELETE /api/v1/session without the CSRF header is 403 and the session lives on', async () => {
    const c = new Client(server.url);
    await c.signIn(login('viewer').email, login('viewer').password);
    const r = await withCookie(c.cookie).del(`${API}/session`);
    assertProblem(r, 403);
    assertProblem(await c.del(`${API}/session`, { headers: { 'X-CSRF-Token': 'wrong' } }), 403);
    await getOk(c, `${API}/session`);
  });

  test('DELETE /api/v1/session is 204, clears the cookie, and the old cookie no longer works', async () => {
    const c = new Client(server.url);
    await c.signIn(login('viewer').email, login('viewer').password);
    const cookie = c.cookie;
    await getOk(c, `${API}/places`);
    const r = await c.del(`${API}/session`);
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    assert.match(r.headers.get('set-cookie'), /^chis_session=;.*Max-Age=0/);
    assertProblem(await withCookie(cookie).get(`${API}/places`), 401);
    assertProblem(await withCookie(cookie).get(`${API}/session`), 401);
  });
});

describe('bearer tokens', () => {
  let token;

  before(() => {
    token = chis(['token', 'create', login('system_lead').email, '--name', 'ci', '--db', server.db]).trim();
  });

  function bearer(t) {
    const c = new Client(server.url);
    c.bearer = t;
    return c;
  }

  test('chis token create prints a chis_ token', () => {
    assert.match(token, /^chis_[A-Za-z0-9_-]{40,}$/);
  });

  test('a bearer token reads and, without any CSRF header, writes', async () => {
    const c = bearer(token);
    const s = await getOk(c, `${API}/session`);
    assert.equal(s.user.email, login('system_lead').email);
    assert.ok(!('csrf_token' in s), 'a bearer session has no CSRF token');
    const name = unique('Bearer place');
    const r = await c.post(`${API}/places`, { name });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.data.name, name);
    const audit = await getOk(admin, `${API}/audit?entity=places&entity_id=${r.data.id}`);
    assert.equal(audit.items[0].actor, login('system_lead').email);
  });

  test('a garbage bearer token is 401 with WWW-Authenticate, even with a good cookie', async () => {
    for (const t of ['garbage', 'chis_garbage', `${token}x`, 'chis_' + 'A'.repeat(200)]) {
      const r = await bearer(t).get(`${API}/places`);
      assertProblem(r, 401);
      assert.match(r.headers.get('www-authenticate') || '', /^Bearer/);
    }
    const mixed = new Client(server.url);
    mixed.cookie = admin.cookie;
    mixed.bearer = 'chis_garbage';
    assertProblem(await mixed.get(`${API}/places`), 401);
  });

  test('a refused bearer write changes nothing', async () => {
    const before = await snapshot(admin);
    const r = await bearer('chis_garbage').post(`${API}/places`, { name: unique('Nope') });
    assertProblem(r, 401);
    assert.deepEqual(await snapshot(admin), before);
  });

  test('chis token revoke ends the token: then 401', async () => {
    const list = await getOk(admin, `${API}/audit?entity=api_tokens&action=create`);
    const entry = list.items.find((e) => e.after && e.after.name === 'ci');
    assert.ok(entry, `no audit entry for the token: ${JSON.stringify(list.items)}`);
    const out = chis(['token', 'revoke', String(entry.entity_id), '--db', server.db]);
    assert.match(out, new RegExp(`revoked token ${entry.entity_id}`));
    const r = await bearer(token).get(`${API}/places`);
    assertProblem(r, 401);
    assert.match(r.headers.get('www-authenticate') || '', /^Bearer/);
    const revoked = await getOk(admin, `${API}/audit?entity=api_tokens&action=revoke&entity_id=${entry.entity_id}`);
    assert.equal(revoked.total, 1);
  });
});

describe('behind a TLS proxy', () => {
  let tls;
  before(async () => { tls = await startServer({ args: ['--tls-proxy'] }); });
  after(async () => { await tls?.stop(); });

  test('--tls-proxy marks the session cookie Secure', async () => {
    const c = new Client(tls.url);
    const r = await c.signIn(tls.logins.viewer.email, tls.logins.viewer.password);
    const cookie = r.headers.get('set-cookie');
    assert.match(cookie, /;\s*Secure/);
    assert.match(cookie, /;\s*HttpOnly/i);
    assert.match(cookie, /;\s*SameSite=Lax/i);
    const out = await c.del(`${API}/session`);
    assert.equal(out.status, 204);
    assert.match(out.headers.get('set-cookie'), /;\s*Secure/);
  });
});
