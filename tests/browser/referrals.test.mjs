// Browser test of the social prescribing pathway: a link worker adds a
// person, finds the choir's service in the directory search and sends a
// referral; the choir's provider accepts it from the incoming list, starts
// it, records attendance and SWEMWBS at the start and the end, and
// completes it; the link worker reads the feedback; a provider of another
// organisation gets 404. Then, with JavaScript off, from the directory's
// "Refer someone" button: the person form's error summary, a draft that is
// sent from its page, and a decline that needs a reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client } from '../lib/server.mjs';
import { launchBrowser, postStatus, signedIn as signInAs } from '../lib/browser.mjs';

let server, browser, serviceId;

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
  // A provider of another organisation, signed in like the demo's users.
  const admin = new Client(server.url);
  await admin.signIn(server.logins.admin.email, server.logins.admin.password);
  const place = await admin.post('/api/v1/places', { name: `Elsewhere ${Date.now()}` });
  const org = await admin.post('/api/v1/organisations', { name: `Other Arts ${Date.now()}`, sector: 'vcse', place_ids: [place.data.id] });
  assert.equal(org.status, 201, org.text);
  const email = `other.provider.${Date.now()}@example.org`;
  const u = await admin.post('/api/v1/users', { email, name: 'Olu Other', role: 'provider', organisation_id: org.data.id, password: 'a long enough password' });
  assert.equal(u.status, 201, u.text);
  server.logins.other_provider = { email, password: 'a long enough password' };
  const found = await (await fetch(`${server.url}/openreferral/services?search=Northgate%20Community%20Choir`)).json();
  serviceId = found.contents.find((s) => s.name === 'Northgate Community Choir').id;
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

function signedIn(role, opts) {
  return signInAs(browser, server, role, opts);
}

const main = (page) => page.locator('main').innerText();

// Answer every item of a questionnaire form with the option at index k (1-based).
async function answerAll(page, measure, items, k) {
  for (let i = 1; i <= items; i++) {
    const id = k === 1 ? `#field-${measure}_${i}` : `#field-${measure}_${i}-${k}`;
    await page.locator(id).check();
  }
}

test('refer, accept, attend, measure, complete, feed back; another provider gets 404', { timeout: 180000 }, async () => {
  const name = `Rosa Browser ${Date.now()}`;
  const lw = await signedIn('link_worker');
  await lw.goto(server.url + '/');
  // The navigation offers Referrals (the header script may fold it into "More").
  assert.equal(await lw.locator('.nhsuk-header__navigation a[href="/referrals"]').count(), 1);
  await lw.goto(server.url + '/referrals');
  assert.equal(await lw.getByRole('heading', { level: 1 }).innerText(), 'Referrals');
  await lw.getByRole('link', { name: 'Add a person' }).click();
  await lw.waitForLoadState('load');
  await lw.getByLabel('Full name').fill(name);
  await lw.getByLabel('Day').fill('9');
  await lw.getByLabel('Month').fill('11');
  await lw.getByLabel('Year').fill('1951');
  await lw.getByLabel('Postcode (optional)').fill('RV2 4SN');
  await lw.getByLabel('Ethnic group (optional)').selectOption('white_british');
  await lw.getByLabel('Share their referral with the provider').check();
  await lw.getByLabel('Send outcomes back to the referrer').check();
  await lw.getByLabel('Verbal').check();
  assert.equal(await postStatus(lw, () => lw.getByRole('button', { name: 'Add the person' }).click()), 303);
  assert.match(new URL(lw.url()).pathname, /^\/participants\/\d+$/);
  assert.match(await main(lw), new RegExp(name));

  // Find the choir through the directory search on the referral page.
  await lw.getByRole('link', { name: `Refer ${name}` }).click();
  await lw.waitForLoadState('load');
  await lw.getByLabel('Find a service in the directory').fill('Northgate Community Choir');
  await lw.getByRole('button', { name: 'Search the directory' }).click();
  await lw.waitForLoadState('load');
  await lw.getByRole('link', { name: 'Choose Northgate Community Choir', exact: true }).click();
  await lw.waitForLoadState('load');
  await lw.getByLabel('Loneliness and isolation').check();
  await lw.getByLabel('Notes for the provider (optional)').fill('Used to sing in a choir.');
  assert.equal(await postStatus(lw, () => lw.getByRole('button', { name: 'Send referral' }).click()), 303);
  const path = new URL(lw.url()).pathname;
  assert.match(path, /^\/referrals\/\d+$/);
  const id = path.split('/').pop();
  assert.match(await main(lw), /Status\s+Sent/);
  assert.match(await main(lw), /871731000000106/);

  // The choir's provider takes it on.
  const pv = await signedIn('provider');
  await pv.goto(server.url + '/referrals/incoming');
  const row = pv.locator('tbody tr', { hasText: name });
  assert.equal(await row.count(), 1);
  assert.equal(await postStatus(pv, () => row.getByRole('button', { name: `Accept referral #${id}` }).click()), 303);
  assert.match(await main(pv), /Status\s+Accepted/);
  assert.equal(await postStatus(pv, () => pv.getByRole('button', { name: 'Mark as started' }).click()), 303);
  assert.match(await main(pv), /Status\s+Started/);
  // A session today (the form's default date), attended.
  assert.equal(await postStatus(pv, () => pv.getByRole('button', { name: 'Record attendance' }).click()), 303);
  assert.match(await main(pv), /Came to 1 of 1 sessions/);
  // SWEMWBS at the start: "Often" to every item (raw 28).
  await pv.getByText('Record SWEMWBS').click();
  await pv.locator('#field-swemwbs_stage').check();
  await answerAll(pv, 'swemwbs', 7, 4);
  assert.equal(await postStatus(pv, () => pv.getByRole('button', { name: 'Save SWEMWBS' }).click()), 303);
  assert.match(await main(pv), /Metric score 25\.03 \(raw 28 of 35\)/);
  // And at the end: "All of the time" (raw 35).
  await pv.getByText('Record SWEMWBS').click();
  await pv.locator('#field-swemwbs_stage-3').check();
  await answerAll(pv, 'swemwbs', 7, 5);
  assert.equal(await postStatus(pv, () => pv.getByRole('button', { name: 'Save SWEMWBS' }).click()), 303);
  assert.match(await main(pv), /25\.03 to 35\.00, \+9\.97/);
  assert.match(await main(pv), /Meaningful improvement/);
  assert.equal(await postStatus(pv, () => pv.getByRole('button', { name: 'Mark as completed' }).click()), 303);
  assert.match(await main(pv), /Status\s+Completed/);
  await pv.context().close();

  // The link worker reads the feedback.
  await lw.goto(`${server.url}/referrals/${id}`);
  await lw.getByRole('link', { name: 'Feedback to the referrer' }).click();
  await lw.waitForLoadState('load');
  const fb = await main(lw);
  assert.match(fb, /Completed/);
  assert.match(fb, /Came to 1 of 1 sessions/);
  assert.match(fb, /25\.03 to 35\.00/);
  assert.match(fb, /Meaningful change/);
  await lw.context().close();

  // A provider of another organisation: 404, nothing of the person shown.
  const other = await signedIn('other_provider');
  const resp = await other.goto(`${server.url}/referrals/${id}`);
  assert.equal(resp.status(), 404);
  assert.ok(!(await other.content()).includes(name));
  const incoming = await other.goto(`${server.url}/referrals/incoming`);
  assert.equal(incoming.status(), 200);
  assert.ok(!(await other.content()).includes(name));
  await other.context().close();
});

