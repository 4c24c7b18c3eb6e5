// Fixes from the security review, checked over HTTP against the real binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { startServer, Client } from '../lib/server.mjs';

let server;
let admin;
before(async () => {
  server = await startServer();
  admin = new Client(server.url);
  await admin.signIn(server.logins.admin.email, server.logins.admin.password);
});
after(async () => { await server?.stop(); });

test('an encoded & in a filter value cannot stand for another query in the list cache', async () => {
  const tricky = await admin.get('/api/v1/organisations?q=river%26sector%3Dnhs');
  assert.equal(tricky.status, 200);
  assert.equal(tricky.data.total, 0);
  const real = await admin.get('/api/v1/organisations?q=river&sector=nhs');
  assert.equal(real.status, 200);
  const direct = (await admin.get('/api/v1/organisations?sector=nhs&per_page=100')).data.items
    .filter((o) => /river/i.test([o.name, o.ods_code, o.charity_number, o.company_number, o.postcode].join(' ')));
  assert.equal(real.data.total, direct.length);
  assert.ok(direct.length > 0, 'the demo has NHS organisations matching "river"');
  // An invalid sector hidden in another value is still refused, never served from cache.
  const bad = await admin.get('/api/v1/organisations?sector=nhs%26q%3Driver');
  assert.equal(bad.status, 400);
});

test('the list cache never outlives a write', async () => {
  const before1 = (await admin.get('/api/v1/places?per_page=100')).data.total;
  await admin.get('/api/v1/places?per_page=100'); // now cached
  const created = await admin.post('/api/v1/places', { name: `Cache Check ${Date.now()}` });
  assert.equal(created.status, 201);
  assert.equal((await admin.get('/api/v1/places?per_page=100')).data.total, before1 + 1);
});

test('invalid UTF-8 from a web form is refused and nothing changes', async () => {
  const org = (await admin.get('/api/v1/organisations?per_page=1')).data.items[0];
  const body = `csrf=${encodeURIComponent(admin.csrf)}&name=Choir%FF&sector=${org.sector}`;
  const r = await admin.req('POST', `/organisations/${org.id}/edit`, {
    body, headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 422);
  const after1 = await admin.get(`/api/v1/organisations/${org.id}`);
  assert.equal(after1.data.name, org.name);
  const list = await admin.get('/api/v1/organisations?per_page=100');
  assert.equal(list.status, 200); // still valid JSON
});

test('the database file is private to the user running chis', () => {
  const mode = statSync(server.db).mode & 0o777;
  assert.equal(mode & 0o077, 0, `mode was ${mode.toString(8)}`);
});

test('behind --trust-proxy, failed sign-ins count against the forwarded address', async () => {
  const proxied = await startServer({ args: ['--trust-proxy'] });
  try {
    const attempt = (xff, password = 'wrong password!') => fetch(`${proxied.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': xff },
      body: JSON.stringify({ email: `nobody${Math.random()}@example.org`, password }),
    });
    for (let i = 0; i < 30; i++) assert.equal((await attempt('203.0.113.7')).status, 401);
    assert.equal((await attempt('203.0.113.7')).status, 429);
    // Another client behind the same proxy is not locked out.
    const other = await fetch(`${proxied.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': 'spoofed, 198.51.100.2' },
      body: JSON.stringify(proxied.logins.viewer),
    });
    assert.equal(other.status, 201);
  } finally {
    await proxied.stop();
  }
});
