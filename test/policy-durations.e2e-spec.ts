import { advance, answer, auth, createTenant, fieldsOf, linkSupplier, registerOrder, reminderFor, sagaOf, waitForState, webhookFor } from './support/scenario';
import { startSystem, System, waitFor } from './support/system';

const MIN = 60_000;

/**
 * Policies in minutes (ISO 8601 durations), so a dropshipper can try one in
 * staging: the supplier SLA, tracking silence and the parcel deadline. Tests
 * run outside production, where a minute is the shortest accepted.
 */
describe('Policy durations in ISO 8601 (staging: minutes)', () => {
  let sys: System;
  beforeAll(async () => {
    sys = await startSystem();
  });
  afterAll(async () => {
    await sys?.stop();
  });

  const timerAt = async (sagaId: string, timer: string) => waitFor(async () => {
    const [t] = await sys.sql<{ run_at: Date; status: string }>(`SELECT run_at, status FROM tasks WHERE queue = 'saga-timer' AND dedupe_key = $1`, [`${sagaId}:${timer}`]);
    return t;
  }, { message: `timer ${timer}` });

  it('a supplier SLA of PT15M: the answer deadline and answerBy are 15 minutes out; the reminder goes after them', async () => {
    const t = await createTenant(sys);
    const s = await linkSupplier(sys, t, { sla: 'PT15M', evidenceRequiredFor: [] });
    const order = await registerOrder(sys, t, [s], { deliveredDaysAgo: 2 });
    const res = await sys.http.post('/returns', { orderId: order.id, eventType: 'DAMAGED' }, auth(t.apiKey));
    const c = await waitForState(sys, t, res.data.returnId, 'AWAITING_SUPPLIER');
    const { payload } = await webhookFor(sys, order.externalId);
    const sla = await timerAt(c.saga.id, `SUPPLIER_SLA:${s.id}`);
    const sent = new Date(c.saga.startedAt).getTime();
    expect(Math.round((new Date(sla.run_at).getTime() - sent) / MIN)).toBe(15);
    expect(Math.round((Date.parse((payload.data as unknown as { answerBy: string }).answerBy) - sent) / MIN)).toBe(15);
    await advance(sys, 16 * MIN);
    await reminderFor(sys, payload.data.requestId);
  });

  it('tracking silence of PT30M declares a LOST parcel lost after 30 minutes, not days', async () => {
    const t = await createTenant(sys, { lostAfterSilent: 'PT30M', refundTiming: 'IMMEDIATE' });
    const s = await linkSupplier(sys, t);
    const order = await registerOrder(sys, t, [s], { promisedDaysAgo: 10 });
    const res = await sys.http.post('/returns', { orderId: order.id, eventType: 'LOST', resolution: 'REFUND' }, auth(t.apiKey));
    const c = await waitForState(sys, t, res.data.returnId, 'AWAITING_CARRIER');
    const silent = await timerAt(c.saga.id, 'TRACKING_SILENT');
    expect(Math.round((new Date(silent.run_at).getTime() - new Date(c.saga.startedAt).getTime()) / MIN)).toBe(30);
    await advance(sys, 29 * MIN);
    expect((await sagaOf(sys, t, res.data.returnId)).state).toBe('AWAITING_CARRIER');
    await advance(sys, 2 * MIN);
    await waitFor(async () => (await sagaOf(sys, t, res.data.returnId)).state !== 'AWAITING_CARRIER', { timeoutMs: 20_000, message: 'declared lost' });
  });

  it('a parcel deadline of PT2H (a policy now, 30 days by default) abandons an unreturned item after 2 hours', async () => {
    const t = await createTenant(sys, { parcelDeadline: 'PT2H', refundTiming: 'ON_RETURN_RECEIVED' });
    const s = await linkSupplier(sys, t, { returnRequiredFor: ['QUALITY_ISSUE'], evidenceRequiredFor: [], returnAddress: 'Returns, Keizersgracht 1, Amsterdam' });
    const order = await registerOrder(sys, t, [s], { deliveredDaysAgo: 5 });
    const res = await sys.http.post('/returns', { orderId: order.id, eventType: 'QUALITY_ISSUE', evidenceUrls: ['https://photos.example.test/q.jpg'] }, auth(t.apiKey));
    const { payload } = await webhookFor(sys, order.externalId);
    await waitForState(sys, t, res.data.returnId, 'AWAITING_SUPPLIER');
    await answer(sys, s, payload.data.requestId, { decision: 'APPROVED', rmaNumber: 'RMA-D1' });
    const c = await waitForState(sys, t, res.data.returnId, 'AWAITING_RETURN');
    const deadline = await timerAt(c.saga.id, 'PARCEL_DEADLINE');
    expect(Math.round((new Date(deadline.run_at).getTime() - sys.clock.now().getTime()) / MIN)).toBeLessThanOrEqual(120);
    await advance(sys, 119 * MIN);
    expect((await sagaOf(sys, t, res.data.returnId)).state).toBe('AWAITING_RETURN');
    await advance(sys, 2 * MIN);
    const abandoned = await waitForState(sys, t, res.data.returnId, 'ABANDONED');
    expect(abandoned.saga.escalation ?? '').not.toMatch(/30 days/);
  });

  it('refuses durations that are not ISO 8601 (or in months), naming the field; numeric fields still work', async () => {
    const t = await createTenant(sys);
    const bad = await sys.http.post('/suppliers', { name: 'x', webhookUrl: sys.supplier.url('/w'), policy: { returnWindowDays: 30, sla: '15 minutes' } }, auth(t.apiKey));
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.data)).toEqual(expect.arrayContaining([expect.stringMatching(/sla/)]));
    const months = await sys.http.put('/tenant/policy', { parcelDeadline: 'P1M' }, auth(t.apiKey));
    expect(months.status).toBe(400);
    const tooShort = await sys.http.put('/tenant/policy', { lostAfterSilent: 'PT30S' }, auth(t.apiKey));
    expect(tooShort.status).toBe(400);
    expect(fieldsOf(tooShort.data)).toEqual(['lostAfterSilent']);
    expect((await sys.http.put('/tenant/policy', { lostAfterSilentDays: 2, parcelDeadline: 'P14D' }, auth(t.apiKey))).status).toBe(200);
  });
});
