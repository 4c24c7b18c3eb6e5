// Browser test: sign in, add a place through the web pages, see the error
// summary for an empty form, and check that a name holding markup is shown
// as text. Drives Chromium with playwright-core.
//
// The server comes from the environment (CHIS_URL, CHIS_EMAIL,
// CHIS_PASSWORD); without CHIS_URL the test starts $CHIS_BIN (default
// build/chis) itself on a free port with a fresh demo database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from '../lib/server.mjs';

let server = null; // the one we started, if any
let base, email, password;
let browser, page;
const dialogs = [];
const consoleErrors = []; // { text, url }
const expectedFailures = new Set(); // pages we asked for a 4xx on purpose

// Wait until GET url answers 200, for up to ms milliseconds.
async function waitHealthy(url, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url + '/healthz');
      if (r.status === 200) return;
    } catch { /* not listening yet */ }
    if (Date.now() > end) throw new Error(`${url}/healthz did not answer 200`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Run action (a click that submits a form) and return the response of the POST it causes.
async function submit(action, pathEnd) {
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith(pathEnd)),
    action(),
  ]);
  await page.waitForLoadState('load');
  return resp;
}

// Is the element matched by selector the focused one? Polls: the NHS.UK
// script that focuses the error summary runs after the page has loaded.
async function waitFocused(predicate, ms = 5000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await page.evaluate(predicate)) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  if (process.env.CHIS_URL) {
    base = process.env.CHIS_URL.replace(/\/$/, '');
    email = process.env.CHIS_EMAIL;
    password = process.env.CHIS_PASSWORD;
    assert.ok(email && password, 'set CHIS_EMAIL and CHIS_PASSWORD with CHIS_URL');
  } else {
    server = await startServer({ demo: true });
    base = server.url;
    assert.ok(server.logins.admin, 'chis demo printed no admin sign-in');
    ({ email, password } = server.logins.admin);
  }
  await waitHealthy(base);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  page.on('pageerror', (e) => consoleErrors.push({ text: `pageerror: ${e.message}`, url: '' }));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // The NHS.UK stylesheet names its fonts on assets.nhs.uk, which the CSP refuses.
    if (/assets\.nhs\.uk\/fonts|\.woff2?\b/.test(m.text())) return;
    consoleErrors.push({ text: m.text(), url: m.location().url });
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

test('sign in, add a place, errors and escaping', { timeout: 120000 }, async () => {
  const stamp = Date.now();

  // Signed out, the home page sends us to sign in and remembers where we were going.
  await page.goto(base + '/');
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  assert.equal(new URL(page.url()).searchParams.get('next'), '/');
  assert.match(await page.title(), /Sign in – chis/);

  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  const signIn = await submit(() => page.getByRole('button', { name: 'Sign in' }).click(), '/sign-in');
  assert.equal(signIn.status(), 303);
  assert.equal(new URL(page.url()).pathname, '/');
  const h1 = page.getByRole('heading', { level: 1 });
  assert.equal(await h1.count(), 1);
  assert.ok((await h1.innerText()).length > 0);
  assert.ok(await page.getByRole('link', { name: 'Places' }).first().isVisible());

  // Places, then "Add a place".
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Places' }).click();
  await page.waitForLoadState('load');
  assert.equal(new URL(page.url()).pathname, '/places');
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Places');
  await page.getByRole('link', { name: 'Add a place' }).click();
  await page.waitForLoadState('load');
  assert.equal(new URL(page.url()).pathname, '/places/new');

  // An empty name: 422, an error summary that takes focus and links to the field.
  const empty = await submit(() => page.getByRole('button', { name: 'Add place' }).click(), '/places/new');
  assert.equal(empty.status(), 422);
  expectedFailures.add(empty.url()); // Chromium logs the 422 document as a failed load
  const summary = page.locator('.nhsuk-error-summary');
  assert.ok(await summary.isVisible(), 'error summary is visible');
  const link = summary.locator('a[href="#field-name"]');
  assert.equal(await link.count(), 1, 'the summary links to the name field');
  assert.ok(await waitFocused(() => document.activeElement?.classList.contains('nhsuk-error-summary')),
    'the error summary has focus');
  await link.click();
  assert.ok(await waitFocused(() => document.activeElement?.id === 'field-name'),
    'the link moves focus to the name field');
  assert.ok(await page.locator('#field-name-error').isVisible());

  // A real place: 303 to its page, which shows the name.
  const name = `Browser Test Place ${stamp}`;
  await page.getByLabel('Name').fill(name);
  await page.getByLabel(/^Code/).fill('E0' + String(stamp).slice(-7));
  const created = await submit(() => page.getByRole('button', { name: 'Add place' }).click(), '/places/new');
  assert.equal(created.status(), 303);
  assert.match(new URL(page.url()).pathname, /^\/places\/\d+$/);
  assert.ok((await page.getByRole('heading', { level: 1 }).innerText()).includes(name));
  const placeUrl = page.url();

  // Back on the list, searching finds it.
  await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Places' }).click();
  await page.waitForLoadState('load');
  await page.getByLabel('Search').fill(String(stamp));
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForLoadState('load');
  assert.ok(await page.getByRole('link', { name }).isVisible(), 'the new place is listed');

  // A name holding markup is shown as text and never runs.
  const evil = `<script>alert(1)</script> ${stamp}`;
  await page.goto(base + '/places/new');
  await page.getByLabel('Name').fill(evil);
  const made = await submit(() => page.getByRole('button', { name: 'Add place' }).click(), '/places/new');
  assert.equal(made.status(), 303);
  assert.ok((await page.locator('main').innerText()).includes('<script>alert(1)</script>'),
    'the literal text is on the page');
  assert.equal(await page.locator('script', { hasText: 'alert(1)' }).count(), 0, 'no script element made');
  assert.ok((await page.title()).includes('<script>alert(1)</script>'));
  const evilUrl = page.url();
  await page.goto(base + '/places?q=' + encodeURIComponent('<script>'));
  assert.ok(await page.getByRole('link', { name: evil }).isVisible());
  assert.equal(await page.locator('script', { hasText: 'alert(1)' }).count(), 0);
  assert.deepEqual(dialogs, [], 'no dialog opened');

  // Tidy up: delete both places through their pages.
  for (const url of [placeUrl, evilUrl]) {
    await page.goto(url);
    const del = await submit(() => page.getByRole('button', { name: 'Delete place' }).click(), '/delete');
    assert.equal(del.status(), 303);
    assert.equal(new URL(page.url()).pathname, '/places');
  }

  // The home page, for people to look at (not compared).
  await page.goto(base + '/');
  mkdirSync('build', { recursive: true });
  await page.screenshot({ path: 'build/browser-home.png', fullPage: true });

  // Signing out ends the session.
  await submit(() => page.getByRole('button', { name: 'Sign out' }).click(), '/sign-out');
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  await page.goto(base + '/places');
  assert.equal(new URL(page.url()).pathname, '/sign-in');

  assert.deepEqual(dialogs, [], 'no dialog opened');
  const unexpected = consoleErrors.filter((e) =>
    !(/status of 4\d\d/.test(e.text) && expectedFailures.has(e.url))).map((e) => e.text);
  assert.deepEqual(unexpected, [], 'no console errors besides external fonts');
});
