import { execFile } from 'child_process';
import { randomUUID } from 'crypto';
import { Writable } from 'stream';
import { Kafka, logLevel } from 'kafkajs';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { buildEnvelope, Envelope, Topics } from '@app/contracts';
import { ConsumerRunner, dataSourceOptions, Metrics, PermanentMessageError, runMigrations } from '@app/platform';
import { createTestDatabase, startTestKafka, TestDatabase, TestKafka, waitFor } from '@app/testing';

/**
 * The consumer side of the backbone against real Postgres and Apache Kafka: validation to the dead-letter topic, inbox dedupe, poison messages,
 * one JSON log line per handled message.
 */
describe('backbone: consumer runner', () => {
  let db: TestDatabase;
  let kafka: TestKafka;
  let ds: DataSource;
  let client: Kafka;
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info', base: { service: 'test' } }, new Writable({
    write(chunk, _enc, cb) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  }));

  beforeAll(async () => {
    [db, kafka] = await Promise.all([createTestDatabase(), startTestKafka()]);
    ds = new DataSource(dataSourceOptions(db.url));
    await ds.initialize();
    await runMigrations(ds);
    client = new Kafka({ clientId: 'backbone-test', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
  });
  afterAll(async () => {
    await ds?.destroy();
    await kafka?.stop();
    await db?.drop();
  });

  const remind = (returnId: string) => buildEnvelope('RemindSupplier', { returnId, tenantId: randomUUID(), producer: 'test' }, { sagaId: randomUUID(), requestId: randomUUID(), supplierId: randomUUID() });
  /** The effect under test: one tasks row per handled message. */
  const effects = async (queue: string) => Number((await ds.query(`SELECT count(*) AS n FROM tasks WHERE queue = $1`, [queue]))[0].n);

  async function run(group: string, handle: (env: Envelope<object>, m: import('typeorm').EntityManager) => Promise<void>) {
    const producer = client.producer();
    await producer.connect();
    const runner = new ConsumerRunner(client, ds, producer, log, new Metrics(group, false), {
      group, topics: [Topics.SupplierCommands], maxAttempts: 3, handle: (env, { manager }) => handle(env, manager),
    });
    await runner.start();
    return { stop: async () => { await runner.stop(); await producer.disconnect(); } };
  }

  async function deadLetters() {
    const consumer = client.consumer({ groupId: `dlq-${randomUUID()}`, sessionTimeout: 6000, heartbeatInterval: 500 });
    const seen: { value: string; headers: Record<string, string> }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: Topics.DeadLetter, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => {
      seen.push({ value: String(message.value), headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])) });
    } });
    return { seen, stop: () => consumer.disconnect() };
  }

  it('applies each message once although it is delivered three times', async () => {
    const env = remind(randomUUID());
    const queue = `once-${randomUUID()}`;
    const producer = client.producer();
    await producer.connect();
    const value = JSON.stringify(env);
    for (let i = 0; i < 3; i++) await producer.send({ topic: Topics.SupplierCommands, messages: [{ key: env.returnId, value }] });
    const r = await run(`g-${randomUUID()}`, async (e, m) => {
      if (e.id !== env.id) return;
      await m.query(`INSERT INTO tasks (id, queue, dedupe_key, run_at) VALUES ($1, $2, $3, now())`, [randomUUID(), queue, randomUUID()]);
    });
    await waitFor(async () => (await effects(queue)) >= 1 && lines.filter((l) => l.messageId === env.id).length >= 3, { timeoutMs: 20_000 });
    expect(await effects(queue)).toBe(1);
    const logged = lines.filter((l) => l.messageId === env.id);
    expect(logged.map((l) => l.result)).toEqual(['handled', 'duplicate', 'duplicate']);
    expect(logged[0]).toMatchObject({ service: 'test', returnId: env.returnId, type: 'RemindSupplier', topic: Topics.SupplierCommands });
    await r.stop();
    await producer.disconnect();
  });

  it('sends invalid and poison messages to the dead-letter topic with the reason, and processes the rest of the partition', async () => {
    const returnId = randomUUID(); // one key: everything lands on one partition, in order
    const queue = `poison-${randomUUID()}`;
    const poison = remind(returnId);
    const good = Array.from({ length: 20 }, () => remind(returnId));
    const producer = client.producer();
    await producer.connect();
    await producer.send({
      topic: Topics.SupplierCommands,
      messages: [
        ...good.slice(0, 10).map((e) => ({ key: returnId, value: JSON.stringify(e) })),
        { key: returnId, value: '{"type":"RemindSupplier","payload":' }, // not JSON
        { key: returnId, value: JSON.stringify({ ...remind(returnId), payload: { sagaId: 'x' } }) }, // invalid payload
        { key: returnId, value: JSON.stringify(poison) }, // valid, but the handler always fails on it
        ...good.slice(10).map((e) => ({ key: returnId, value: JSON.stringify(e) })),
      ],
    });
    const dlq = await deadLetters();
    const r = await run(`g-${randomUUID()}`, async (e, m) => {
      if (e.returnId !== returnId) return; // earlier tests' messages share the topic
      if (e.id === poison.id) throw new Error('boom: cannot handle this one');
      if ((e.payload as { sagaId?: string }).sagaId === 'permanent') throw new PermanentMessageError('nope');
      await m.query(`INSERT INTO tasks (id, queue, dedupe_key, run_at) VALUES ($1, $2, $3, now())`, [randomUUID(), queue, e.id]);
    });
    await waitFor(async () => (await effects(queue)) === 20 && dlq.seen.length >= 3, { timeoutMs: 30_000, message: 'all good messages handled and 3 dead letters' }).catch(async (e) => { throw new Error(`${e.message}: effects=${await effects(queue)} dlq=${dlq.seen.length} logs=${JSON.stringify(lines.filter((l) => Number(l.level) >= 40).slice(-5))}`); });
    const reasons = dlq.seen.map((d) => d.headers['dlq-reason']);
    expect(reasons).toEqual(expect.arrayContaining([
      expect.stringMatching(/not JSON/),
      expect.stringMatching(/invalid RemindSupplier payload: sagaId/),
      expect.stringMatching(/failed 3 times: boom/),
    ]));
    for (const d of dlq.seen) expect(d.headers['dlq-original-topic']).toBe(Topics.SupplierCommands);
    expect(dlq.seen.find((d) => d.value === JSON.stringify(poison))).toBeDefined();
    const order = await ds.query(`SELECT dedupe_key FROM tasks WHERE queue = $1 ORDER BY created_at, dedupe_key`, [queue]);
    expect(new Set(order.map((o: { dedupe_key: string }) => o.dedupe_key))).toEqual(new Set(good.map((g) => g.id)));
    await Promise.all([r.stop(), dlq.stop(), producer.disconnect()]);
  });

  it('parks a poison message once although it is delivered again (a rebalance before the offset commit)', async () => {
    const returnId = randomUUID();
    const poison = remind(returnId);
    const after = remind(returnId);
    const queue = `redelivered-${randomUUID()}`;
    const producer = client.producer();
    await producer.connect();
    const dlq = await deadLetters();
    const r = await run(`g-${randomUUID()}`, async (e, m) => {
      if (e.returnId !== returnId) return;
      if (e.id === poison.id) throw new Error('boom again');
      await m.query(`INSERT INTO tasks (id, queue, dedupe_key, run_at) VALUES ($1, $2, $3, now())`, [randomUUID(), queue, e.id]);
    });
    await producer.send({ topic: Topics.SupplierCommands, messages: [{ key: returnId, value: JSON.stringify(poison) }] });
    await waitFor(() => dlq.seen.some((d) => d.value === JSON.stringify(poison)), { timeoutMs: 20_000, message: 'the poison parked' });
    // The same message again, then a good one behind it: the good one is handled, the poison is not parked twice.
    await producer.send({ topic: Topics.SupplierCommands, messages: [{ key: returnId, value: JSON.stringify(poison) }, { key: returnId, value: JSON.stringify(after) }] });
    await waitFor(async () => (await effects(queue)) === 1, { timeoutMs: 20_000, message: 'the message behind it handled' });
    await new Promise((res) => setTimeout(res, 500));
    expect(dlq.seen.filter((d) => d.value === JSON.stringify(poison))).toHaveLength(1);
    expect(lines.filter((l) => l.messageId === poison.id && l.result === 'duplicate')).toHaveLength(1);
    await Promise.all([r.stop(), dlq.stop(), producer.disconnect()]);
  });

  it('applies the partitions of one fetch in one transaction, and falls back partition by partition when one fails', async () => {
    const queue = `group-${randomUUID()}`;
    const keys = Array.from({ length: 24 }, () => randomUUID()); // spread over the topic's partitions
    const good = keys.flatMap((k) => [remind(k), remind(k)]);
    const poison = remind(keys[0]);
    const producer = client.producer();
    await producer.connect();
    const send = (envs: Envelope<object>[]) => producer.send({ topic: Topics.SupplierCommands, messages: envs.map((e) => ({ key: e.returnId, value: JSON.stringify(e) })) });
    const mine = new Set<string>(keys);
    const handler = async (e: Envelope<object>, m: import('typeorm').EntityManager) => {
      if (!mine.has(e.returnId)) return;
      if (e.id === poison.id) throw new Error('boom in one partition');
      await m.query(`INSERT INTO tasks (id, queue, dedupe_key, payload, run_at) VALUES ($1, $2, $3, jsonb_build_object('tx', txid_current()), now())`, [randomUUID(), queue, e.id]);
    };
    const partitionsOf = async (ids: string[]) => {
      const rows = await ds.query(`SELECT dedupe_key FROM tasks WHERE queue = $1 AND dedupe_key = ANY($2)`, [queue, ids]);
      return rows.length as number;
    };

    // Everything is on the broker before the consumer starts: its first fetch returns every partition.
    await send(good.slice(0, 24));
    const dlq = await deadLetters();
    const group = `g-${randomUUID()}`;
    let r = await run(group, handler);
    await waitFor(async () => (await partitionsOf(good.slice(0, 24).map((e) => e.id))) === 24, { timeoutMs: 20_000, message: 'first 24 handled' });
    const txs = await ds.query(`SELECT DISTINCT payload->>'tx' AS tx FROM tasks WHERE queue = $1`, [queue]);
    const admin = client.admin();
    await admin.connect();
    const partitions = (await admin.fetchTopicMetadata({ topics: [Topics.SupplierCommands] })).topics[0].partitions.length;
    await admin.disconnect();
    expect(partitions).toBeGreaterThan(1);
    expect(txs.length).toBeLessThan(partitions); // not one transaction per partition
    await r.stop();

    // A poison in one partition fails the group transaction: the other partitions still commit, the poison is parked.
    await send([poison, ...good.slice(24)]);
    r = await run(group, handler);
    await waitFor(async () => (await partitionsOf(good.map((e) => e.id))) === good.length, { timeoutMs: 30_000, message: 'every good message handled' });
    await waitFor(() => dlq.seen.some((d) => d.value === JSON.stringify(poison)), { timeoutMs: 20_000, message: 'the poison parked' });
    expect(await partitionsOf([poison.id])).toBe(0);
    await Promise.all([r.stop(), dlq.stop(), producer.disconnect()]);
  });
});

describe('service boot', () => {
  it('stops with exit code 78 naming every bad or missing variable', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/refunds/src/main.ts'], {
        env: { PATH: process.env.PATH, KAFKA_BROKERS: 'nonsense', HTTP_PORT: 'abc' }, timeout: 60_000,
      }, (err, _stdout, stderr) => resolve({ code: err ? (err as { code?: number }).code ?? null : 0, stderr }));
    });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/DATABASE_URL/);
    expect(result.stderr).toMatch(/KAFKA_BROKERS/);
    expect(result.stderr).toMatch(/HTTP_PORT/);
  });
});
