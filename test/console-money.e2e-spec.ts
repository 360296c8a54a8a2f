import { randomUUID } from 'crypto';
import { existsSync } from 'fs';
import { Browser, chromium, Page } from 'playwright-core';
import { createTenant, Tenant } from './support/scenario';
import { startSystem, System } from './support/system';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Money in the ops console, in real headless Chromium: each currency with its
 * ISO digits (JPY 0, EUR 2, KWD 3), and a bad row (a currency "123" stored
 * before codes were checked) shown raw instead of breaking the figures panel.
 */
describe('Ops console money', () => {
  let sys: System;
  let browser: Browser;
  let page: Page;
  let t: Tenant;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
    sys = await startSystem({ services: ['api'] });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    page = await browser.newPage({ locale: 'en-GB' });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    t = await createTenant(sys);
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.stop();
  });

  const refund = (currency: string, amountMinor: number) =>
    sys.sql(
      `INSERT INTO refunds (id, saga_id, return_id, tenant_id, purpose, external_order_id, amount_minor, currency, shop_currency, request, status, created_at, completed_at)
       VALUES ($1, $2, $3, $4, 'CUSTOMER_REFUND', 'gid://shopify/Order/1', $5, $6, $6, '{}', 'SUCCEEDED', now(), now())`,
      [randomUUID(), randomUUID(), randomUUID(), t.tenantId, amountMinor, currency],
    );

  it('formats JPY, EUR and KWD with their own digits, and anything else raw, without throwing', async () => {
    await page.goto(`${sys.apiUrl}/console`);
    // As source text: TypeScript would otherwise compile the page's import() into require().
    const shown = await page.evaluate(`(async () => {
      const digits = await (await fetch('/console/currencies.json')).json();
      const { fmtMoney } = await import('/console/money.js');
      return [[1500, 'JPY'], [1500, 'EUR'], [1500, 'KWD'], [700, '123'], [700, 'XXX'], [700, undefined], [1.5, 'EUR'], [null, 'EUR']].map(([m, c]) => fmtMoney(m, c, digits, 'en-GB'));
    })()`);
    expect(shown).toEqual(['JP¥1,500', '€15.00', 'KWD\u00a01.500', '700 123', '700 XXX', '700', '1.5 EUR', '—']);
  });

  it('keeps the figures panel working with a bad row among good ones', async () => {
    await refund('JPY', 1500);
    await refund('KWD', 1500);
    await refund('123', 700); // char(3): what an order in "123" used to leave behind
    await page.goto(`${sys.apiUrl}/console`);
    await page.fill('[data-testid=login-key]', t.opsApiKey);
    await page.fill('[data-testid=login-actor]', 'Ana');
    await page.click('[data-testid=login-submit]');
    const footer = page.locator('[data-testid=chart-refunds]');
    await footer.waitFor({ timeout: 15_000 });
    await expect(footer.textContent()).resolves.toMatch(/1 paid, 700 123.*1 paid, JP¥1,500.*1 paid, KWD\s1\.500/);
    expect(pageErrors).toEqual([]);
  });
});
