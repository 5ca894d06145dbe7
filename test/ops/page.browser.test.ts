import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type LaunchedChromium } from '../../dev/chromium';
import { SEED_IDS } from '../../dev/emulator';
import { PAGE_TOKEN, startPageStack, XSS_NAME, type PageStack } from './stack';

const ARTIFACTS = resolve(__dirname, '..', '..', 'test-artifacts');

let stack: PageStack;
let chrome: LaunchedChromium;
/** Every console message of level error or warning, and every uncaught page error, of the current test. */
const consoleMessages: string[] = [];
/** Messages the current test provokes on purpose (a deliberate 401 logs a failed load); anything else fails it. */
let expectedConsole: RegExp[] = [];
const dialogs: string[] = [];

/** A fresh signed-out tab whose console is watched (see `afterEach`). */
async function newPage(width: number, height: number): Promise<Page> {
  // One context (a persistent profile): each test starts signed out.
  await chrome.context.clearCookies();
  const page = await chrome.context.newPage();
  await page.setViewportSize({ width, height });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleMessages.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleMessages.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  return page;
}

async function signIn(page: Page): Promise<void> {
  await page.goto(stack.pageUrl);
  await page.getByLabel('Token').fill(PAGE_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('h2:has-text("Silences")');
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  stack = await startPageStack();
  chrome = await launchChromium();
}, 60_000);

afterEach(() => {
  const unexpected = consoleMessages.filter((m) => !expectedConsole.some((r) => r.test(m)));
  consoleMessages.length = 0;
  expectedConsole = [];
  expect(unexpected).toEqual([]);
  expect(dialogs).toEqual([]);
});

afterAll(async () => {
  await chrome?.close();
  await stack?.close();
});

