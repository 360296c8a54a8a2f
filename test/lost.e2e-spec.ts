import { advance, answer, auth, createTenant, DAY, linkSupplier, registerOrder, sagaOf, trackEvent, waitForState, webhookFor, fieldsOf } from './support/scenario';
import { startSystem, System, waitFor } from './support/system';

describe('LOST return, end to end', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  /** A parcel not delivered, reported lost; waits until the case watches the carrier. */
  async function reportLost(policy: Record<string, unknown> = {}, body: Record<string, unknown> = {}) {
    const tenant = await createTenant(sys, policy);
    const supplier = await linkSupplier(sys, tenant);
    const order = await registerOrder(sys, tenant, [supplier], {});
    const res = await sys.http.post('/returns', { orderId: order.id, eventType: 'LOST', ...body }, auth(tenant.apiKey));
    expect(res.status).toBe(202);
    await waitForState(sys, tenant, res.data.returnId, 'AWAITING_CARRIER');
    return { tenant, supplier, order, returnId: res.data.returnId as string };
  }

  it('carrier declares it lost: refund at once, credit request to the supplier, recovered on approval', async () => {
    const { tenant, supplier, order, returnId } = await reportLost({ refundTiming: 'ON_SUPPLIER_APPROVAL' });
    await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /received your claim/.test(m.subject), 20_000);
    expect(sys.supplier.requests.filter((r) => (r.json as { data?: { orderId?: string } })?.data?.orderId === order.externalId)).toHaveLength(0);

    const scan = await trackEvent(sys, tenant, returnId, { status: 'ORDER_LOST', carrier: 'PostNL', trackingNumber: '3SABC123' });
    expect(scan.status).toBe(202);
    expect(scan.data).toMatchObject({ returnId, status: 'ORDER_LOST' });

    const lostMail = await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /was lost/.test(m.subject), 20_000);
    expect(lostMail.text).toContain('We are refunding you right away.');
    // The refund does not wait for the supplier.
    const refund = await waitFor(() => sys.shop.refunds.find((r) => r.orderId === order.externalId), { timeoutMs: 20_000 });
    expect(refund.amountMinor).toBe(2 * 1999 + 495);
    const { payload } = await webhookFor(sys, order.externalId);
    expect(payload.data).toMatchObject({ kind: 'CREDIT', eventType: 'LOST' });
    await waitForState(sys, tenant, returnId, 'AWAITING_RECOVERY');
    await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /refund of €44\.93/.test(m.subject), 20_000);

    await answer(sys, supplier, payload.data.requestId, { decision: 'APPROVED', amountMinor: 3998 });
    const done = await waitForState(sys, tenant, returnId, 'COMPLETED');
    expect(done.amounts).toMatchObject({ refundedMinor: 4493, supplierCreditRequestedMinor: 3998, supplierCreditGrantedMinor: 3998, netCostMinor: 495 });
    expect(done.timeline.map((t: { cause: string }) => t.cause)).toEqual(expect.arrayContaining(['OrderLost']));
    expect(sys.shop.refunds.filter((r) => r.orderId === order.externalId)).toHaveLength(1);
  });

  it('tracking silent past the threshold declares it lost; a replacement is reshipped by the supplier', async () => {
    const { tenant, supplier, order, returnId } = await reportLost({ lostAfterSilentDays: 2 }, { resolution: 'REPLACEMENT' });
    await advance(sys, DAY);
    expect((await sagaOf(sys, tenant, returnId)).state).toBe('AWAITING_CARRIER');
    await advance(sys, DAY + 60_000);
    await waitForState(sys, tenant, returnId, 'AWAITING_REPLACEMENT');
    const lostMail = await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /was lost/.test(m.subject), 20_000);
    expect(lostMail.text).toContain('We are sending you a new one right away');

    const { payload } = await webhookFor(sys, order.externalId, 'rma.reship_requested');
    await answer(sys, supplier, payload.data.requestId, { decision: 'REPLACEMENT_SHIPPED', trackingNumber: 'NEW-42' });
    const done = await waitForState(sys, tenant, returnId, 'COMPLETED');
    expect(done.timeline.map((t: { cause: string }) => t.cause)).toEqual(expect.arrayContaining(['TrackingSilent [remedyIsReplacement]']));
    await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /replacement has shipped/.test(m.subject) && m.text.includes('NEW-42'), 20_000);
    expect(sys.shop.refunds.filter((r) => r.orderId === order.externalId)).toHaveLength(0);
    expect(done.amounts.netCostMinor).toBe(0);
  });

  it('supplier REJECTED the credit after the refund: ESCALATED, the refund stands, the customer is not troubled', async () => {
    const { tenant, supplier, order, returnId } = await reportLost();
    await trackEvent(sys, tenant, returnId, { status: 'ORDER_LOST' });
    const { payload } = await webhookFor(sys, order.externalId);
    await waitForState(sys, tenant, returnId, 'AWAITING_RECOVERY');
    await answer(sys, supplier, payload.data.requestId, { decision: 'REJECTED', reason: 'insured shipment: claim with the carrier' });
    const escalated = await waitForState(sys, tenant, returnId, 'ESCALATED');
    expect(escalated.saga.escalation).toContain('claim with the carrier');
    expect(escalated.amounts).toMatchObject({ refundedMinor: 4493, supplierCreditGrantedMinor: 0, netCostMinor: 4493 });
    // The step that escalated asked for no customer e-mail (checked on the step, not by waiting for a mail that must not come).
    const step = escalated.timeline.find((t: { from: string; to: string }) => t.to === 'ESCALATED' && t.from !== 'ESCALATED');
    expect(step.detail.effects).toContain('alert');
    expect(step.detail.effects).not.toContain('notify');
  });

  it('the store failing, then recovering: the customer is refunded exactly once', async () => {
    const { tenant, order, returnId } = await reportLost();
    const attemptsBefore = sys.shop.refundCreateRequests.length;
    sys.shop.failNext(2, 503);
    await trackEvent(sys, tenant, returnId, { status: 'ORDER_LOST' });
    await waitForState(sys, tenant, returnId, 'REFUNDING');
    await waitFor(async () => {
      await advance(sys, 30_000);
      return sys.shop.refunds.find((r) => r.orderId === order.externalId);
    }, { timeoutMs: 30_000, message: 'refund once the store answers again' });
    await waitForState(sys, tenant, returnId, 'AWAITING_RECOVERY');
    expect(sys.shop.refundCreateRequests.length - attemptsBefore).toBeGreaterThanOrEqual(3);
    expect(sys.shop.refunds.filter((r) => r.orderId === order.externalId)).toHaveLength(1);
  });

  it('delivered after all: closes as DELIVERED with nothing paid or asked', async () => {
    const { tenant, order, returnId } = await reportLost({ lostAfterSilentDays: 1 });
    await trackEvent(sys, tenant, returnId, { status: 'ORDER_DELIVERED', carrier: 'DHL' });
    const closed = await waitForState(sys, tenant, returnId, 'DELIVERED');
    expect(closed.saga.closedAt).not.toBeNull();
    await advance(sys, 2 * DAY); // the silence timer was stopped
    expect((await sagaOf(sys, tenant, returnId)).state).toBe('DELIVERED');
    expect(sys.shop.refunds.filter((r) => r.orderId === order.externalId)).toHaveLength(0);
    expect(sys.supplier.requests.filter((r) => (r.json as { data?: { orderId?: string } })?.data?.orderId === order.externalId)).toHaveLength(0);
  });

  it('a carrier scan posted right after the intake is applied once the case exists (topics race)', async () => {
    const tenant = await createTenant(sys);
    const supplier = await linkSupplier(sys, tenant);
    const order = await registerOrder(sys, tenant, [supplier], {});
    const { data } = await sys.http.post('/returns', { orderId: order.id, eventType: 'LOST' }, auth(tenant.apiKey));
    expect((await trackEvent(sys, tenant, data.returnId, { status: 'ORDER_LOST' })).status).toBe(202);
    const declared = await waitForState(sys, tenant, data.returnId, ['REFUNDING', 'AWAITING_RECOVERY']);
    expect(declared.timeline.map((t: { cause: string }) => t.cause)).toEqual(expect.arrayContaining(['Started', 'OrderLost']));
  });

  describe('POST /returns/:id/events', () => {
    it('rejects a bad body with 400 naming each field, and emits nothing', async () => {
      const { tenant, returnId } = await reportLost();
      const before = await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM outbox WHERE topic = 'returns.tracking'`);
      const res = await trackEvent(sys, tenant, returnId, { status: 'TELEPORTED', evidenceUrls: ['not a url'], at: 'yesterday', extra: 1 });
      expect(res.status).toBe(400);
      expect(fieldsOf(res.data)).toEqual(expect.arrayContaining(['status', 'evidenceUrls', 'at', 'extra']));
      const noEvidence = await trackEvent(sys, tenant, returnId, { status: 'EVIDENCE_ADDED' });
      expect(noEvidence.status).toBe(400);
      expect(fieldsOf(noEvidence.data)).toEqual(['evidenceUrls']);
      expect((await sys.http.post('/returns/not-a-uuid/events', { status: 'ORDER_LOST' }, auth(tenant.apiKey))).status).toBe(400);
      const after = await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM outbox WHERE topic = 'returns.tracking'`);
      expect(after[0].n).toBe(before[0].n);
      expect((await sagaOf(sys, tenant, returnId)).state).toBe('AWAITING_CARRIER');
    });

    it("another tenant's return, or none: 404; no key: 401", async () => {
      const { returnId } = await reportLost();
      const other = await createTenant(sys);
      expect((await trackEvent(sys, other, returnId, { status: 'ORDER_LOST' })).status).toBe(404);
      expect((await trackEvent(sys, other, '00000000-0000-4000-8000-000000000000', { status: 'ORDER_LOST' })).status).toBe(404);
      expect((await sys.http.post(`/returns/${returnId}/events`, { status: 'ORDER_LOST' })).status).toBe(401);
    });
  });
});
