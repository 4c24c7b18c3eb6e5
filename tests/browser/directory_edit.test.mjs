// Browser test of managing the directory: a provider adds a service and
// changes a published one through the editor (sent for approval, not yet
// public), a place lead approves in the queue and it goes live, the
// version page shows the diff; with JavaScript off, the editor's error
// summary and a rejection without a note, then with one.
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

// The public Open Referral document of a service: { status, name }.
async function publicService(id) {
  const r = await fetch(`${server.url}/openreferral/services/${encodeURIComponent(id)}`);
  return { status: r.status, name: r.status === 200 ? (await r.json()).name : null };
}

const serviceId = (page) => decodeURIComponent(new URL(page.url()).pathname.split('/')[4]);

test('a provider adds a service and changes one; a place lead approves in the queue', { timeout: 120000 }, async () => {
  const stamp = Date.now();
  const provider = await signedIn('provider');
  await provider.goto(server.url + '/directory/manage');
  assert.equal(await provider.getByRole('heading', { level: 1 }).innerText(), 'Manage directory services');
  await provider.getByRole('link', { name: 'Add a service' }).click();
  await provider.waitForLoadState('load');
  assert.equal(new URL(provider.url()).pathname, '/directory/manage/new');

  // A new service with a location, a session and two kinds.
  const name = `Browser Singers ${stamp}`;
  await provider.getByLabel('Organisation', { exact: true }).selectOption({ index: 1 });
  await provider.getByLabel('Name', { exact: true }).fill(name);
  await provider.getByLabel(/^Description/).fill('Sing with us on Tuesdays.');
  await provider.getByLabel('Name of the venue').fill('Browser Hall');
  await provider.getByLabel('Address', { exact: true }).fill('2 Test Street');
  await provider.getByLabel('Postcode').fill('RV1 1AA');
  await provider.getByLabel('Latitude').fill('53.79');
  await provider.getByLabel('Longitude').fill('-1.75');
  await provider.getByLabel('Day').selectOption('TU');
  await provider.getByLabel('Starts at').fill('10:00');
  await provider.getByLabel('Ends at').fill('11:30');
  await provider.getByLabel('Singing', { exact: true }).check();
  await provider.getByLabel('Loneliness and isolation').check();
  assert.equal(await postStatus(provider, () => provider.getByRole('button', { name: 'Send for approval' }).click()), 303);
  assert.match(new URL(provider.url()).pathname, /^\/directory\/manage\/services\/[0-9a-f-]{36}$/);
  const newId = serviceId(provider);
  const main = provider.locator('main');
  assert.match(await main.innerText(), /sent for approval/);
  assert.match(await main.innerText(), /Not yet approved/);
  assert.match(await main.innerText(), /Tuesdays 10:00.11:30/);
  assert.match(await main.innerText(), /Browser Hall/);
  assert.equal((await publicService(newId)).status, 404);

  // Change the choir's published service: the change waits, the public one is unchanged.
  await provider.goto(server.url + '/directory/manage');
  const published = provider.locator('tbody tr', { hasText: 'Published' }).first();
  await published.getByRole('link').click();
  await provider.waitForLoadState('load');
  const liveId = serviceId(provider);
  const liveName = (await publicService(liveId)).name;
  assert.ok(liveName, 'the service is public');
  await provider.getByRole('link', { name: 'Change', exact: true }).click();
  await provider.waitForLoadState('load');
  const renamed = `${liveName} (renamed ${stamp})`;
  await provider.getByLabel('Name', { exact: true }).fill(renamed);
  assert.equal(await postStatus(provider, () => provider.getByRole('button', { name: 'Send for approval' }).click()), 303);
  assert.match(await provider.locator('main').innerText(), /Change waiting/);
  assert.equal((await publicService(liveId)).name, liveName);
  await provider.context().close();

  // The place lead approves both in the queue.
  const lead = await signedIn('place_lead');
  await lead.goto(server.url + '/directory/manage/approvals');
  assert.equal(await lead.getByRole('heading', { level: 1 }).innerText(), 'Changes waiting for approval');
  for (const title of [name, liveName]) {
    const card = lead.locator('.nhsuk-card', { has: lead.getByRole('heading', { name: title, exact: true }) });
    assert.equal(await card.count(), 1, `${title} is in the queue`);
    assert.equal(await postStatus(lead, () => card.getByRole('button', { name: 'Approve' }).click()), 303);
    assert.match(await lead.locator('main').innerText(), /Approved/);
    await lead.goto(server.url + '/directory/manage/approvals');
  }
  assert.equal((await publicService(newId)).name, name);
  assert.equal((await publicService(liveId)).name, renamed);

  // The history shows who changed what, and the diff of the rename.
  await lead.goto(`${server.url}/directory/manage/services/${encodeURIComponent(liveId)}`);
  const history = lead.locator('table', { hasText: 'Version' });
  assert.match(await history.innerText(), /provider@demo\.chis\.example\.org/);
  await history.getByRole('link').first().click();
  await lead.waitForLoadState('load');
  const diff = lead.locator('table.chis-diff');
  const nameRow = diff.locator('tr', { hasText: renamed });
  assert.equal(await nameRow.count(), 1);
  assert.ok((await nameRow.innerText()).includes(liveName));
  // Saving the form changed only what was typed (and what the demo's waiting change held):
  // the locations, sessions, costs and kinds it carried through are not in the diff.
  const paths = await diff.locator('tbody tr td:first-child').allInnerTexts();
  assert.deepEqual(paths.filter((p) => !['name', 'description', 'minimum_age'].includes(p)), []);
  await lead.context().close();
});

