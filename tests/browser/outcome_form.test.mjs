// Browser test of the participant's outcome form (web/pages_outcome_form.c):
// a person with a one-time link, no account, on a phone-sized screen with
// JavaScript switched off, answers SWEMWBS, ONS4 and UCLA-3 with the NHS.UK
// radios; an unanswered question brings the error summary back with the
// answers kept; once sent, the link says it has been used.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { ownPublishedService, referralAt } from '../lib/pathway.mjs';
import { signInRoles } from '../api/helpers.mjs';
import { launchBrowser } from '../lib/browser.mjs';

let server, browser, linkUrl;

// A started referral from the demo link worker to the demo provider, and a
// final-stage link for all three measures; returns the link's address.
async function makeLink() {
  const c = await signInRoles(server, ['link_worker', 'provider']);
  const { serviceId } = await ownPublishedService(c.provider);
  const { id } = await referralAt(c, serviceId, 'started',
    { name: 'Form Person', date_of_birth: '1970-01-02' });
  const l = await c.provider.post(`/api/v1/referrals/${id}/outcome-links`,
    { stage: 'final', measures: ['swemwbs', 'ons4', 'ucla3'] });
  assert.equal(l.status, 201, l.text);
  return { url: server.url + l.data.url, referral: id, provider: c.provider };
}

before(async () => {
  server = await startServer({ demo: true });
  browser = await launchBrowser();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

// Ticks the answer labelled `label` for the question whose legend is `question`.
async function answer(page, question, label) {
  await page.getByRole('group', { name: question, exact: true })
    .getByLabel(label, { exact: true }).check();
}

const SWEMWBS = [
  "I've been feeling optimistic about the future",
  "I've been feeling useful",
  "I've been feeling relaxed",
  "I've been dealing with problems well",
  "I've been thinking clearly",
  "I've been feeling close to other people",
  "I've been able to make up my own mind about things",
];
const ONS4 = [
  'Overall, how satisfied are you with your life nowadays?',
  'Overall, to what extent do you feel that the things you do in your life are worthwhile?',
  'Overall, how happy did you feel yesterday?',
  'On a scale where 0 is not at all anxious and 10 is completely anxious, overall, how anxious did you feel yesterday?',
];
const UCLA3 = [
  'How often do you feel that you lack companionship?',
  'How often do you feel left out?',
  'How often do you feel isolated from others?',
];

test('a person answers the form on a phone with JavaScript off, once', async () => {
  const link = await makeLink();
  const ctx = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 740 } });
  const page = await ctx.newPage();
  const resp = await page.goto(link.url);
  assert.equal(resp.status(), 200);
  assert.equal(await page.locator('h1').textContent(), 'How are you?');
  assert.ok((await page.content()).includes(
    '(c) NHS Health Scotland, University of Warwick and University of Edinburgh, 2008'));
  assert.ok(await page.getByText('Please tick the box that best describes your experience of each over the last 2 weeks').isVisible());
  // Fits the phone: the button is within the screen's width.
  const box = await page.getByRole('button', { name: 'Send my answers' }).boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 375, `button at ${JSON.stringify(box)}`);

  // Everything but the last UCLA question, and some words.
  for (const q of SWEMWBS) await answer(page, q, 'Often');
  for (const q of ONS4.slice(0, 3)) await answer(page, q, '8');
  await answer(page, ONS4[3], '0 (not at all)');
  await answer(page, UCLA3[0], 'Some of the time');
  await answer(page, UCLA3[1], 'Hardly ever or never');
  await page.getByLabel('In your own words (optional)').fill('The choir is the best part of my week.');
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Send my answers' }).click()]);
  assert.ok(await page.getByRole('heading', { name: 'There is a problem' }).isVisible());
  const summary = page.locator('.nhsuk-error-summary__list a');
  assert.equal(await summary.count(), 1);
  assert.match(await summary.textContent(), /How often do you feel isolated from others\?/);
  // Nothing was lost.
  assert.ok(await page.getByRole('group', { name: SWEMWBS[2], exact: true }).getByLabel('Often', { exact: true }).isChecked());
  assert.ok(await page.getByRole('group', { name: ONS4[3], exact: true }).getByLabel('0 (not at all)').isChecked());
  assert.equal(await page.getByLabel('In your own words (optional)').inputValue(),
    'The choir is the best part of my week.');
  const before = (await link.provider.get(`/api/v1/referrals/${link.referral}/outcomes`)).data;
  assert.equal(before.total, 0);

  await answer(page, UCLA3[2], 'Some of the time');
  await Promise.all([page.waitForLoadState(), page.getByRole('button', { name: 'Send my answers' }).click()]);
  assert.equal(await page.locator('h1').textContent(), 'Thank you');

  const after = (await link.provider.get(`/api/v1/referrals/${link.referral}/outcomes`)).data;
  assert.equal(after.total, 3);
  const sw = after.items.find((o) => o.measure === 'swemwbs');
  assert.equal(sw.raw_score, 28);
  assert.equal(sw.via, 'link');
  const stories = (await link.provider.get(`/api/v1/referrals/${link.referral}/stories`)).data;
  assert.equal(stories.items[0].body, 'The choir is the best part of my week.');

  const again = await page.goto(link.url);
  assert.equal(again.status(), 404);
  assert.equal(await page.locator('h1').textContent(), 'This link has already been used.');
  await ctx.close();
});