describe('the fleet page in headless Chromium', () => {
  it('shows only a sign-in form without a session, and refuses a wrong token', async () => {
    const page = await newPage(1280, 900);
    expectedConsole = [/^error: Failed to load resource: the server responded with a status of 401/];
    await page.goto(stack.pageUrl);
    expect(await page.locator('main form').count()).toBe(1);
    expect(await page.locator('main').textContent()).not.toContain('kafka-orders');
    await page.getByLabel('Token').fill('not-the-token-0123456789');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('[role=alert]').textContent()).toContain('not valid');
    expect(page.url()).not.toContain(PAGE_TOKEN);
    await page.close();
  });

  it('signs in and shows the seed: a running task, a recent failure, a dead notification, a silence', async () => {
    const page = await newPage(1280, 900);
    await signIn(page);
    expect(page.url()).toBe(stack.pageUrl);
    expect(page.url()).not.toContain(PAGE_TOKEN);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'dtf_ops_session');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    expect(session?.value).not.toContain(PAGE_TOKEN);

    const orders = page.locator('article', { has: page.locator('h3', { hasText: 'kafka-orders' }) });
    await expect.poll(() => orders.textContent()).toContain('restartInstance');
    expect(await orders.textContent()).toMatch(/EXECUTING for 1\d min/);
    expect(await orders.textContent()).toContain('modifyInstanceSpec');
    // Two FAILED and one DELETED (a failure status by default) within 24 h.
    expect(await orders.textContent()).toMatch(/3 in 24 h/);
    // Slack answers 410: its notifications of the two recent failures are dead.
    expect(await orders.textContent()).toMatch(/[1-9]\d* dead/);
    const billing = page.locator('article', { has: page.locator('h3', { hasText: 'rabbitmq-billing' }) });
    expect(await billing.textContent()).toContain('planned resize of billing');
    expect(await page.locator('table').first().textContent()).toContain('planned resize of billing');
    // Grouped by project, region and engine.
    expect(await page.locator('main h2').allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^kafka in cn-north-4/),
        expect.stringMatching(/^rabbitmq in cn-east-3/),
      ]),
    );
    // The 5-hour task is marked stuck with how far past its threshold, and its instance comes first.
    const payments = page.locator('article', { has: page.locator('h3', { hasText: 'rocketmq-payments' }) });
    expect(await payments.textContent()).toMatch(/STUCK, 3 h( \d+ min)? past its 2 h threshold/);
    expect(await page.locator('main article h3').first().textContent()).toContain('rocketmq-payments');
    // Times in the viewer's time zone, the UTC time on hover.
    const times = await page.locator('main time[datetime]').evaluateAll((ts) =>
      ts.map((t) => ({
        text: t.textContent,
        title: t.getAttribute('title'),
        local: new Date(t.getAttribute('datetime') ?? '').toLocaleString(),
      })),
    );
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) {
      expect(t.text).toBe(t.local);
      expect(t.title).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    }
    // A hostile task name is text, never markup.
    const notify = page.locator('article', { has: page.locator('h3', { hasText: 'rabbitmq-notify' }) });
    expect(await notify.textContent()).toContain(XSS_NAME);
    expect(await page.locator('main img').count()).toBe(0);

    const desktop = join(ARTIFACTS, 'fleet-page-desktop.png');
    await page.screenshot({ path: desktop, fullPage: true });
    console.log(`screenshot (desktop, 1280 px): ${desktop}`);
    await page.close();
  });

  it("sends a test notification from a destination's button and shows the receiver's answer", async () => {
    const page = await newPage(1280, 900);
    await signIn(page);
    await page.getByRole('button', { name: 'Send a test notification to feishu' }).click();
    await page.waitForSelector('h2:has-text("Test notification to feishu")');
    expect(await page.locator('[role=status]').last().textContent()).toBe('Delivered');
    expect(await page.locator('main dl').textContent()).toMatch(/Receiver status\s*200/);
    await page.getByRole('link', { name: 'Back to the fleet' }).click();
    await page.waitForSelector('h2:has-text("Destinations")');
    await page.close();
  });

  it('opens a task: its fields, params pretty-printed, its notifications and attempts', async () => {
    const page = await newPage(1280, 900);
    await signIn(page);
    const orders = page.locator('article', { has: page.locator('h3', { hasText: 'kafka-orders' }) });
    await orders.getByRole('link', { name: 'modifyInstanceSpec' }).click();
    await page.waitForSelector('h2:has-text("Notifications")');
    const main = (await page.locator('main').textContent()) ?? '';
    expect(main).toContain(SEED_IDS.recentFailures[0].taskId);
    expect(main).toContain('FAILED');
    const rows = await page.locator('main table').nth(1).locator('tbody tr').allTextContents();
    // The receiver's answer, from the operator API's reading of the outbox record.
    expect(rows.some((r) => /slack.*dead.*410/s.test(r))).toBe(true);
    expect(rows.some((r) => /hook.*delivered/s.test(r))).toBe(true);
    await page.goto(`${stack.pageUrl}/tasks/${SEED_IDS.mainProject}/${SEED_IDS.rabbitmq}/${stack.xssTaskId}`);
    const pre = (await page.locator('main pre').textContent()) ?? '';
    expect(pre).toContain('\n  "topic": "</pre><script>alert(2)</script>"');
    await page.close();
  });

  it('creates a silence and expires it, from the keyboard and the form', async () => {
    const page = await newPage(1280, 900);
    await signIn(page);
    await page.getByLabel('Instance id or name').fill('kafka-orders');
    await page.getByLabel('Task-name glob').fill('restart*');
    await page.getByLabel('Duration').selectOption('60');
    await page.getByLabel('Your name').fill('oncall');
    await page.getByLabel('Comment').fill('restarting brokers tonight');
    await page.getByLabel('Comment').press('Enter');
    await page.waitForSelector('td:has-text("restarting brokers tonight")');
    const orders = page.locator('article', { has: page.locator('h3', { hasText: 'kafka-orders' }) });
    expect(await orders.textContent()).toContain('restarting brokers tonight');
    await page.getByRole('button', { name: 'Expire silence restarting brokers tonight' }).click();
    await page.waitForSelector('h2:has-text("Silences")');
    expect(await page.locator('main').textContent()).not.toContain('restarting brokers tonight');
    expect(await page.locator('main').textContent()).toContain('planned resize of billing');
    await page.close();
  });

  it('works at phone width, and signing out ends the session', async () => {
    const page = await newPage(390, 844);
    await signIn(page);
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(Number(overflow)).toBeLessThanOrEqual(0);
    const phone = join(ARTIFACTS, 'fleet-page-phone.png');
    await page.screenshot({ path: phone, fullPage: true });
    console.log(`screenshot (phone, 390 px): ${phone}`);
    const before = (await page.context().cookies()).find((c) => c.name === 'dtf_ops_session');
    expect(before).toBeDefined();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('label:has-text("Token")');
    await page.goto(stack.pageUrl);
    expect(await page.locator('main').textContent()).not.toContain('kafka-orders');
    // The old cookie put back (a copy an attacker kept): the server ended the session, it shows nothing.
    if (before) await page.context().addCookies([before]);
    await page.goto(stack.pageUrl);
    expect(await page.locator('main form').count()).toBe(1);
    expect(await page.locator('main').textContent()).not.toContain('kafka-orders');
    await page.close();
  });

  it('refreshes itself within its own CSP: no console error or warning over two refreshes', async () => {
    const page = await newPage(1280, 900);
    // A fake clock from the first load on: the page's 30 s timer runs when the test says so.
    await page.clock.install();
    await signIn(page);
    const status = page.locator('#refresh-status');
    for (const round of [1, 2]) {
      await page.clock.runFor(31_000);
      await expect.poll(() => status.textContent()).toContain('Updated');
      expect(await page.locator('main h2').allTextContents()).toContain('Silences');
      await page.evaluate(`document.getElementById('refresh-status').textContent = 'round ${round} seen'`);
    }
    expect(await page.locator('article').count()).toBeGreaterThan(0);
    await page.close();
  });
});
