import { Webhook } from 'standardwebhooks';
import { SupplierReceiver } from '@app/testing';
import { answer, auth, createTenant, DAY, LinkedSupplier, sagaOf, Tenant, waitForState, fieldsOf } from './support/scenario';
import { startSystem, System, waitFor } from './support/system';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** Money rules end to end: refund limits and currencies, multi-supplier claims, the ledger and its exports, a flaky store. */
describe('Money: multi-supplier claims, currencies, ledger reports, refund retries', () => {
  let sys: System;
  /** A second supplier endpoint, so each supplier signs with its own secret at its own URL. */
  let second: SupplierReceiver;
  beforeAll(async () => {
    sys = await startSystem();
    second = await new SupplierReceiver().start();
  });
  afterAll(async () => {
    await second?.stop();
    await sys?.stop();
  });

  async function linkAt(t: Tenant, receiver: SupplierReceiver, name: string, policy: Record<string, unknown> = {}): Promise<LinkedSupplier> {
    const res = await sys.http.post('/suppliers', { name, webhookUrl: receiver.url('/webhooks'), policy: { returnWindowDays: 30, slaHours: 48, ...policy } }, auth(t.apiKey));
    if (res.status !== 201) throw new Error(`link supplier: ${res.status} ${JSON.stringify(res.data)}`);
    receiver.secret = res.data.signingSecret;
    return res.data;
  }

  let seq = 5000;
  /** Registers an order (any currency, several suppliers) with us and in the fake Shopify. */
  async function order(t: Tenant, lines: { supplier: LinkedSupplier; title: string; quantity: number; unitPriceMinor: number }[], opts: { currency?: string; shippingMinor?: number } = {}) {
    const n = ++seq;
    const externalId = `gid://shopify/Order/${n}`;
    const currency = opts.currency ?? 'EUR';
    const shippingMinor = opts.shippingMinor ?? 495;
    const body = lines.map((l, i) => ({ externalId: `gid://shopify/LineItem/${n}${i}`, sku: `SKU-${n}-${i}`, title: l.title, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, supplierId: l.supplier.id }));
    const now = sys.clock.now().getTime();
    const res = await sys.http.post('/orders', {
      externalId, currency, locale: 'en', customer: { email: `buyer${n}@example.test`, name: 'Kim' }, lines: body, shippingMinor, taxMinor: 0,
      orderedAt: new Date(now - 10 * DAY).toISOString(), deliveredAt: new Date(now - 2 * DAY).toISOString(),
    }, auth(t.apiKey));
    if (res.status !== 201) throw new Error(`register order: ${res.status} ${JSON.stringify(res.data)}`);
    sys.shop.addOrder({ id: externalId, currency, lineItems: body.map((l) => ({ id: l.externalId, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor })), shippingMinor });
    return { ...(res.data as { id: string; customer: { email: string } }), externalId };
  }

  /** The credit request a receiver got for an order, checked against the supplier's own secret. */
  async function requestAt(receiver: SupplierReceiver, externalOrderId: string) {
    const req = await waitFor(() => receiver.requests.find((r) => (r.json as Json)?.type === 'rma.credit_requested' && (r.json as Json)?.data?.orderId === externalOrderId), { timeoutMs: 20_000, message: `credit request for ${externalOrderId}` });
    const payload = new Webhook(receiver.secret!).verify(req.body, req.headers) as Json;
    return { req, payload };
  }

  const refundsFor = (externalOrderId: string) => sys.shop.refunds.filter((r) => r.orderId === externalOrderId);
  const refundCallsFor = (externalOrderId: string) => sys.shop.refundCreateRequests.filter((r) => (r.json as Json)?.variables?.input?.orderId === externalOrderId);

  /** Moves time forward in small steps, running due deadlines, until `fn` holds: backoff waits pass without sleeping. */
  const driveUntil = <T>(fn: () => T | undefined | false, message: string) =>
    waitFor(async () => {
      const v = fn();
      if (v) return v;
      sys.clock.advance(500);
      await sys.runDueTasks();
      return fn();
    }, { timeoutMs: 30_000, intervalMs: 50, message });

  it('lines from two suppliers: one claim each, signed with each supplier’s secret; APPROVED + PARTIALLY_APPROVED → one refund, both grants in the ledger and the reports', async () => {
    const tenant = await createTenant(sys);
    const a = await linkAt(tenant, sys.supplier, 'Alpha Ceramics');
    const b = await linkAt(tenant, second, 'Beta Textiles');
    const o = await order(tenant, [
      { supplier: a, title: 'Ceramic vase', quantity: 2, unitPriceMinor: 1999 },
      { supplier: b, title: 'Linen throw', quantity: 1, unitPriceMinor: 3500 },
    ]);
    const res = await sys.http.post('/returns', { orderId: o.id, eventType: 'DAMAGED', reason: 'box crushed', evidenceUrls: ['https://photos.example.test/crushed.jpg'] }, auth(tenant.apiKey));
    expect(res.status).toBe(202);
    const { returnId } = res.data;

    const ra = await requestAt(sys.supplier, o.externalId);
    const rb = await requestAt(second, o.externalId);
    expect(ra.req.verified).toBe(true);
    expect(rb.req.verified).toBe(true);
    // each request is signed with its own supplier's secret only
    expect(() => new Webhook(second.secret!).verify(ra.req.body, ra.req.headers)).toThrow();
    expect(() => new Webhook(sys.supplier.secret!).verify(rb.req.body, rb.req.headers)).toThrow();
    expect([ra.payload.data.supplierId, ra.payload.data.amount.amountMinor, ra.payload.data.lines.map((l: Json) => l.title)]).toEqual([a.id, 3998, ['Ceramic vase']]);
    expect([rb.payload.data.supplierId, rb.payload.data.amount.amountMinor, rb.payload.data.lines.map((l: Json) => l.title)]).toEqual([b.id, 3500, ['Linen throw']]);
    expect(second.requests.some((r) => (r.json as Json)?.data?.supplierId === a.id)).toBe(false);

    // one answer is not enough: the case waits for every supplier
    expect((await answer(sys, a, ra.payload.data.requestId, { decision: 'APPROVED', rmaNumber: 'A-1' })).status).toBe(200);
    const waiting = await waitFor(async () => {
      const c = await sagaOf(sys, tenant, returnId);
      return c.saga?.claims.find((x: Json) => x.supplierId === a.id)?.status === 'APPROVED' ? c : undefined;
    });
    expect(waiting.state).toBe('AWAITING_SUPPLIER');
    expect(refundsFor(o.externalId)).toHaveLength(0);
    // a supplier cannot answer another supplier's request
    expect((await answer(sys, a, rb.payload.data.requestId, { decision: 'APPROVED' })).status).toBe(404);

    expect((await answer(sys, b, rb.payload.data.requestId, { decision: 'PARTIALLY_APPROVED', amountMinor: 2000, reason: 'fabric only partly damaged' })).status).toBe(200);
    const done = await waitForState(sys, tenant, returnId, 'COMPLETED');

    const refunds = refundsFor(o.externalId);
    expect(refunds).toHaveLength(1);
    expect(refunds[0].amountMinor).toBe(2 * 1999 + 3500 + 495);
    expect(done.amounts).toMatchObject({
      currency: 'EUR', refundedMinor: 7993, supplierCreditRequestedMinor: 7498, supplierCreditGrantedMinor: 5998, outflowMinor: 7993, recoveredMinor: 5998, netCostMinor: 1995,
    });
    const grants = done.ledger.filter((l: Json) => l.kind === 'SUPPLIER_CREDIT_GRANTED').map((l: Json) => [l.reference, l.amountMinor]);
    expect(grants).toEqual(expect.arrayContaining([[ra.payload.data.requestId, 3998], [rb.payload.data.requestId, 2000]]));
    expect(grants).toHaveLength(2);
    expect(done.ledger.filter((l: Json) => l.kind === 'REFUND')).toHaveLength(1);
    await sys.smtp.waitFor((m) => m.to.includes(o.customer.email) && /refund of €79\.93/.test(m.subject), 20_000);

    const recovery = await sys.http.get('/reports/recovery', auth(tenant.apiKey));
    expect(recovery.status).toBe(200);
    expect(recovery.data.suppliers).toEqual([
      { supplierId: a.id, supplierName: 'Alpha Ceramics', currency: 'EUR', cases: 1, requestedMinor: 3998, grantedMinor: 3998, recoveryRate: 1 },
      { supplierId: b.id, supplierName: 'Beta Textiles', currency: 'EUR', cases: 1, requestedMinor: 3500, grantedMinor: 2000, recoveryRate: 2000 / 3500 },
    ]);
    expect(recovery.data.totals).toEqual([
      { currency: 'EUR', cases: 1, requestedMinor: 7498, grantedMinor: 5998, recoveryRate: 5998 / 7498, outflowMinor: 7993, recoveredMinor: 5998, netCostMinor: 1995 },
    ]);

    const csv = await sys.http.get('/reports/ledger.csv', auth(tenant.apiKey));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [header, row, ...rest] = String(csv.data).trimEnd().split('\r\n');
    expect(rest).toEqual([]);
    expect(header).toBe('date,order,return_id,event_type,reason,state,refunded,goodwill,store_credit,return_shipping,restocking_fee,supplier_credit_requested,supplier_credit_granted,net_cost,currency,shop_currency,refund_status,supplier_credit_status,not_recoverable');
    const date = String(done.reportedAt).slice(0, 10);
    expect(row).toBe(`${date},${o.externalId},${returnId},DAMAGED,box crushed,COMPLETED,79.93,0.00,0.00,0.00,0.00,74.98,59.98,19.95,EUR,EUR,REFUNDED,PARTIAL,`);
  });

  it('two suppliers, one rejects: the case escalates with its reason, the other grant stays in the ledger, no refund above the auto-approve limit', async () => {
    const tenant = await createTenant(sys, { autoApproveBelowMinor: 0 });
    const a = await linkAt(tenant, sys.supplier, 'Alpha Ceramics');
    const b = await linkAt(tenant, second, 'Beta Textiles');
    const o = await order(tenant, [
      { supplier: a, title: 'Ceramic vase', quantity: 1, unitPriceMinor: 2500 },
      { supplier: b, title: 'Linen throw', quantity: 1, unitPriceMinor: 3500 },
    ]);
    const { data } = await sys.http.post('/returns', { orderId: o.id, eventType: 'DAMAGED', evidenceUrls: ['https://photos.example.test/x.jpg'] }, auth(tenant.apiKey));
    const ra = await requestAt(sys.supplier, o.externalId);
    const rb = await requestAt(second, o.externalId);
    await answer(sys, b, rb.payload.data.requestId, { decision: 'REJECTED', reason: 'packed by the carrier, not by us' });
    await answer(sys, a, ra.payload.data.requestId, { decision: 'APPROVED' });

    const escalated = await waitFor(async () => {
      const c = await sagaOf(sys, tenant, data.returnId);
      return c.state === 'ESCALATED' && c.saga.claims.every((x: Json) => x.status !== 'REQUESTED' && x.status !== 'DELIVERED') ? c : undefined;
    }, { timeoutMs: 20_000, message: 'escalated with both answers' });
    expect(escalated.saga.escalation).toContain('packed by the carrier, not by us');
    expect(Object.fromEntries(escalated.saga.claims.map((c: Json) => [c.supplierId, c.status]))).toEqual({ [a.id]: 'APPROVED', [b.id]: 'REJECTED' });
    expect(escalated.amounts).toMatchObject({ refundedMinor: 0, supplierCreditRequestedMinor: 6000, supplierCreditGrantedMinor: 2500, netCostMinor: -2500 });
    await sys.smtp.waitFor((m) => m.to.includes(o.customer.email) && /reviewing your claim/.test(m.subject), 20_000);
    expect(refundsFor(o.externalId)).toHaveLength(0);

    const recovery = (await sys.http.get('/reports/recovery', auth(tenant.apiKey))).data;
    expect(recovery.suppliers.map((s: Json) => [s.supplierName, s.requestedMinor, s.grantedMinor, s.recoveryRate])).toEqual([
      ['Alpha Ceramics', 2500, 2500, 1], ['Beta Textiles', 3500, 0, 0],
    ]);
    const line = String((await sys.http.get('/reports/ledger.csv', auth(tenant.apiKey))).data).trimEnd().split('\r\n')[1];
    const row = line.split(',');
    expect(row.slice(5, 18)).toEqual(['ESCALATED', '0.00', '0.00', '0.00', '0.00', '0.00', '60.00', '25.00', '-25.00', 'EUR', 'EUR', 'NONE', 'PARTIAL']);
    // not_recoverable: the rejection's reason (quoted: it has a comma), as the ops case view gives it
    expect(line.endsWith(',"supplier rejected: packed by the carrier, not by us"')).toBe(true);
  });

  it('refunds in the order’s currency and records the shop currency (DKK order, EUR shop)', async () => {
    const tenant = await createTenant(sys);
    const s = await linkAt(tenant, sys.supplier, 'Nordic Goods');
    const o = await order(tenant, [{ supplier: s, title: 'Wool blanket', quantity: 1, unitPriceMinor: 49_900 }], { currency: 'DKK', shippingMinor: 3_900 });
    const { data } = await sys.http.post('/returns', { orderId: o.id, eventType: 'DAMAGED', evidenceUrls: ['https://photos.example.test/w.jpg'] }, auth(tenant.apiKey));
    const r = await requestAt(sys.supplier, o.externalId);
    expect(r.payload.data.amount).toEqual({ amountMinor: 49_900, currency: 'DKK', decimal: '499.00' });
    await answer(sys, s, r.payload.data.requestId, { decision: 'APPROVED' });
    const done = await waitForState(sys, tenant, data.returnId, 'COMPLETED');

    const [refund] = refundsFor(o.externalId);
    expect([refund.currency, refund.amountMinor]).toEqual(['DKK', 53_800]);
    expect((refundCallsFor(o.externalId)[0].json as Json).variables.input.transactions[0].amount).toBe('538.00');
    const [row] = await sys.sql<{ currency: string; shop_currency: string; amount_minor: string }>(`SELECT currency, shop_currency, amount_minor FROM refunds WHERE return_id = $1`, [data.returnId]);
    expect(row).toEqual({ currency: 'DKK', shop_currency: 'EUR', amount_minor: '53800' });
    expect(done.amounts).toMatchObject({ currency: 'DKK', shopCurrency: 'EUR', refundedMinor: 53_800, netCostMinor: 3_900 });
    expect(done.ledger.every((l: Json) => l.currency === 'DKK')).toBe(true);
    await sys.smtp.waitFor((m) => m.to.includes(o.customer.email) && /refund of DKK\s?538\.00/.test(m.subject), 20_000);
    const csvRow = String((await sys.http.get('/reports/ledger.csv', auth(tenant.apiKey))).data).trimEnd().split('\r\n')[1].split(',');
    expect(csvRow.slice(6, 7).concat(csvRow.slice(14, 16))).toEqual(['538.00', 'DKK', 'EUR']);
  });

  it('zero-decimal currency: a JPY refund completes (Shopify answers "4493.0")', async () => {
    const tenant = await createTenant(sys);
    const s = await linkAt(tenant, sys.supplier, 'Tokyo Trade');
    const o = await order(tenant, [{ supplier: s, title: 'Teapot', quantity: 2, unitPriceMinor: 1999 }], { currency: 'JPY', shippingMinor: 495 });
    const { data } = await sys.http.post('/returns', { orderId: o.id, eventType: 'DAMAGED', evidenceUrls: ['https://photos.example.test/t.jpg'] }, auth(tenant.apiKey));
    const r = await requestAt(sys.supplier, o.externalId);
    await answer(sys, s, r.payload.data.requestId, { decision: 'APPROVED' });
    const done = await waitForState(sys, tenant, data.returnId, 'COMPLETED');
    expect(refundsFor(o.externalId).map((x) => [x.currency, x.amountMinor])).toEqual([['JPY', 4493]]);
    expect((refundCallsFor(o.externalId)[0].json as Json).variables.input.transactions[0].amount).toBe('4493');
    expect(done.amounts).toMatchObject({ currency: 'JPY', refundedMinor: 4493 });
  });

  it('the store fails three times, then recovers: retried with the same idempotency key, exactly one refund, case COMPLETED', async () => {
    const tenant = await createTenant(sys);
    const s = await linkAt(tenant, sys.supplier, 'Flaky Store Supplier');
    const o = await order(tenant, [{ supplier: s, title: 'Lamp', quantity: 1, unitPriceMinor: 5000 }]);
    const { data } = await sys.http.post('/returns', { orderId: o.id, eventType: 'DAMAGED', evidenceUrls: ['https://photos.example.test/l.jpg'] }, auth(tenant.apiKey));
    const r = await requestAt(sys.supplier, o.externalId);
    sys.shop.failNext(3);
    await answer(sys, s, r.payload.data.requestId, { decision: 'APPROVED' });

    await driveUntil(() => refundsFor(o.externalId).length > 0, 'refund after three failures');
    const done = await waitForState(sys, tenant, data.returnId, 'COMPLETED');

    const calls = refundCallsFor(o.externalId);
    expect(calls.map((c) => c.status)).toEqual([500, 500, 500, 200]);
    const keys = new Set(calls.map((c) => (c.json as Json).variables.idempotencyKey));
    expect(keys.size).toBe(1);
    expect(refundsFor(o.externalId)).toHaveLength(1);
    expect(refundsFor(o.externalId)[0].key).toBe([...keys][0]);
    expect(sys.shop.refundedMinor(o.externalId)).toBe(5495);
    const [row] = await sys.sql<{ id: string; status: string; attempts: number }>(`SELECT id, status, attempts FROM refunds WHERE return_id = $1`, [data.returnId]);
    expect(row).toEqual({ id: [...keys][0], status: 'SUCCEEDED', attempts: 4 });
    expect(done.ledger.filter((l: Json) => l.kind === 'REFUND')).toEqual([expect.objectContaining({ amountMinor: 5495, reference: row.id })]);
    await sys.smtp.waitFor((m) => m.to.includes(o.customer.email) && /refund of €54\.95/.test(m.subject), 20_000);
    expect(sys.smtp.messages.filter((m) => m.to.includes(o.customer.email) && /refund of/.test(m.subject))).toHaveLength(1);
  });

  it('ambiguous failure: the store refunds but the answer is lost; the retry with the same key is replayed, still exactly one refund', async () => {
    const tenant = await createTenant(sys);
    const s = await linkAt(tenant, sys.supplier, 'Lost Answer Supplier');
    const o = await order(tenant, [{ supplier: s, title: 'Mirror', quantity: 1, unitPriceMinor: 7000 }]);
    const { data } = await sys.http.post('/returns', { orderId: o.id, eventType: 'DAMAGED', evidenceUrls: ['https://photos.example.test/m.jpg'] }, auth(tenant.apiKey));
    const r = await requestAt(sys.supplier, o.externalId);
    sys.shop.timeoutAfterSuccessNext(1);
    await answer(sys, s, r.payload.data.requestId, { decision: 'APPROVED' });

    await driveUntil(() => refundCallsFor(o.externalId).some((c) => c.outcome === 'replayed'), 'replayed refundCreate');
    await waitForState(sys, tenant, data.returnId, 'COMPLETED');
    const calls = refundCallsFor(o.externalId);
    expect(calls.map((c) => [c.outcome, c.dropped])).toEqual([['refund-created', true], ['replayed', false]]);
    expect(new Set(calls.map((c) => (c.json as Json).variables.idempotencyKey)).size).toBe(1);
    expect(refundsFor(o.externalId)).toHaveLength(1);
    expect(sys.shop.refundedMinor(o.externalId)).toBe(7495);
    const [row] = await sys.sql<{ status: string; attempts: number }>(`SELECT status, attempts FROM refunds WHERE return_id = $1`, [data.returnId]);
    expect(row).toEqual({ status: 'SUCCEEDED', attempts: 2 });
  });

  it('ledger CSV: date filters, spreadsheet-safe text, tenant isolation, 400 for bad dates', async () => {
    const tenant = await createTenant(sys);
    const other = await createTenant(sys);
    const s = await linkAt(tenant, sys.supplier, 'CSV Supplier');
    const o = await order(tenant, [{ supplier: s, title: 'Chair', quantity: 1, unitPriceMinor: 1000 }]);
    const reason = '=HYPERLINK("http://evil.test"), "quoted"';
    const { data } = await sys.http.post('/returns', { orderId: o.id, eventType: 'DAMAGED', reason, evidenceUrls: ['https://photos.example.test/c.jpg'] }, auth(tenant.apiKey));
    const view = await waitForState(sys, tenant, data.returnId, 'AWAITING_SUPPLIER');
    const day = String(view.reportedAt).slice(0, 10);
    const dayBefore = new Date(new Date(`${day}T00:00:00Z`).getTime() - DAY).toISOString().slice(0, 10);

    const lines = async (key: string, query = '') => String((await sys.http.get(`/reports/ledger.csv${query}`, auth(key))).data).trimEnd().split('\r\n');
    const all = await lines(tenant.apiKey);
    expect(all).toHaveLength(2);
    // quoted by the CSV library, and the leading "=" neutralised so a spreadsheet shows text
    expect(all[1]).toContain(`,"'=HYPERLINK(""http://evil.test""), ""quoted""",AWAITING_SUPPLIER,0.00,`);
    expect(all[1]).toMatch(/,EUR,EUR,NONE,PENDING,$/);
    expect(await lines(tenant.apiKey, `?from=${day}&to=${day}`)).toHaveLength(2);
    expect(await lines(tenant.apiKey, `?from=${day}`)).toHaveLength(2);
    expect(await lines(tenant.apiKey, `?to=${dayBefore}`)).toHaveLength(1);
    expect(await lines(tenant.apiKey, `?from=${dayBefore}&to=${dayBefore}`)).toHaveLength(1);
    expect(await lines(other.apiKey)).toHaveLength(1);
    expect((await sys.http.get('/reports/recovery', auth(other.apiKey))).data).toEqual({ from: null, to: null, suppliers: [], totals: [] });

    const bad = await sys.http.get('/reports/ledger.csv?from=2025-13-01&to=yesterday', auth(tenant.apiKey));
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.data)).toEqual(['from', 'to']);
    const reversed = await sys.http.get(`/reports/recovery?from=${day}&to=${dayBefore}`, auth(tenant.apiKey));
    expect(reversed.status).toBe(400);
    expect((await sys.http.get('/reports/ledger.csv')).status).toBe(401);
  });
});