test('with JavaScript off: refer from the directory, a draft sent later, a decline needs a reason', { timeout: 180000 }, async () => {
  const lw = await signedIn('link_worker', { js: false });
  await lw.goto(`${server.url}/directory/services/${encodeURIComponent(serviceId)}`);
  await lw.getByRole('link', { name: 'Refer someone to this service' }).click();
  await lw.waitForLoadState('load');
  assert.equal(new URL(lw.url()).searchParams.get('service_id'), serviceId);
  await lw.getByRole('link', { name: 'Add a new person' }).click();
  await lw.waitForLoadState('load');
  // Nothing filled in: the error summary links to the fields.
  assert.equal(await postStatus(lw, () => lw.getByRole('button', { name: 'Add the person' }).click()), 422);
  const summary = lw.locator('.nhsuk-error-summary');
  for (const f of ['name', 'date_of_birth'])
    assert.equal(await summary.locator(`a[href="#field-${f}"]`).count(), 1, `the summary links to ${f}`);
  const name = `Noor NoScript ${Date.now()}`;
  await lw.getByLabel('Full name').fill(name);
  await lw.getByLabel('Day').fill('1');
  await lw.getByLabel('Month').fill('2');
  await lw.getByLabel('Year').fill('1980');
  assert.equal(await postStatus(lw, () => lw.getByRole('button', { name: 'Add the person' }).click()), 303);
  // Back on the referral form with both chosen.
  const url = new URL(lw.url());
  assert.equal(url.pathname, '/referrals/new');
  assert.equal(url.searchParams.get('service_id'), serviceId);
  assert.match(await main(lw), new RegExp(name));
  await lw.getByLabel('Mental wellbeing').check();
  await lw.getByLabel('Urgent').check();
  assert.equal(await postStatus(lw, () => lw.getByRole('button', { name: 'Save as draft' }).click()), 303);
  assert.match(await main(lw), /Status\s+Draft/);
  assert.match(await main(lw), /Urgency\s+Urgent/);
  const id = new URL(lw.url()).pathname.split('/').pop();
  assert.equal(await postStatus(lw, () => lw.getByRole('button', { name: 'Send referral' }).click()), 303);
  assert.match(await main(lw), /Status\s+Sent/);
  await lw.context().close();

  const pv = await signedIn('provider', { js: false });
  await pv.goto(`${server.url}/referrals/incoming`);
  await pv.locator('tbody tr', { hasText: name }).getByRole('link', { name: `Decline referral #${id}` }).click();
  await pv.waitForLoadState('load');
  assert.equal(await postStatus(pv, () => pv.getByRole('button', { name: 'Decline referral' }).click()), 422);
  assert.ok(await pv.locator('.nhsuk-error-summary a[href="#field-reason-declined"]').isVisible());
  assert.match(await main(pv), /Status\s+Sent/);
  await pv.getByLabel('Why is it declined?').fill('The group is full until spring.');
  assert.equal(await postStatus(pv, () => pv.getByRole('button', { name: 'Decline referral' }).click()), 303);
  const text = await main(pv);
  assert.match(text, /Status\s+Declined/);
  assert.match(text, /The group is full until spring\./);
  await pv.context().close();
});
