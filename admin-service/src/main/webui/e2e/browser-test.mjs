// The web UI in a real browser (Debian's Chromium driven by playwright-core), against a running stack:
// sign in, create a channel at the simulator, a price, a customer, a top-up and a key (capturing bodies), chat in the
// playground, see the call on the live dashboard (open in another tab), in the request log and in its detail with the
// captured prompt, find it again by its request id, chat again in the Anthropic and Gemini dialects, time every page's load,
// keep screenshots, then check that a customer sees none of the admin pages.
//
// Environment: ADMIN_URL, ADMIN_PASSWORD, SIMULATOR_URL (the OpenAI base, …/v1), SCREENSHOT_DIR, RESULT_FILE,
// CHROMIUM (default /usr/bin/chromium). Prints one JSON line `RESULT {...}`; exits 0 when every step passed.
import { chromium } from 'playwright-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ADMIN_URL = need('ADMIN_URL').replace(/\/$/, '');
const ADMIN_PASSWORD = need('ADMIN_PASSWORD');
const SIMULATOR_URL = need('SIMULATOR_URL');
const SCREENSHOTS = process.env.SCREENSHOT_DIR || 'target/browser-screenshots';
const RESULT_FILE = process.env.RESULT_FILE;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const MODEL = 'gpt-4o-mini';
const PROMPT = 'Hello from the browser test';
const CUSTOMER = { username: 'carol', password: 'carol-password-1' };
const STEP_TIMEOUT = 20_000;

const result = { ok: false, steps: [], loadTimesMs: {}, customerLoadTimesMs: {}, screenshots: [], pageErrors: [] };

function need(name) {
  const v = process.env[name];
  if (!v) {
    console.error(`browser-test: ${name} is not set`);
    process.exit(2);
  }
  return v;
}

async function step(name, fn) {
  const started = Date.now();
  try {
    const value = await fn();
    result.steps.push({ name, ok: true, ms: Date.now() - started });
    console.log(`browser-test: ok   ${name} (${Date.now() - started} ms)`);
    return value;
  } catch (e) {
    result.steps.push({ name, ok: false, ms: Date.now() - started, error: String(e?.message || e) });
    console.log(`browser-test: FAIL ${name}: ${e?.message || e}`);
    throw e;
  }
}

async function shot(page, name) {
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  result.screenshots.push(file);
}

/** Opens a page by its route and waits until it shows its data; answers the time that took. */
async function load(page, route, name) {
  const started = Date.now();
  await page.goto(`${ADMIN_URL}/#${route}`);
  await page.reload(); // a full load: HTML, scripts, session check and the page's own API calls
  await page.waitForSelector(`[data-page="${name}"][data-ready="true"]`, { timeout: STEP_TIMEOUT });
  return Date.now() - started;
}

