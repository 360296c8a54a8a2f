import { randomUUID } from 'crypto';
import { Kafka, logLevel, Producer } from 'kafkajs';
import { buildEnvelope, Envelope, IssueRefund, Topics } from '@app/contracts';
import { Metrics } from '@app/platform';
import { startSystem, System, waitFor } from '../support/system';
import { reportFigures } from './support/figures';
import { createTenant, linkSupplier, Order, registerOrders, Tenant } from './support/world';

/**
 * Fault 6: the same message delivered three times (a producer retry, a relay
 * that crashed between publishing and deleting, a consumer that crashed
 * before committing its offset): one effect. The effect is counted where it
 * matters, at the store: refunds.
 */
describe('fault: the same message delivered 3 times', () => {
  let sys: System;
  let tenant: Tenant;
  let orders: Order[];
  let producer: Producer;
  beforeAll(async () => {
    const fast = { KAFKA_SESSION_TIMEOUT_MS: 6000, KAFKA_FETCH_MAX_WAIT_MS: 20 };
    sys = await startSystem({ services: ['api', 'refunds'], config: { api: fast, refunds: fast } });
    tenant = await createTenant(sys);
    orders = await registerOrders(sys, tenant, await linkSupplier(sys, tenant), 3, { now: sys.clock.now() });
    producer = new Kafka({ clientId: 'fault-test', brokers: sys.kafka.brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await sys?.stop();
  });

  const issueRefund = (o: Order, refundId = randomUUID()) => buildEnvelope<IssueRefund>('IssueRefund', { returnId: randomUUID(), tenantId: tenant.tenantId, producer: 'orchestrator' }, {
    sagaId: randomUUID(), refundId, purpose: 'CUSTOMER_REFUND', externalOrderId: o.externalId, currency: 'EUR', shopCurrency: 'EUR', amountMinor: 2 * 1999 + 495,
    lines: [{ externalLineId: o.lines[0].externalId, quantity: 2, amountMinor: 2 * 1999 }], shippingMinor: 495, note: 'fault test',
  });
  const send = (...envs: Envelope<object>[]) => producer.send({ topic: Topics.RefundCommands, acks: -1, messages: envs.map((e) => ({ key: e.returnId, value: JSON.stringify(e) })) });

  /** The refunds service has handled `ok` messages and skipped `duplicate` ones (its own counters), and every refund attempt finished. */
  async function settled(ok: number, duplicate: number): Promise<void> {
    const metrics = sys.apps.refunds!.get(Metrics);
    const count = async (result: string) => (await metrics.consumed.get()).values.filter((v) => v.labels.topic === Topics.RefundCommands && v.labels.result === result).reduce((n, v) => n + v.value, 0);
    await waitFor(async () => {
      const [{ n }] = await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM tasks WHERE queue = 'refund' AND status = 'PENDING'`);
      return (await count('ok')) === ok && (await count('duplicate')) === duplicate && Number(n) === 0;
    }, { timeoutMs: 30_000, intervalMs: 100, message: `${ok} refund commands handled, ${duplicate} skipped as duplicates, refunds settled` });
  }
  const refundsFor = (o: Order) => sys.shop.refunds.filter((r) => r.orderId === o.externalId);
  const inboxRows = async (id: string) => Number((await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM inbox WHERE message_id = $1`, [id]))[0].n);

  it('three copies in one batch, a fourth copy after it was handled, and the command re-sent under new message ids: one refund each', async () => {
    // A: three copies back to back (one fetch, one batch: deduped inside the batch).
    const a = issueRefund(orders[0]);
    await send(a, a, a);
    // B: handled first, then delivered twice more (deduped by the inbox across transactions).
    const b = issueRefund(orders[1]);
    await send(b);
    await waitFor(async () => (await inboxRows(b.id)) === 1, { timeoutMs: 20_000 });
    await send(b, b);
    // C: the same refund asked for three times by different messages (a saga step retried): deduped by the refund id.
    const refundId = randomUUID();
    const c = [issueRefund(orders[2], refundId), issueRefund(orders[2], refundId), issueRefund(orders[2], refundId)];
    await send(c[0]);
    await send(c[1], c[2]);
    await settled(5, 4); // a, b, c×3 handled; a×2 and b×2 skipped

    expect(refundsFor(orders[0])).toHaveLength(1);
    expect(refundsFor(orders[1])).toHaveLength(1);
    expect(refundsFor(orders[2])).toHaveLength(1);
    expect(sys.shop.refunds).toHaveLength(3);
    expect(refundsFor(orders[0])[0].key).toBe(a.payload.refundId);
    expect(refundsFor(orders[2])[0].key).toBe(refundId);
    expect(await inboxRows(a.id)).toBe(1);
    expect(await inboxRows(b.id)).toBe(1);
    const rows = await sys.sql<{ id: string; status: string }>(`SELECT id, status FROM refunds`);
    expect(rows.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);

    reportFigures('6. The same message delivered 3 times', {
      deliveries: { sameBatch: 3, afterHandled: 3, sameRefundNewMessageIds: 3 },
      refundsAtStore: sys.shop.refunds.length,
      expectedRefunds: 3,
      storeCalls: sys.shop.refundCreateRequests.length,
      handled: 5,
      skippedAsDuplicates: 4,
    });
  }, 120_000);
});
