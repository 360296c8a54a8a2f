import { answer, auth, createTenant, DAY, linkSupplier, LinkedSupplier, sagaOf, Tenant, waitForState, webhookFor } from './support/scenario';
import { startSystem, System, waitFor } from './support/system';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/**
 * Money paid to the customer end to end: a refund of nothing (100% restocking
 * fee) closes instead of waiting, store credit is created in the store itself
 * exactly once (storeCreditAccountCredit, or a gift card), follows the refund
 * timing, and every restocking fee is in the ledger and its CSV export.
 */
describe('Money paid out: zero refunds, store credit in the store, restocking fees', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });
  afterEach(() => {
    sys.shop.storeCreditEnabled = true;
  });

  let seq = 7100;
  /** One line of `unitPriceMinor` from the supplier, no shipping; seeded in the fake Shopify with a customer account unless `guest`. */
  async function order(t: Tenant, s: LinkedSupplier, unitPriceMinor: number, opts: { guest?: boolean; currency?: string } = {}) {
    const currency = opts.currency ?? 'EUR';
    const n = ++seq;
    const externalId = `gid://shopify/Order/${n}`;
    const customerId = opts.guest ? undefined : `gid://shopify/Customer/${n}`;
    const lines = [{ externalId: `gid://shopify/LineItem/${n}0`, sku: `SKU-${n}`, title: 'Linen throw', quantity: 1, unitPriceMinor, supplierId: s.id }];
    const now = sys.clock.now().getTime();
    const res = await sys.http.post('/orders', {
      externalId, currency, locale: 'en', customer: { email: `kim${n}@example.test`, name: 'Kim' }, lines, shippingMinor: 0, taxMinor: 0,
      orderedAt: new Date(now - 10 * DAY).toISOString(), deliveredAt: new Date(now - 2 * DAY).toISOString(),
    }, auth(t.apiKey));
    if (res.status !== 201) throw new Error(`register order: ${res.status} ${JSON.stringify(res.data)}`);
    sys.shop.addOrder({ id: externalId, currency, lineItems: [{ id: lines[0].externalId, quantity: 1, unitPriceMinor }], shippingMinor: 0, customerId });
    return { id: res.data.id as string, externalId, customerId, email: `kim${n}@example.test` };
  }

  async function report(t: Tenant, body: Record<string, unknown>): Promise<string> {
    const res = await sys.http.post('/returns', body, auth(t.apiKey));
    expect(res.status).toBe(202);
    return res.data.returnId;
  }

  /** Moves time in small steps, running due deadlines (the refund retry backoff), until `fn` holds. */
  const driveUntil = <T>(fn: () => T | undefined | false | Promise<T | undefined | false>, message: string) =>
    waitFor(async () => {
      const v = await fn();
      if (v) return v;
      sys.clock.advance(500);
      await sys.runDueTasks();
      return fn();
    }, { timeoutMs: 30_000, intervalMs: 50, message });

  const ledgerOf = (c: Json) => c.ledger.map((l: Json) => [l.kind, l.amountMinor]);
  const csvRow = async (t: Tenant, returnId: string) => {
    const [header, ...rows] = String((await sys.http.get('/reports/ledger.csv', auth(t.apiKey))).data).trimEnd().split('\r\n');
    const cols = header.split(',');
    const row = rows.map((r) => r.split(',')).find((r) => r[cols.indexOf('return_id')] === returnId);
    if (!row) throw new Error(`no CSV row for ${returnId}`);
    return Object.fromEntries(cols.map((c, i) => [c, row[i]]));
  };

  it('issue 16 repro: IMMEDIATE refund with a 100% restocking fee is a refund of nothing — done at once, in the ledger, and the case completes', async () => {
    const tenant = await createTenant(sys, { refundTiming: 'IMMEDIATE' });
    const supplier = await linkSupplier(sys, tenant, { restockingFeePercent: 100, evidenceRequiredFor: [] });
    const o = await order(tenant, supplier, 4000);
    const returnId = await report(tenant, { orderId: o.id, eventType: 'QUALITY_ISSUE', resolution: 'REFUND', defect: false, reason: 'not as described' });

    // Not stuck in REFUNDING: nothing to pay, so the case waits for the supplier only.
    const recovering = await waitForState(sys, tenant, returnId, 'AWAITING_RECOVERY');
    expect(recovering.timeline.map((t: Json) => t.to)).toEqual(expect.arrayContaining(['REFUNDING', 'AWAITING_RECOVERY']));
    expect(sys.shop.refundCreateRequests.filter((r) => (r.json as Json)?.variables?.input?.orderId === o.externalId)).toHaveLength(0);
    const mail = await sys.smtp.waitFor((m) => m.to.includes(o.email) && /refund of €0\.00/.test(m.subject), 20_000);
    expect(mail.text).toContain('restocking fee of €40.00');

    const { payload } = await webhookFor(sys, o.externalId);
    expect((await answer(sys, supplier, payload.data.requestId, { decision: 'APPROVED' })).status).toBeLessThan(300);
    const done = await waitForState(sys, tenant, returnId, 'COMPLETED');
    expect(ledgerOf(done)).toEqual(expect.arrayContaining([['REFUND', 0], ['RESTOCKING_FEE', 4000], ['SUPPLIER_CREDIT_REQUESTED', 4000], ['SUPPLIER_CREDIT_GRANTED', 4000]]));
    expect(done.ledger.filter((l: Json) => l.kind === 'REFUND')).toHaveLength(1);
    expect(done.amounts).toMatchObject({ refundedMinor: 0, restockingFeeMinor: 4000, outflowMinor: 0, recoveredMinor: 4000 });
    expect(await csvRow(tenant, returnId)).toMatchObject({ state: 'COMPLETED', refunded: '0.00', restocking_fee: '40.00', net_cost: '-40.00' });
  });

  it('restocking fee of 20% on a cash refund: 3200 refunded in the store, 800 kept back in the ledger and the CSV', async () => {
    const tenant = await createTenant(sys, { refundTiming: 'ON_SUPPLIER_APPROVAL' });
    const supplier = await linkSupplier(sys, tenant, { restockingFeePercent: 20, evidenceRequiredFor: [] });
    const o = await order(tenant, supplier, 4000);
    const returnId = await report(tenant, { orderId: o.id, eventType: 'QUALITY_ISSUE', resolution: 'REFUND', defect: false });
    const { payload } = await webhookFor(sys, o.externalId);
    await waitForState(sys, tenant, returnId, 'AWAITING_SUPPLIER');
    await answer(sys, supplier, payload.data.requestId, { decision: 'APPROVED' });
    const done = await waitForState(sys, tenant, returnId, 'COMPLETED');
    expect(sys.shop.refunds.filter((r) => r.orderId === o.externalId).map((r) => r.amountMinor)).toEqual([3200]);
    expect(ledgerOf(done)).toEqual(expect.arrayContaining([['REFUND', 3200], ['RESTOCKING_FEE', 800]]));
    expect(await csvRow(tenant, returnId)).toMatchObject({ refunded: '32.00', restocking_fee: '8.00' });
  });

  it('IMMEDIATE store credit goes out before the supplier answers, credited once in the store even when the first answer is lost', async () => {
    const tenant = await createTenant(sys, { refundTiming: 'IMMEDIATE' });
    const supplier = await linkSupplier(sys, tenant, { evidenceRequiredFor: [] });
    const o = await order(tenant, supplier, 4000);
    // The store credits the account, but its answer never arrives: the refunds service must ask again with the same key.
    sys.shop.timeoutAfterSuccessNext(1, { newRefundsOnly: true });
    const returnId = await report(tenant, { orderId: o.id, eventType: 'DAMAGED', resolution: 'STORE_CREDIT', evidenceUrls: ['https://photos.example.test/sc.jpg'] });

    await driveUntil(() => sys.shop.storeCreditRequests.filter((r) => r.outcome === 'replayed').length > 0, 'a replayed storeCreditAccountCredit after the lost answer');
    const recovering = await waitForState(sys, tenant, returnId, 'AWAITING_RECOVERY');
    const credits = sys.shop.storeCredits.filter((c) => c.customerId === o.customerId);
    expect(credits).toHaveLength(1);
    expect(credits[0]).toMatchObject({ amountMinor: 4000, currency: 'EUR' });
    expect(sys.shop.storeCreditBalanceMinor(o.customerId!, 'EUR')).toBe(4000);
    const calls = sys.shop.storeCreditRequests.filter((r) => (r.json as Json)?.variables?.id === o.customerId);
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(calls.map((c) => c.idempotencyKey)).size).toBe(1);
    expect(calls[0].dropped).toBe(true);
    expect(sys.shop.refunds.filter((r) => r.orderId === o.externalId)).toHaveLength(0);
    expect(recovering.ledger.filter((l: Json) => l.kind === 'STORE_CREDIT')).toEqual([expect.objectContaining({ amountMinor: 4000 })]);
    const mail = await sys.smtp.waitFor((m) => m.to.includes(o.email) && /store credit/.test(m.subject), 20_000);
    expect(mail.subject).toContain('€40.00');
    expect(mail.text).toContain('in your account');

    // The supplier's answer comes after the customer was made whole.
    const { payload } = await webhookFor(sys, o.externalId);
    await answer(sys, supplier, payload.data.requestId, { decision: 'APPROVED' });
    const done = await waitForState(sys, tenant, returnId, 'COMPLETED');
    expect(done.amounts).toMatchObject({ storeCreditMinor: 4000, recoveredMinor: 4000, netCostMinor: 0 });
    expect(sys.shop.storeCredits.filter((c) => c.customerId === o.customerId)).toHaveLength(1);
    expect(await csvRow(tenant, returnId)).toMatchObject({ store_credit: '40.00', refunded: '0.00' });
  });

  it('a shop without store credit: a gift card instead, once, its code e-mailed, after the supplier approves (ON_SUPPLIER_APPROVAL)', async () => {
    sys.shop.storeCreditEnabled = false;
    const tenant = await createTenant(sys, { refundTiming: 'ON_SUPPLIER_APPROVAL' });
    const supplier = await linkSupplier(sys, tenant, { evidenceRequiredFor: [] });
    const o = await order(tenant, supplier, 2500);
    const returnId = await report(tenant, { orderId: o.id, eventType: 'DAMAGED', resolution: 'STORE_CREDIT' });
    const { payload } = await webhookFor(sys, o.externalId);
    await waitForState(sys, tenant, returnId, 'AWAITING_SUPPLIER');
    expect(sys.shop.storeCreditRequests.filter((r) => (r.json as Json)?.variables?.id === o.customerId)).toHaveLength(0);

    await answer(sys, supplier, payload.data.requestId, { decision: 'APPROVED' });
    const done = await waitForState(sys, tenant, returnId, 'COMPLETED');
    const cards = sys.shop.giftCards.filter((g) => g.customerId === o.customerId);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ amountMinor: 2500, currency: 'EUR' });
    expect(sys.shop.storeCredits.filter((c) => c.customerId === o.customerId)).toHaveLength(0);
    const mail = await sys.smtp.waitFor((m) => m.to.includes(o.email) && /store credit/.test(m.subject), 20_000);
    expect(mail.text).toContain(cards[0].code);
    expect(ledgerOf(done)).toEqual(expect.arrayContaining([['STORE_CREDIT', 2500]]));
    expect((await sagaOf(sys, tenant, returnId)).amounts.storeCreditMinor).toBe(2500);
  });

  it('refused for good (no store credit, order not in the shop currency): escalated; after ops turn store credit on, a retry credits once under a fresh key', async () => {
    sys.shop.storeCreditEnabled = false;
    const tenant = await createTenant(sys, { refundTiming: 'IMMEDIATE' });
    const supplier = await linkSupplier(sys, tenant, { evidenceRequiredFor: [] });
    const o = await order(tenant, supplier, 30_000, { currency: 'DKK' });
    const returnId = await report(tenant, { orderId: o.id, eventType: 'DAMAGED', resolution: 'STORE_CREDIT' });
    const escalated = await waitForState(sys, tenant, returnId, 'ESCALATED');
    expect(escalated.saga.escalation).toMatch(/refund failed: .*gift card would be in EUR, not DKK/);
    expect(sys.shop.giftCards.filter((g) => g.customerId === o.customerId)).toHaveLength(0);

    sys.shop.storeCreditEnabled = true;
    const ops = { headers: { authorization: `Bearer ${tenant.opsApiKey}`, 'x-ops-actor': 'Ana' } };
    expect((await sys.http.post(`/ops/cases/${returnId}/retry`, { reason: 'store credit turned on' }, ops)).status).toBe(202);
    const recovering = await waitForState(sys, tenant, returnId, 'AWAITING_RECOVERY');
    expect(sys.shop.storeCredits.filter((c) => c.customerId === o.customerId).map((c) => [c.amountMinor, c.currency])).toEqual([[30_000, 'DKK']]);
    const keys = sys.shop.storeCreditRequests.filter((r) => (r.json as Json)?.variables?.id === o.customerId).map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(`${keys[0]}/1`);
    expect(recovering.ledger.filter((l: Json) => l.kind === 'STORE_CREDIT')).toEqual([expect.objectContaining({ amountMinor: 30_000, currency: 'DKK' })]);
  });
});