async function retry(what, fn, deadlineMs = 30_000, pauseMs = 500) {
  const deadline = Date.now() + deadlineMs;
  let last;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what}: ${last?.message || last}`);
    await new Promise((r) => setTimeout(r, pauseMs));
  }
}

async function signIn(page, username, password) {
  await page.goto(ADMIN_URL + '/');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=who]', { timeout: STEP_TIMEOUT });
}

function watchErrors(page, who) {
  page.on('pageerror', (e) => result.pageErrors.push(`${who}: ${e.message}`));
}

async function main() {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  try {
    const admin = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await admin.newPage();
    watchErrors(page, 'admin');

    await step('admin signs in and sees the live dashboard', async () => {
      await signIn(page, 'admin', ADMIN_PASSWORD);
      await page.waitForSelector('[data-page="live"][data-ready="true"]', { timeout: STEP_TIMEOUT });
    });

    await step('admin creates a channel pointing at the simulator', async () => {
      await page.goto(`${ADMIN_URL}/#/channels`);
      await page.click('text=New channel');
      const form = page.locator('[data-testid=channel-form]');
      await form.locator('input[name=name]').fill('sim-browser');
      await form.locator('select[name=provider]').selectOption('openai');
      await form.locator('input[name=baseUrl]').fill(SIMULATOR_URL);
      await form.locator('input[name=apiKey]').fill('sk-sim-browser');
      await form.locator('input[name=models]').fill(MODEL);
      await form.locator('input[name=tags]').fill('sim, browser');
      await form.locator('button[type=submit]').click();
      await page.waitForSelector('text=Saved channel sim-browser', { timeout: STEP_TIMEOUT });
      await page.waitForSelector('[data-testid=channels] >> text=sim-browser');
      const body = await page.locator('[data-testid=channels]').innerText();
      if (body.includes('sk-sim-browser')) throw new Error('the channel key is shown');
    });

    await step('admin filters channels by a tag chip, and by a tag no channel has', async () => {
      const row = page.locator('[data-testid=channels] tr', { hasText: 'sim-browser' });
      await row.locator('button.chip', { hasText: 'browser' }).click();
      await page.waitForSelector('text=Disable all tagged browser', { timeout: STEP_TIMEOUT });
      await page.waitForSelector('[data-testid=channels] >> text=sim-browser');
      await page.fill('[data-testid=channel-filters] input[name=tag]', 'no-such-tag');
      await page.click('[data-testid=channel-filters] button[type=submit]');
      await page.waitForSelector('[data-testid=channels] >> text=Nothing here yet.', { timeout: STEP_TIMEOUT });
      await page.click('[data-testid=channel-filters] button:has-text("Clear")');
      await page.waitForSelector('[data-testid=channels] >> text=sim-browser', { timeout: STEP_TIMEOUT });
    });

    await step('admin tests the channel', async () => {
      const row = page.locator('[data-testid=channels] tr', { hasText: 'sim-browser' });
      await row.locator('button', { hasText: 'Test' }).click();
      await page.waitForSelector('text=/sim-browser: OK/', { timeout: STEP_TIMEOUT });
    });

    await step('admin prices the model', async () => {
      await page.goto(`${ADMIN_URL}/#/prices`);
      await page.click('text=New price');
      const form = page.locator('[data-testid=price-form]');
      await form.locator('input[name=model]').fill(MODEL);
      await form.locator('input[name=inputMicrosPerMTok]').fill('0.15');
      await form.locator('input[name=outputMicrosPerMTok]').fill('0.60');
      await form.locator('button[type=submit]').click();
      await page.waitForSelector(`text=Price of ${MODEL} is now version`, { timeout: STEP_TIMEOUT });
    });

    const customerId = await step('admin creates a customer and tops them up', async () => {
      await page.goto(`${ADMIN_URL}/#/users`);
      await page.click('text=New user');
      const form = page.locator('[data-testid=user-form]');
      await form.locator('input[name=username]').fill(CUSTOMER.username);
      await form.locator('input[name=password]').fill(CUSTOMER.password);
      await form.locator('button[type=submit]').click();
      const created = await page.waitForSelector(`text=/Created ${CUSTOMER.username} \\(#\\d+\\)/`, { timeout: STEP_TIMEOUT });
      const id = Number(/#(\d+)/.exec(await created.textContent())[1]);
      const row = page.locator('[data-testid=users] tr', { hasText: CUSTOMER.username });
      await row.locator('button', { hasText: 'Top up' }).click();
      const topUp = page.locator('[data-testid=topup-form]');
      await topUp.locator('input[name=amount]').fill('5');
      await topUp.locator('button[type=submit]').click();
      await page.waitForSelector('text=Credited $5.00', { timeout: STEP_TIMEOUT });
      return id;
    });

    const key = await step('admin creates a key for the customer, shown once', async () => {
      await page.goto(`${ADMIN_URL}/#/keys`);
      await page.click('text=New key');
      const form = page.locator('[data-testid=key-form]');
      await form.locator('input[name=userId]').fill(String(customerId));
      await form.locator('input[name=name]').fill('browser');
      await form.locator('button[type=submit]').click();
      const secret = (await page.locator('[data-testid=secret]').textContent({ timeout: STEP_TIMEOUT })).trim();
      if (!/^tg-[A-Za-z0-9]{43}$/.test(secret)) throw new Error(`not a key: ${secret}`);
      await page.click('text=Done');
      await page.waitForSelector('[data-testid=keys] >> text=browser');
      if ((await page.content()).includes(secret)) throw new Error('the key is still on the page after Done');
      return secret;
    });

    await step('admin switches body capture on for that key', async () => {
      const row = page.locator('[data-testid=keys] tr', { hasText: 'browser' });
      const capture = row.locator('input[name=captureBodies]');
      if (await capture.isChecked()) throw new Error('capture is on before it was asked for');
      // A click, not check(): the box follows the key as the API reads it back after the ledger committed the
      // change, not the click itself.
      await capture.click();
      await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=keys] tr')]
        .some((tr) => tr.innerText.includes('browser') && tr.querySelector('input[name=captureBodies]')?.checked),
      null, { timeout: STEP_TIMEOUT });
    });

    await step('admin opens self-registration in the settings (a ledger command)', async () => {
      await page.goto(`${ADMIN_URL}/#/settings`);
      await page.waitForSelector('[data-page="settings"][data-ready="true"]', { timeout: STEP_TIMEOUT });
      await page.check('input[name=registrationEnabled]');
      await page.click('[data-testid=settings-form] button[type=submit]');
      await page.waitForSelector('text=/Saved \\(version \\d+\\)/', { timeout: STEP_TIMEOUT });
    });

    // The dashboard in a tab of its own, following the stream before the call is made.
    const live = await admin.newPage();
    watchErrors(live, 'live');
    const requestsBefore = await step('admin follows the live dashboard in another tab', async () => {
      // The session is per tab (sessionStorage), as in a browser: this tab signs in too.
      await signIn(live, 'admin', ADMIN_PASSWORD);
      await live.waitForSelector('[data-page="live"][data-ready="true"]', { timeout: STEP_TIMEOUT });
      return liveRequests(live);
    });

    const answeredAt = await step('customer key chats in the playground, streamed through the relay', async () => {
      await page.goto(`${ADMIN_URL}/#/playground`);
      await page.waitForSelector('[data-page="playground"][data-ready="true"]', { timeout: STEP_TIMEOUT });
      await page.fill('input[name=playgroundKey]', key);
      // The key reaches the relay through the changes topic: ask until the relay knows it.
      await retry('the relay lists the model for the key', async () => {
        await page.click('text=Load models');
        await page.waitForFunction((m) => [...document.querySelectorAll('#playground-models option')]
          .some((o) => o.value === m), MODEL, { timeout: 2000 });
      });
      await page.fill('input[name=model]', MODEL);
      await page.fill('textarea[name=message]', PROMPT);
      await page.click('button:has-text("Send")');
      await page.waitForSelector('[data-testid=playground-result]', { timeout: STEP_TIMEOUT });
      const at = Date.now();
      const answer = await page.locator('[data-testid=msg-assistant]').last().innerText();
      if (!answer.includes('tok0')) throw new Error(`unexpected answer: ${answer}`);
      result.playground = (await page.locator('[data-testid=playground-result]').innerText()).trim();
      result.requestId = /request (\S+)/.exec(result.playground)?.[1];
      if (!result.requestId) throw new Error(`no request id in "${result.playground}"`);
      return at;
    });

    await step('the call shows on the live dashboard within two seconds', async () => {
      await live.waitForFunction((before) => {
        const el = document.querySelector('[data-testid=live-requests] .stat-value');
        return el && Number(el.textContent.replace(/,/g, '')) > before;
      }, requestsBefore, { timeout: 10_000, polling: 50 });
      result.liveLatencyMs = Date.now() - answeredAt;
      await live.waitForSelector(`[data-testid=live-by-model] >> text=${MODEL}`);
      if (result.liveLatencyMs > 2000) throw new Error(`took ${result.liveLatencyMs} ms`);
      await shot(live, 'live-dashboard');
    });

    await step('the call is in the request log', async () => {
      await retry('a logged request', async () => {
        await page.goto(`${ADMIN_URL}/#/logs`);
        await page.reload();
        await page.fill('input[name=model]', MODEL);
        await page.click('[data-testid=log-filters] button[type=submit]');
        await page.waitForSelector(`[data-testid=logs] >> text=${result.requestId}`, { timeout: 2000 });
        const row = await page.locator('[data-testid=logs] tr', { hasText: result.requestId }).innerText();
        if (!row.includes('success')) throw new Error(`logged as ${row}`);
      }, 30_000, 1000);
      await shot(page, 'logs');
    });

    await step('the logged call opens with its captured prompt and answer', async () => {
      await page.locator('[data-testid=logs] tr', { hasText: result.requestId }).click();
      await page.waitForSelector('[data-testid=log-detail][data-ready="true"]', { timeout: STEP_TIMEOUT });
      const request = await page.locator('[data-testid=log-request-body]').innerText({ timeout: STEP_TIMEOUT });
      if (!request.includes(PROMPT)) throw new Error(`the captured request lacks the prompt: ${request}`);
      if (!request.includes('\n  "model"')) throw new Error('the captured request is not pretty-printed');
      const answer = await page.locator('[data-testid=log-response-body]').innerText();
      if (!answer.includes('tok0')) throw new Error(`the captured answer lacks the text: ${answer}`);
      await shot(page, 'log-detail');
    });

    await step('the request id from the playground finds the call, shown and copyable in its detail', async () => {
      await load(page, '/logs', 'logs');
      // Pasted as the header line the client saw: the search takes the id out of it.
      await page.fill('[data-testid=log-search] input[name=requestId]', `x-request-id: ${result.requestId}`);
      await page.click('[data-testid=log-search] button[type=submit]');
      await page.waitForSelector('[data-testid=log-detail][data-ready="true"]', { timeout: STEP_TIMEOUT });
      const shown = (await page.locator('[data-testid=log-request-id]').innerText()).trim();
      if (shown !== result.requestId) throw new Error(`the detail shows request ${shown}, not ${result.requestId}`);
      const request = await page.locator('[data-testid=log-request-body]').innerText({ timeout: STEP_TIMEOUT });
      if (!request.includes(PROMPT)) throw new Error(`the found request lacks the prompt: ${request}`);
      await page.click('[data-testid=copy-request-id]');
      await page.waitForSelector('[data-testid=copy-request-id] >> text=Copied', { timeout: STEP_TIMEOUT });
      await shot(page, 'log-search');
    });

    await step('the playground speaks Anthropic messages and Gemini generateContent, streamed', async () => {
      result.dialects = {};
      await page.goto(`${ADMIN_URL}/#/playground`);
      await page.waitForSelector('[data-page="playground"][data-ready="true"]', { timeout: STEP_TIMEOUT });
      await page.fill('input[name=model]', MODEL);
      for (const [dialect, label] of [['anthropic', 'Anthropic messages'], ['gemini', 'Gemini generateContent']]) {
        await page.click('button:has-text("Clear")');
        await page.selectOption('select[name=dialect]', dialect);
        await page.fill('textarea[name=message]', `${PROMPT} in ${dialect}`);
        await page.click('button:has-text("Send")');
        const done = page.locator('[data-testid=playground-result]', { hasText: label });
        await done.waitFor({ timeout: STEP_TIMEOUT });
        const answer = await page.locator('[data-testid=msg-assistant]').last().innerText();
        if (!answer.includes('tok0')) throw new Error(`${dialect}: unexpected answer: ${answer}`);
        const line = (await done.innerText()).trim();
        if (!/ \d+ in, \d+ out/.test(line)) throw new Error(`${dialect}: no token counts in "${line}"`);
        if (!/request \S+/.test(line)) throw new Error(`${dialect}: no request id in "${line}"`);
        result.dialects[dialect] = line;
      }
      await shot(page, 'playground-dialects');
    });

    await step('every admin page loads (timed) and is kept as a screenshot', async () => {
      for (const [route, name] of [['/', 'live'], ['/channels', 'channels'], ['/users', 'users'], ['/keys', 'keys'],
        ['/groups', 'groups'], ['/prices', 'prices'], ['/redemptions', 'redemptions'], ['/logs', 'logs'],
        ['/stats', 'stats'], ['/playground', 'playground'], ['/audit', 'audit'], ['/settings', 'settings']]) {
        result.loadTimesMs[name] = await load(page, route, name);
        await shot(page, `admin-${name}`);
      }
    });

    await step('the audit trail shows what the admin did, and a command with its secrets redacted', async () => {
      await load(page, '/audit', 'audit');
      await page.fill('[data-testid=audit-filters] input[name=type]', 'channel.create');
      await page.click('[data-testid=audit-filters] button[type=submit]');
      await retry('only channel.create rows after filtering', async () => {
        const rows = await page.locator('[data-testid=audit] tbody tr').allInnerTexts();
        if (rows.length === 0 || rows.some((r) => !r.includes('channel.create'))) {
          throw new Error(`rows: ${rows.join(' | ').slice(0, 300)}`);
        }
      });
      await page.locator('[data-testid=audit] tbody tr').first().click();
      const body = await page.locator('[data-testid=audit-body]').innerText({ timeout: STEP_TIMEOUT });
      if (!body.includes('"name"')) throw new Error(`no command in the detail: ${body.slice(0, 200)}`);
      if (body.includes('sk-') || body.includes('AIza')) throw new Error('an upstream key is shown in the audit trail');
      await shot(page, 'admin-audit-detail');
    });

    await live.close();
    await admin.close();

    const customer = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const cpage = await customer.newPage();
    watchErrors(cpage, 'customer');
    await step('the customer signs in to their own dashboard with their balance', async () => {
      await cpage.goto(ADMIN_URL + '/');
      await cpage.waitForSelector('text=No account? Sign up', { timeout: STEP_TIMEOUT });
      await signIn(cpage, CUSTOMER.username, CUSTOMER.password);
      await cpage.waitForSelector('[data-page="my-dashboard"][data-ready="true"]', { timeout: STEP_TIMEOUT });
      const balance = await cpage.locator('[data-testid=balance] .stat-value').innerText();
      if (!balance.startsWith('$4.99') && !balance.startsWith('$5.00')) throw new Error(`balance ${balance}`);
      await shot(cpage, 'customer-dashboard');
    });

    await step('the customer sees none of the admin pages, and the API refuses them', async () => {
      const nav = await cpage.locator('nav').innerText();
      for (const hidden of ['Channels', 'Users', 'Groups', 'Redemption codes', 'Audit trail', 'Settings']) {
        if (nav.includes(hidden)) throw new Error(`the customer's menu offers ${hidden}`);
      }
      for (const route of ['/channels', '/users', '/groups', '/redemptions', '/audit', '/settings']) {
        await cpage.goto(`${ADMIN_URL}/#${route}`);
        await cpage.waitForSelector('[data-page="not-allowed"]', { timeout: STEP_TIMEOUT });
      }
      const statuses = await cpage.evaluate(async () => {
        const token = JSON.parse(sessionStorage.getItem('tollgate.session')).token;
        const out = {};
        for (const p of ['/api/channels', '/api/users', '/api/live', '/api/redemptions', '/api/audit', '/api/stats?groupBy=user']) {
          out[p] = (await fetch(p, { headers: { Authorization: `Bearer ${token}` } })).status;
        }
        return out;
      });
      for (const [p, status] of Object.entries(statuses)) {
        if (status !== 403) throw new Error(`${p} answered the customer ${status}`);
      }
      await shot(cpage, 'customer-not-allowed');
    });

    await step('the customer pages load (timed)', async () => {
      for (const [route, name] of [['/', 'my-dashboard'], ['/keys', 'keys'], ['/logs', 'logs'], ['/stats', 'stats'],
        ['/redeem', 'redeem'], ['/playground', 'playground']]) {
        result.customerLoadTimesMs[name] = await load(cpage, route, name);
        await shot(cpage, `customer-${name}`);
      }
      await load(cpage, '/logs', 'logs');
      const own = await cpage.locator('[data-testid=logs]').innerText();
      if (!own.includes(result.requestId)) throw new Error('the customer does not see their own request');
      if (own.includes('gpt-seed')) throw new Error('the customer sees requests of others');
    });
    await customer.close();

    if (result.pageErrors.length) throw new Error(`uncaught errors in the pages: ${result.pageErrors.join('; ')}`);
    result.ok = true;
  } finally {
    await browser.close();
  }
}

async function liveRequests(page) {
  const text = await page.locator('[data-testid=live-requests] .stat-value').innerText();
  return Number(text.replace(/,/g, '')) || 0;
}

try {
  await main();
} catch (e) {
  result.error = String(e?.stack || e);
}
const line = JSON.stringify(result);
if (RESULT_FILE) writeFileSync(RESULT_FILE, line);
console.log('RESULT ' + line);
process.exit(result.ok ? 0 : 1);
