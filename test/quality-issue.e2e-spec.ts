import { advance, answer, auth, createTenant, DAY, linkSupplier, registerOrder, sagaOf, signedPayload, trackEvent, waitForState, webhookFor } from './support/scenario';
import { startSystem, System, waitFor } from './support/system';

const RETURN_REQUIRED = { returnRequiredFor: ['QUALITY_ISSUE'], evidenceRequiredFor: [], returnAddress: 'Shenzhen Goods Returns, Keizersgracht 1, Amsterdam' };

describe('QUALITY_ISSUE return, end to end', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  /** A quality claim on a delivered order, answered APPROVED with a label: the case then awaits the parcel. */
  async function approvedWithReturn(policy: Record<string, unknown> = { refundTiming: 'ON_RETURN_RECEIVED' }) {
    const tenant = await createTenant(sys, policy);
    const supplier = await linkSupplier(sys, tenant, RETURN_REQUIRED);
    const order = await registerOrder(sys, tenant, [supplier], { deliveredDaysAgo: 5 });
    const res = await sys.http.post('/returns', { orderId: order.id, eventType: 'QUALITY_ISSUE', reason: 'Glaze is cracked', evidenceUrls: ['https://photos.example.test/q1.jpg'] }, auth(tenant.apiKey));
    expect(res.status).toBe(202);
    const returnId: string = res.data.returnId;
    const { payload } = await webhookFor(sys, order.externalId);
    await waitForState(sys, tenant, returnId, 'AWAITING_SUPPLIER');
    await answer(sys, supplier, payload.data.requestId, { decision: 'APPROVED', rmaNumber: 'RMA-Q1', returnLabelUrl: 'https://labels.example.test/q1.pdf' });
    await waitForState(sys, tenant, returnId, 'AWAITING_RETURN');
    return { tenant, supplier, order, returnId };
  }

  it('return required: label to the customer, scans through the tracking API, refund when the parcel is received', async () => {
    const { tenant, order, returnId } = await approvedWithReturn();
    const instructions = await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /how to return your item/.test(m.subject), 20_000);
    expect(instructions.text).toContain('https://labels.example.test/q1.pdf');
    expect(instructions.text).toContain('RMA-Q1');
    expect(instructions.text).toContain('Keizersgracht 1');
    expect(instructions.text).toMatch(/send it before \d{1,2} \w+ \d{4}/);
    expect(sys.shop.refunds.filter((r) => r.orderId === order.externalId)).toHaveLength(0);

    expect((await trackEvent(sys, tenant, returnId, { status: 'RETURN_IN_TRANSIT', carrier: 'DHL', trackingNumber: 'JVGL0042' })).status).toBe(202);
    const inTransit = await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /return is on its way/.test(m.subject), 20_000);
    expect(inTransit.text).toContain('JVGL0042');
    expect((await sagaOf(sys, tenant, returnId)).state).toBe('AWAITING_RETURN');

    await trackEvent(sys, tenant, returnId, { status: 'RETURN_RECEIVED', carrier: 'warehouse' });
    await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /received your return/.test(m.subject), 20_000);
    const done = await waitForState(sys, tenant, returnId, 'COMPLETED');
    const refunds = sys.shop.refunds.filter((r) => r.orderId === order.externalId);
    expect(refunds).toHaveLength(1);
    expect(refunds[0].amountMinor).toBe(2 * 1999 + 495);
    expect(done.timeline.map((t: { to: string }) => t.to)).toEqual(expect.arrayContaining(['AWAITING_SUPPLIER', 'AWAITING_RETURN', 'REFUNDING', 'COMPLETED']));
    expect(done.amounts).toMatchObject({ refundedMinor: 4493, supplierCreditGrantedMinor: 3998, netCostMinor: 495 });
  });

  it('parcel never returned: ABANDONED after 30 days, without a refund', async () => {
    const { tenant, order, returnId } = await approvedWithReturn();
    await advance(sys, 29 * DAY);
    expect((await sagaOf(sys, tenant, returnId)).state).toBe('AWAITING_RETURN');
    await advance(sys, DAY + 60_000);
    const abandoned = await waitForState(sys, tenant, returnId, 'ABANDONED');
    expect(abandoned.saga.closedAt).not.toBeNull();
    expect(sys.shop.refunds.filter((r) => r.orderId === order.externalId)).toHaveLength(0);
    expect(abandoned.amounts.refundedMinor).toBe(0);
    // A late scan changes nothing once the case is closed.
    await trackEvent(sys, tenant, returnId, { status: 'RETURN_RECEIVED' });
    await waitFor(async () => (await sagaOf(sys, tenant, returnId)).timeline.some((t: { cause: string }) => /ReturnReceived/.test(t.cause)), { timeoutMs: 20_000 });
    expect((await sagaOf(sys, tenant, returnId)).state).toBe('ABANDONED');
    expect(sys.shop.refunds.filter((r) => r.orderId === order.externalId)).toHaveLength(0);
  });

  it('supplier REJECTED: ESCALATED with the reason and no refund', async () => {
    const tenant = await createTenant(sys, { refundTiming: 'ON_RETURN_RECEIVED' });
    const supplier = await linkSupplier(sys, tenant, RETURN_REQUIRED);
    const order = await registerOrder(sys, tenant, [supplier], { deliveredDaysAgo: 5 });
    const { data } = await sys.http.post('/returns', { orderId: order.id, eventType: 'QUALITY_ISSUE', evidenceUrls: ['https://photos.example.test/q2.jpg'] }, auth(tenant.apiKey));
    const { payload } = await webhookFor(sys, order.externalId);
    await answer(sys, supplier, payload.data.requestId, { decision: 'REJECTED', reason: 'signs of misuse' });
    const escalated = await waitForState(sys, tenant, data.returnId, 'ESCALATED');
    expect(escalated.saga.escalation).toContain('signs of misuse');
    await sys.smtp.waitFor((m) => m.to.includes(order.customer.email) && /reviewing your claim/.test(m.subject), 20_000);
    expect(sys.shop.refunds.filter((r) => r.orderId === order.externalId)).toHaveLength(0);
  });

  it('no return required: credit on evidence; NEEDS_EVIDENCE is collected through the tracking API and the claim resent', async () => {
    const tenant = await createTenant(sys);
    const supplier = await linkSupplier(sys, tenant, { evidenceRequiredFor: ['QUALITY_ISSUE'] });
    const order = await registerOrder(sys, tenant, [supplier], { deliveredDaysAgo: 3 });
    const { data } = await sys.http.post('/returns', { orderId: order.id, eventType: 'QUALITY_ISSUE', evidenceUrls: ['https://photos.example.test/blurry.jpg'] }, auth(tenant.apiKey));
    const first = await webhookFor(sys, order.externalId);
    await answer(sys, supplier, first.payload.data.requestId, { decision: 'NEEDS_EVIDENCE', reason: 'photo of the defect in daylight please' });
    await waitForState(sys, tenant, data.returnId, 'AWAITING_EVIDENCE');

    expect((await trackEvent(sys, tenant, data.returnId, { status: 'EVIDENCE_ADDED', evidenceUrls: ['https://photos.example.test/daylight.jpg'] })).status).toBe(202);
    const resent = await waitFor(() => sys.supplier.requests.find((r) => {
      const j = r.json as { type?: string; data?: { orderId?: string; requestId?: string } };
      return j?.type === 'rma.credit_requested' && j.data?.orderId === order.externalId && j.data.requestId !== first.payload.data.requestId;
    }), { timeoutMs: 20_000, message: 'the claim resent with the evidence' });
    const second = signedPayload(sys, resent) as { data: { requestId: string; evidenceUrls: string[] } };
    expect(second.data.evidenceUrls).toEqual(['https://photos.example.test/blurry.jpg', 'https://photos.example.test/daylight.jpg']);
    await waitForState(sys, tenant, data.returnId, 'AWAITING_SUPPLIER');

    await answer(sys, supplier, second.data.requestId, { decision: 'PARTIALLY_APPROVED', amountMinor: 2000 });
    const done = await waitForState(sys, tenant, data.returnId, 'COMPLETED');
    expect(done.amounts).toMatchObject({ refundedMinor: 4493, supplierCreditGrantedMinor: 2000, netCostMinor: 2493 });
    expect(sys.smtp.messages.some((m) => m.to.includes(order.customer.email) && /how to return/.test(m.subject))).toBe(false);
  });

  it('not a defect: the supplier\'s restocking fee is withheld from the refund', async () => {
    const tenant = await createTenant(sys);
    const supplier = await linkSupplier(sys, tenant, { evidenceRequiredFor: [], restockingFeePercent: 15 });
    const order = await registerOrder(sys, tenant, [supplier], { deliveredDaysAgo: 3 });
    const { data } = await sys.http.post('/returns', { orderId: order.id, eventType: 'QUALITY_ISSUE', reason: 'Colour not as pictured', defect: false }, auth(tenant.apiKey));
    const { payload } = await webhookFor(sys, order.externalId);
    await answer(sys, supplier, payload.data.requestId, { decision: 'APPROVED' });
    await waitForState(sys, tenant, data.returnId, 'COMPLETED');
    const refunds = sys.shop.refunds.filter((r) => r.orderId === order.externalId);
    expect(refunds).toHaveLength(1);
    expect(refunds[0].amountMinor).toBe(4493 - 599); // 15% of 39.98, rounded down in the customer's favour
  });
});
