// Debian's Chromium for the browser tests, headless, never downloaded.
import { chromium } from 'playwright-core';

// Launch the browser ($CHROMIUM, default /usr/bin/chromium).
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A new page of a new context signed in as the demo user with this role.
// js: false turns JavaScript off.
export async function signedIn(browser, server, role, { js = true } = {}) {
  const ctx = await browser.newContext({ javaScriptEnabled: js });
  const page = await ctx.newPage();
  const { email, password } = server.logins[role];
  await page.goto(server.url + '/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await Promise.all([page.waitForURL((u) => u.pathname === '/'),
    page.getByRole('button', { name: 'Sign in' }).click()]);
  return page;
}

// Clicks (click() starts it) and returns the status of the POST that sends:
// the response before any redirect.
export async function postStatus(page, click) {
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST'),
    click(),
  ]);
  await page.waitForLoadState('load');
  return resp.status();
}
