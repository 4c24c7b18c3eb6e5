// Browser tests of the public directory pages (web/pages_directory.c): search
// without signing in, a service's page, nearest-first by postcode with the
// distances shown, a bad postcode's error summary, filters, and the same
// with JavaScript switched off. Uses the demo database's directory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, signedIn } from '../lib/browser.mjs';

let server, browser;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// A fresh anonymous page; js: false turns JavaScript off.
async function anonymous({ js = true } = {}) {
  const ctx = await browser.newContext({ javaScriptEnabled: js });
  return ctx.newPage();
}

// Metres from a result's "1.2 km away" or "350 m away".
function metres(text) {
  const m = text.match(/([\d.]+) (km|m) away/);
  assert.ok(m, `no distance in "${text}"`);
  return parseFloat(m[1]) * (m[2] === 'km' ? 1000 : 1);
}

// The total from the results heading ("12 activities found...").
async function total(page) {
  const h = await page.locator('h2#results').textContent();
  const m = h.match(/^([\d,]+) activit/);
  assert.ok(m, `results heading: ${h}`);
  return parseInt(m[1].replace(/,/g, ''), 10);
}

for (const js of [true, false]) {
  test(`anyone can search and open a service (JavaScript ${js ? 'on' : 'off'})`, async () => {
    const page = await anonymous({ js });
    const resp = await page.goto(server.url + '/directory');
    assert.equal(resp.status(), 200);
    assert.equal(await page.locator('h1').textContent(), 'Find a creative health activity');
    await page.getByLabel('What are you looking for?').fill('singing');
    await Promise.all([page.waitForURL(/search=singing/), page.getByRole('button', { name: 'Search' }).click()]);
    const n = await total(page);
    assert.ok(n > 0, 'singing finds something in the demo directory');
    const first = page.locator('.chis-directory-result h2 a').first();
    const name = (await first.textContent()).trim();
    assert.match(name, /sing|choir|song/i, 'the best match is about singing');
    await Promise.all([page.waitForURL(/\/directory\/services\//), first.click()]);
    assert.equal((await page.locator('h1').textContent()).trim(), name);
    assert.ok(await page.getByRole('heading', { name: 'Where and when' }).isVisible());
    assert.ok(await page.getByText('Cost', { exact: true }).isVisible());
    await page.context().close();
  });
}

test('near a postcode the results come nearest first with distances', async () => {
  const page = await anonymous();
  // Take a real postcode from a service's address.
  await page.goto(server.url + '/directory?search=garden');
  await page.locator('.chis-directory-result h2 a').first().click();
  const address = await page.locator('.nhsuk-card__content p').first().innerText();
  const postcode = address.trim().split('\n').pop().trim();
  assert.match(postcode, /^[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}$/, `a postcode: ${postcode}`);

  await page.goto(server.url + '/directory');
  await page.getByLabel('Postcode').fill(postcode.toLowerCase().replace(' ', ''));
  await page.getByLabel('Distance').selectOption('25000');
  await Promise.all([page.waitForURL(/postcode=/), page.getByRole('button', { name: 'Search' }).click()]);
  const heading = await page.locator('h2#results').textContent();
  assert.ok(heading.includes(postcode), `heading names ${postcode}: ${heading}`);
  const lines = await page.locator('.chis-directory-result p.nhsuk-body-s').allTextContents();
  const distances = lines.filter((l) => / away/.test(l)).map(metres);
  assert.ok(distances.length > 1);
  assert.ok(distances[0] < 100, `the service at ${postcode} comes first (${distances[0]} m)`);
  for (let i = 1; i < distances.length; i++) assert.ok(distances[i] >= distances[i - 1], 'ascending');
  assert.ok(distances.every((d) => d <= 25000), 'within the distance asked');
  await page.context().close();
});

test('a malformed postcode is a 400 with an error summary linking to the field', async () => {
  const page = await anonymous();
  const resp = await page.goto(server.url + '/directory?postcode=not+a+postcode');
  assert.equal(resp.status(), 400);
  const summary = page.locator('.nhsuk-error-summary');
  assert.ok(await summary.isVisible());
  assert.equal(await summary.locator('a').first().getAttribute('href'), '#field-postcode');
});

test('filters narrow the results and are kept in the form', async () => {
  const page = await anonymous();
  await page.goto(server.url + '/directory');
  const all = await total(page);
  await page.goto(server.url + '/directory?free_only=true');
  const free = await total(page);
  assert.ok(free > 0 && free <= all, `free ${free} of ${all}`);
  const resp = await page.goto(server.url + '/directory?day=MO&free_only=true');
  assert.equal(resp.status(), 200);
  assert.equal(await page.getByLabel('Day').inputValue(), 'MO');
  assert.ok(await page.getByLabel('Free of charge only').isChecked());
  assert.ok(await total(page) <= free, 'Monday and free is no more than free');
});

test('an unknown or unpublished service is a 404 page', async () => {
  const page = await anonymous();
  const resp = await page.goto(server.url + '/directory/services/no-such-service');
  assert.equal(resp.status(), 404);
});

test('signed-in users have Directory in the navigation', async () => {
  const page = await signedIn(browser, server, 'link_worker');
  // The menu folds items into "More" on narrow screens: look for the link itself.
  assert.equal(await page.locator('.nhsuk-header__navigation-list a[href="/directory"]').count(), 1);
  await page.goto(server.url + '/directory');
  assert.equal(await page.locator('h1').textContent(), 'Find a creative health activity');
  await page.context().close();
});
