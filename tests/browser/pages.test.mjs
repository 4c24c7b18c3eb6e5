// Browser tests of the generic record pages and the audit log: status codes,
// forms shown again after a failure, refusals, and the pages with
// JavaScript switched off. Starts its own server with the demo database
// ($CHIS_BIN, default build/chis), because it signs in as several roles.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launchBrowser, postStatus, signedIn as signInAs } from '../lib/browser.mjs';

let server, browser;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// A new page signed in as the demo user with this role. js: false turns JavaScript off.
function signedIn(role, opts) {
  return signInAs(browser, server, role, opts);
}

test('a wrong password is 401 with an error summary, and never echoed', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + '/sign-in?next=%2Fplaces');
  await page.getByLabel('Email address').fill(server.logins.viewer.email);
  await page.getByLabel('Password').fill('not-the-password-123');
  const status = await postStatus(page, () => page.getByRole('button', { name: 'Sign in' }).click());
  assert.equal(status, 401);
  assert.ok(await page.locator('.nhsuk-error-summary a[href="#field-email"]').isVisible());
  assert.equal(await page.getByLabel('Password').inputValue(), '');
  assert.ok(!(await page.content()).includes('not-the-password-123'));
  assert.equal(await page.getByLabel('Email address').inputValue(), server.logins.viewer.email);
  // The next page survives the failure.
  assert.equal(await page.locator('input[name="next"]').inputValue(), '/places');
  await page.close();
});

test('an invalid neighbourhood is 422 and keeps what was entered', async () => {
  const page = await signedIn('admin');
  await page.goto(server.url + '/neighbourhoods/new');
  await page.getByLabel(/^Name/).fill('Half-made PCN');
  await page.getByLabel(/^Population/).fill('lots');
  const status = await postStatus(page, () => page.getByRole('button', { name: 'Add neighbourhood' }).click());
  assert.equal(status, 422);
  const summary = page.locator('.nhsuk-error-summary');
  for (const f of ['place_id', 'population', 'imd_decile'])
    assert.equal(await summary.locator(`a[href="#field-${f}"]`).count(), 1, `summary links to ${f}`);
  // The place is still a choice of places, not a bare number.
  assert.equal(await page.locator('select#field-place_id').count(), 1);
  assert.ok(await page.locator('select#field-place_id option').count() > 1);
  assert.equal(await page.getByLabel(/^Name/).inputValue(), 'Half-made PCN');
  assert.equal(await page.getByLabel(/^Population/).inputValue(), 'lots');
  assert.ok(await page.locator('#field-population-error').isVisible());
  await page.context().close();
});

test('change a place, see it in the audit log, and a referenced place cannot be deleted', async () => {
  const page = await signedIn('admin');
  await page.goto(server.url + '/places/1');
  const name = await page.locator('.nhsuk-summary-list__row', { hasText: 'Name' }).locator('dd').first().innerText();
  await page.getByRole('link', { name: 'Change place' }).click();
  await page.getByLabel(/^Description/).fill('Changed by the browser test');
  assert.equal(await postStatus(page, () => page.getByRole('button', { name: 'Save changes' }).click()), 303);
  assert.equal(new URL(page.url()).pathname, '/places/1');
  assert.ok((await page.locator('main').innerText()).includes('Changed by the browser test'));

  assert.equal(await postStatus(page, () => page.getByRole('button', { name: 'Delete place' }).click()), 409);
  assert.match(await page.locator('main').innerText(), /cannot be deleted because .*neighbourhoods/);
  assert.ok(await page.getByRole('link', { name: 'Back to the place' }).isVisible());

  const audit = await page.goto(server.url + '/audit?entity=places&entity_id=1&action=update');
  assert.equal(audit.status(), 200);
  const row = page.locator('tbody tr').first();
  assert.ok((await row.innerText()).includes('description'), 'the changed field is named');
  assert.ok((await row.innerText()).includes(server.logins.admin.email));
  const csv = page.getByRole('link', { name: 'Download as CSV' });
  assert.match(await csv.getAttribute('href'), /^\/api\/v1\/audit\?format=csv&entity=places&entity_id=1&action=update/);
  assert.equal((await page.goto(server.url + '/audit?since=yesterday')).status(), 400);
  assert.ok(await page.locator('.nhsuk-error-summary a[href="#field-since"]').isVisible());
  assert.ok(name.length > 0);
  await page.context().close();
});

test('a viewer reads but is offered no changes, and is refused them', async () => {
  const page = await signedIn('viewer');
  await page.goto(server.url + '/places/1');
  assert.equal(await page.getByRole('link', { name: /^Change/ }).count(), 0);
  assert.equal(await page.getByRole('button', { name: /^Delete/ }).count(), 0);
  const nav = page.getByRole('navigation', { name: 'Menu' });
  assert.equal(await nav.getByRole('link', { name: 'Users' }).count(), 0);
  assert.equal(await nav.getByRole('link', { name: 'Audit log' }).count(), 0);
  assert.equal((await page.goto(server.url + '/users')).status(), 403);
  assert.equal((await page.goto(server.url + '/audit')).status(), 403);
  assert.equal((await page.goto(server.url + '/places/999999')).status(), 404);
  await page.goto(server.url + '/places/new');
  await page.getByLabel(/^Name/).fill('Not allowed');
  assert.equal(await postStatus(page, () => page.getByRole('button', { name: 'Add place' }).click()), 403);
  await page.context().close();
});

test('with JavaScript off: sign in, add an organisation with places, sign out', async () => {
  const page = await signedIn('admin', { js: false });
  const name = `No-JS Arts Collective ${Date.now()}`;
  await page.goto(server.url + '/organisations/new');
  await page.getByLabel(/^Name/).fill(name);
  await page.getByLabel('Sector').selectOption('vcse');
  const places = page.locator('input[name="place_ids"]');
  assert.ok(await places.count() >= 2);
  await places.nth(0).check();
  await places.nth(1).check();
  assert.equal(await postStatus(page, () => page.getByRole('button', { name: 'Add organisation' }).click()), 303);
  assert.match(new URL(page.url()).pathname, /^\/organisations\/\d+$/);
  const placesRow = page.locator('.nhsuk-summary-list__row', { hasText: 'Places' });
  assert.equal(await placesRow.locator('.nhsuk-summary-list__value a').count(), 2, 'both places are linked');
  assert.equal(await postStatus(page, () => page.getByRole('button', { name: 'Sign out' }).click()), 303);
  assert.equal(new URL(page.url()).pathname, '/sign-in');
  await page.context().close();
});