test('with JavaScript off: the editor\'s error summary, and rejecting needs a note', { timeout: 120000 }, async () => {
  const provider = await signedIn('provider', { js: false });
  // Adding the organisation's directory entry: a name is needed; then the editor offers it.
  await provider.goto(server.url + '/directory/manage/organizations/new');
  assert.equal(await postStatus(provider, () => provider.getByRole('button', { name: 'Add the organisation' }).click()), 422);
  assert.ok(await provider.locator('.nhsuk-error-summary a[href="#field-name"]').isVisible());
  const orgName = `No-JS Choir Friends ${Date.now()}`;
  await provider.getByLabel('Name', { exact: true }).fill(orgName);
  assert.equal(await postStatus(provider, () => provider.getByRole('button', { name: 'Add the organisation' }).click()), 303);
  assert.equal(new URL(provider.url()).pathname, '/directory/manage/new');
  const chosen = provider.getByLabel('Organisation', { exact: true }).locator('option:checked');
  assert.equal(await chosen.innerText(), orgName);
  await provider.goto(server.url + '/directory/manage/new');
  await provider.getByLabel('Organisation', { exact: true }).selectOption({ index: 1 });
  await provider.getByLabel('Youngest age').fill('old enough');
  await provider.getByLabel('Starts at').fill('teatime');
  await provider.getByLabel('Day').selectOption('FR');
  assert.equal(await postStatus(provider, () => provider.getByRole('button', { name: 'Send for approval' }).click()), 422);
  const summary = provider.locator('.nhsuk-error-summary');
  for (const f of ['name', 'minimum_age', 'sch-0-opens_at'])
    assert.equal(await summary.locator(`a[href="#field-${f}"]`).count(), 1, `the summary links to ${f}`);
  assert.ok(await provider.locator('#field-sch-0-opens_at-error').isVisible());
  assert.equal(await provider.getByLabel('Youngest age').inputValue(), 'old enough');
  // Fixed, it is sent.
  const name = `No-JS Makers ${Date.now()}`;
  await provider.getByLabel('Name', { exact: true }).fill(name);
  await provider.getByLabel('Youngest age').fill('');
  await provider.locator('#field-sch-0-opens_at').fill('6pm');
  assert.equal(await postStatus(provider, () => provider.getByRole('button', { name: 'Send for approval' }).click()), 303);
  const id = serviceId(provider);
  assert.match(await provider.locator('main').innerText(), /Fridays 18:00/);
  await provider.context().close();

  // The lead rejects it from its version page: without a note 422, then with one.
  const lead = await signedIn('system_lead', { js: false });
  await lead.goto(`${server.url}/directory/manage/services/${encodeURIComponent(id)}/versions/1`);
  assert.equal(await postStatus(lead, () => lead.getByRole('button', { name: 'Reject' }).click()), 422);
  assert.ok(await lead.locator('.nhsuk-error-summary a[href="#field-note"]').isVisible());
  await lead.getByLabel(/Why reject it/).fill('Please add where it happens.');
  assert.equal(await postStatus(lead, () => lead.getByRole('button', { name: 'Reject' }).click()), 303);
  assert.match(await lead.locator('main').innerText(), /rejected/);
  await lead.goto(`${server.url}/directory/manage/services/${encodeURIComponent(id)}/versions/1`);
  assert.match(await lead.locator('main').innerText(), /Please add where it happens\./);
  assert.equal((await publicService(id)).status, 404);
  await lead.context().close();
});
