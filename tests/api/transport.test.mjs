// The transport's promises: graceful shutdown finishes a request in flight,
// idle connections time out, the connection cap holds, every request is
// logged. Raw sockets, because fetch hides connection behaviour.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../lib/server.mjs';

function connect(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: hostname, port: Number(port) }, () => resolve(s));
    s.on('error', reject);
  });
}

// Everything the socket receives until the peer closes it (or ms pass).
function readAll(sock, ms = 5000) {
  return new Promise((resolve) => {
    let data = '';
    const timer = setTimeout(() => resolve({ data, closed: false }), ms);
    sock.on('data', (d) => { data += d; });
    sock.on('close', () => { clearTimeout(timer); resolve({ data, closed: true }); });
    sock.on('error', () => {});
  });
}

test('SIGTERM lets a request already in flight finish, then the server exits 0', async () => {
  const server = await startServer({ demo: false });
  const sock = await connect(server.url);
  const body = JSON.stringify({ email: 'nobody@example.org', password: 'not the password' });
  const reply = readAll(sock);
  // Headers and half the body: the request is in flight when the signal comes.
  sock.write('POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
             `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n` + body.slice(0, 10));
  await new Promise((r) => setTimeout(r, 200));
  const exited = new Promise((r) => server.proc.on('exit', (code) => r(code)));
  server.proc.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  sock.write(body.slice(10));
  const { data } = await reply;
  assert.match(data, /^HTTP\/1\.1 401 /, `the in-flight request got: ${data.slice(0, 80)}`);
  assert.equal(await exited, 0);
  assert.match(server.log(), /received SIGTERM: finishing requests in flight/);
  assert.match(server.log(), /stopped/);
  await server.stop();
});

test('an idle connection is closed after --timeout seconds', async () => {
  const server = await startServer({ demo: false, args: ['--timeout', '1'] });
  try {
    const sock = await connect(server.url);
    const started = Date.now();
    const { closed } = await readAll(sock, 4000);
    assert.ok(closed, 'the idle connection stayed open');
    const took = Date.now() - started;
    assert.ok(took >= 900 && took < 3500, `closed after ${took} ms`);
  } finally {
    await server.stop();
  }
});

test('connections beyond --max-connections are not served', async () => {
  const server = await startServer({ demo: false, args: ['--max-connections', '2'] });
  try {
    const held = [await connect(server.url), await connect(server.url)];
    await new Promise((r) => setTimeout(r, 100));
    const third = await connect(server.url);
    const reply = readAll(third, 1500);
    third.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const { data } = await reply;
    assert.doesNotMatch(data, /200 OK/, 'a third connection was served');
    held.forEach((s) => s.destroy());
    third.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const r = await fetch(`${server.url}/healthz`);
    assert.equal(r.status, 200, 'served again once connections were freed');
  } finally {
    await server.stop();
  }
});

test('every request gets an access log line: address, method, path, status, size, time', async () => {
  const server = await startServer({ demo: false });
  try {
    await fetch(`${server.url}/healthz`);
    await fetch(`${server.url}/no/such/page`);
    await new Promise((r) => setTimeout(r, 100));
    assert.match(server.log(), /127\.0\.0\.1 GET \/healthz 200 15 [0-9.]+ms -/);
    assert.match(server.log(), /127\.0\.0\.1 GET \/no\/such\/page 404 \d+ [0-9.]+ms -/);
  } finally {
    await server.stop();
  }
});

test('--no-access-log turns the lines off', async () => {
  const server = await startServer({ demo: false, args: ['--no-access-log'] });
  try {
    await fetch(`${server.url}/healthz`);
    await new Promise((r) => setTimeout(r, 100));
    assert.doesNotMatch(server.log(), /GET \/healthz/);
  } finally {
    await server.stop();
  }
});
