import { randomUUID } from 'crypto';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { buildEnvelope, Topics } from '@app/contracts';
import { ConsumerRunner, dataSourceOptions, Metrics, runMigrations } from '@app/platform';
import { createTestDatabase, KafkaMock, startKafkaMock, TestDatabase, waitFor } from '@app/testing';
import { reportFigures } from './support/figures';

/**
 * Found by the benchmark: when two orchestrator instances joined at once, the
 * mock broker answered one SyncGroup with INVALID_REQUEST (42). kafkajs does
 * not restart a consumer after a non-retriable error: that instance kept
 * serving HTTP and consumed nothing. The consumer runner now starts a new
 * consumer; here the broker fails the join that way on purpose.
 *
 * This test alone keeps the librdkafka mock broker: it needs the mock's fault
 * API to fail one SyncGroup with a chosen error code, which a real broker
 * cannot be told to do (docs/adr/008-real-kafka.md).
 */
describe('fault: a consumer crashes on a non-retriable broker error', () => {
  let db: TestDatabase;
  let kafka: KafkaMock;
  let ds: DataSource;
  beforeAll(async () => {
    [db, kafka] = await Promise.all([createTestDatabase(), startKafkaMock()]);
    ds = new DataSource(dataSourceOptions(db.url));
    await ds.initialize();
    await runMigrations(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    await kafka?.stop();
    await db?.drop();
  });

  it('is replaced by a new consumer, which handles the messages', async () => {
    const client = new Kafka({ clientId: 'fault-test', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
    const producer = client.producer();
    await producer.connect();
    const env = buildEnvelope('RemindSupplier', { returnId: randomUUID(), tenantId: randomUUID(), producer: 'test' }, { sagaId: randomUUID(), requestId: randomUUID(), supplierId: randomUUID() });
    await producer.send({ topic: Topics.SupplierCommands, messages: [{ key: env.returnId, value: JSON.stringify(env) }] });

    const crashes: string[] = [];
    const log = pino({ level: 'error' }, { write: (line: string) => void crashes.push(JSON.parse(line).msg) });
    const handled: string[] = [];
    await kafka.pushErrors(14, [42]); // the next SyncGroup fails: INVALID_REQUEST, not retriable for kafkajs
    const runner = new ConsumerRunner(client, ds, producer, log, new Metrics('crash-test', false), {
      group: `g-${randomUUID()}`, topics: [Topics.SupplierCommands], sessionTimeoutMs: 6000, fetchMaxWaitMs: 20,
      handle: async (e) => void handled.push(e.id),
    });
    const started = Date.now();
    try {
      await runner.start().catch(() => undefined); // the first consumer may fail inside start()
      await waitFor(() => handled.includes(env.id), { timeoutMs: 40_000, message: 'the message handled by the replacement consumer' });
    } finally {
      await runner.stop();
      await producer.disconnect();
    }
    expect(crashes).toContain('consumer crashed and was not restarted; starting a new one');
    expect(handled).toEqual([env.id]);
    reportFigures('9. Consumer crash on a non-retriable error (found by the benchmark)', {
      injected: 'SyncGroup → INVALID_REQUEST (42)',
      replacedConsumers: crashes.filter((m) => /starting a new one/.test(m)).length,
      handledSecondsAfterStart: Math.round((Date.now() - started) / 100) / 10,
    });
  }, 60_000);
});
