import { randomUUID } from 'crypto';
import { Kafka, logLevel } from 'kafkajs';
import { buildEnvelope, RequestSupplierAction, Topics } from '@app/contracts';
import { startSystem, System, waitFor } from '../support/system';
import { reportFigures } from './support/figures';
import { createTenant, linkSupplier, Supplier, Tenant } from './support/world';

const TOTAL = 5_000;
const POISON_AT = 2_500;

/**
 * Fault 5: one poison message among 5,000 on one partition (one key). It is
 * valid, but its handler fails every time (the supplier it names is not linked
 * to the tenant): after its attempts it goes to the dead-letter topic with the
 * reason, and the rest of the partition is processed. Reports how long the
 * partition was held up.
 */
describe('fault: one poison message among 5,000', () => {
  let sys: System;
  let tenant: Tenant;
  let supplier: Supplier;
  beforeAll(async () => {
    const fast = { KAFKA_SESSION_TIMEOUT_MS: 6000, KAFKA_FETCH_MAX_WAIT_MS: 20 };
    sys = await startSystem({ services: ['api', 'suppliers'], config: { api: fast, suppliers: fast } });
    tenant = await createTenant(sys);
    supplier = await linkSupplier(sys, tenant);
  });
  afterAll(async () => {
    await sys?.stop();
  });

  it('lands in the dead-letter topic with its reason; the other 4,999 on its partition are processed', async () => {
    const returnId = randomUUID(); // one key: one partition, in order
    const command = (supplierId: string) => buildEnvelope<RequestSupplierAction>('RequestSupplierAction', { returnId, tenantId: tenant.tenantId, producer: 'fault-test' }, {
      sagaId: randomUUID(), requestId: randomUUID(), supplierId, kind: 'CREDIT', eventType: 'DAMAGED', externalOrderId: 'gid://shopify/Order/1',
      lines: [{ lineId: randomUUID(), externalLineId: 'gid://shopify/LineItem/1', sku: 'SKU-1', title: 'Vase', quantity: 1, unitPriceMinor: 1999 }],
      amountMinor: 1999, currency: 'EUR', evidenceUrls: [], reason: 'fault test', answerBy: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const messages = Array.from({ length: TOTAL }, (_, i) => command(i === POISON_AT ? randomUUID() : supplier.id));
    const poison = messages[POISON_AT];

    const kafka = new Kafka({ clientId: 'fault-test', brokers: sys.kafka.brokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const started = Date.now();
    for (let i = 0; i < TOTAL; i += 500) {
      await producer.send({ topic: Topics.SupplierCommands, acks: -1, messages: messages.slice(i, i + 500).map((e) => ({ key: returnId, value: JSON.stringify(e) })) });
    }
    await producer.disconnect();

    const good = messages.filter((_, i) => i !== POISON_AT).map((e) => e.payload.requestId);
    const handled = async () => Number((await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM supplier_requests WHERE id = ANY($1::uuid[])`, [good]))[0].n);
    await waitFor(async () => (await handled()) === TOTAL - 1, { timeoutMs: 150_000, intervalMs: 500, message: `the other ${TOTAL - 1} commands handled` });
    const doneS = (Date.now() - started) / 1000;

    // The poison is parked, unchanged, with why and where it came from.
    const consumer = kafka.consumer({ groupId: `dlq-${randomUUID()}`, sessionTimeout: 6000, maxWaitTimeInMs: 50 });
    const parked: { value: string; headers: Record<string, string> }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: Topics.DeadLetter, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => {
      parked.push({ value: String(message.value), headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])) });
    } });
    const dead = await waitFor(() => parked.find((p) => JSON.parse(p.value).id === poison.id), { timeoutMs: 30_000, message: 'the poison in the dead-letter topic' });
    await consumer.disconnect();
    expect(parked).toHaveLength(1);
    expect(dead.value).toBe(JSON.stringify(poison));
    expect(dead.headers['dlq-reason']).toMatch(/failed 5 times: supplier .* not linked/);
    expect(dead.headers['dlq-original-topic']).toBe(Topics.SupplierCommands);
    expect(await sys.sql(`SELECT id FROM supplier_requests WHERE id = $1`, [poison.payload.requestId])).toEqual([]);

    // Held up: from the message before the poison to the one after it (each committed in its own transaction then).
    const around = await sys.sql<{ id: string; created_at: Date }>(`SELECT id, created_at FROM supplier_requests WHERE id = ANY($1::uuid[])`,
      [[messages[POISON_AT - 1].payload.requestId, messages[POISON_AT + 1].payload.requestId]]);
    const at = (i: number) => around.find((r) => r.id === messages[i].payload.requestId)!.created_at.getTime();
    const blockedMs = at(POISON_AT + 1) - at(POISON_AT - 1);
    const [{ first, last }] = await sys.sql<{ first: Date; last: Date }>(`SELECT min(created_at) AS first, max(created_at) AS last FROM supplier_requests WHERE id = ANY($1::uuid[])`, [good]);
    expect(blockedMs).toBeGreaterThan(0);

    reportFigures('5. One poison message among 5,000', {
      messages: TOTAL,
      processed: TOTAL - 1,
      deadLettered: parked.length,
      dlqReason: dead.headers['dlq-reason'],
      partitionBlockedMs: blockedMs,
      handledSpanSeconds: Math.round((last.getTime() - first.getTime()) / 100) / 10,
      allHandledSecondsAfterProduce: Math.round(doneS * 10) / 10,
    });
  }, 240_000);
});
