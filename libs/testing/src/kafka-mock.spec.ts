import { Admin, Kafka, KafkaJSError, logLevel, Producer } from 'kafkajs';
import { KafkaMock, startKafkaMock } from './kafka-mock';

/*
 * kafkajs 2.2.4 against the librdkafka mock cluster (3 brokers, topics from
 * infra/kafka/topics.manifest). Group timings on the mock: the first join of
 * a new or emptied group waits 3 s; later (re)joins wait sessionTimeout-1 s,
 * and sessionTimeout must stay above 3 s or the first join never completes.
 */
jest.setTimeout(30_000);

const TOPIC = 'returns.reported'; // 6 partitions in the manifest
const GROUP = { sessionTimeout: 4_000, heartbeatInterval: 300, rebalanceTimeout: 4_000, maxWaitTimeInMs: 100 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function highWatermarks(admin: Admin, topic: string): Promise<Map<number, number>> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return new Map(offsets.map((o) => [o.partition, Number(o.high)]));
}

describe('kafka-mock (librdkafka mock cluster) with kafkajs', () => {
  let mock: KafkaMock;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    mock = await startKafkaMock({ brokers: 3 });
    kafka = new Kafka({
      clientId: 'kafka-mock-spec',
      brokers: mock.brokers,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 500,
      requestTimeout: 2_000,
      retry: { retries: 3, initialRetryTime: 50, maxRetryTime: 300 },
    });
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
  }, 180_000); // on a fresh machine build.sh first apt-installs librdkafka-dev

  afterAll(async () => {
    await producer?.disconnect().catch(() => undefined);
    await admin?.disconnect().catch(() => undefined);
    await mock?.stop();
  });

  it('starts with the manifest topics on every broker', async () => {
    expect(mock.brokers).toHaveLength(3);
    expect(mock.bootstrap).toBe(mock.brokers.join(','));
    const topics = await admin.listTopics();
    expect(topics).toEqual(expect.arrayContaining([TOPIC, 'saga.events', 'deadletter']));
    const meta = await admin.fetchTopicMetadata({ topics: [TOPIC, 'deadletter'] });
    expect(meta.topics.find((t) => t.name === TOPIC)!.partitions).toHaveLength(6);
    expect(meta.topics.find((t) => t.name === 'deadletter')!.partitions).toHaveLength(1);
  });

  it('produces 1000 keyed messages, consumes them with a group (eachBatch), commits, and a restarted member resumes from the commit', async () => {
    const before = await highWatermarks(admin, TOPIC);
    const timestamp = String(Date.now() - 60_000);
    const messages = Array.from({ length: 1000 }, (_, i) => ({
      key: `return-${i % 50}`,
      value: `m-${i}`,
      timestamp,
      headers: { 'x-seq': String(i) },
    }));
    await producer.send({ topic: TOPIC, messages });

    const received = new Map<string, { key: string; partition: number; timestamp: string; seq: string }>();
    const groupId = 'spec-group';
    const first = kafka.consumer({ groupId, ...GROUP });
    await first.connect();
    await first.subscribe({ topic: TOPIC, fromBeginning: true });
    await first.run({
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        for (const m of batch.messages) {
          received.set(m.value!.toString(), {
            key: m.key!.toString(),
            partition: batch.partition,
            timestamp: m.timestamp,
            seq: m.headers!['x-seq']!.toString(),
          });
          resolveOffset(m.offset);
        }
        await first.commitOffsets([
          { topic: batch.topic, partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) },
        ]);
        await heartbeat();
      },
    });
    await waitFor(() => received.size === 1000, 15_000, '1000 messages');

    // Keys stick to one partition; timestamps and headers survive the mock.
    const partitionOfKey = new Map<string, number>();
    for (const [value, r] of received) {
      expect(partitionOfKey.get(r.key) ?? r.partition).toBe(r.partition);
      partitionOfKey.set(r.key, r.partition);
      expect(r.timestamp).toBe(timestamp);
      expect(`m-${r.seq}`).toBe(value);
    }
    expect(new Set(partitionOfKey.values()).size).toBeGreaterThan(1);

    // Committed offsets are the high watermarks.
    const after = await highWatermarks(admin, TOPIC);
    let added = 0;
    for (const [p, high] of after) added += high - (before.get(p) ?? 0);
    expect(added).toBe(1000);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [TOPIC] });
    for (const { partition, offset } of committed.partitions) expect(Number(offset)).toBe(after.get(partition));
    await first.disconnect();

    // "Restart": a new member of the same group reads only what came after the commit.
    const more = Array.from({ length: 12 }, (_, i) => ({ key: `late-${i}`, value: `late-${i}` }));
    await producer.send({ topic: TOPIC, messages: more });
    const second = kafka.consumer({ groupId, ...GROUP });
    const secondGot: string[] = [];
    await second.connect();
    await second.subscribe({ topic: TOPIC, fromBeginning: true });
    await second.run({
      eachBatch: async ({ batch, resolveOffset }) => {
        for (const m of batch.messages) {
          secondGot.push(m.value!.toString());
          resolveOffset(m.offset);
        }
      },
    });
    await waitFor(() => secondGot.length >= more.length, 15_000, 'messages after restart');
    await sleep(300);
    await second.disconnect();
    expect(secondGot.sort()).toEqual(more.map((m) => m.value).sort());
  });

  it('brokerDown makes a produce to a partition it leads fail fast; brokerUp lets it succeed again', async () => {
    // The mock spreads leaders at random: pin partition 0 on broker 1.
    const partition = 0;
    await mock.setLeader(TOPIC, partition, 1);
    const meta = await admin.fetchTopicMetadata({ topics: [TOPIC] });
    expect(meta.topics[0].partitions.find((p) => p.partitionId === partition)!.leader).toBe(1);
    const send = (p: Producer, value: string) => p.send({ topic: TOPIC, messages: [{ key: 'down', value, partition }] });
    await send(producer, 'warm-up'); // also moves the producer to the new leader

    await mock.brokerDown(1);
    const started = Date.now();
    await expect(send(producer, 'while-down')).rejects.toBeInstanceOf(KafkaJSError);
    expect(Date.now() - started).toBeLessThan(5_000);

    await mock.brokerUp(1);
    await expect(send(producer, 'after-up')).resolves.toHaveLength(1);

    // A send in flight while the broker is down stalls in kafkajs' retries
    // and completes once the broker is back.
    const patient = kafka.producer({
      allowAutoTopicCreation: false,
      retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 200 },
    });
    await patient.connect();
    try {
      await mock.brokerDown(1);
      const inFlight = send(patient, 'stalled');
      await sleep(700);
      await mock.brokerUp(1);
      await expect(inFlight).resolves.toHaveLength(1);
    } finally {
      await mock.brokerUp(1);
      await patient.disconnect();
    }
  });

  it('pushErrors on Produce: kafkajs retries retriable errors and the message is written once', async () => {
    const partition = 2;
    const high = async () => (await highWatermarks(admin, TOPIC)).get(partition)!;
    const send = (value: string) => producer.send({ topic: TOPIC, messages: [{ key: 'err', value, partition }] });

    const h0 = await high();
    // 6 NOT_LEADER_OR_FOLLOWER, 7 REQUEST_TIMED_OUT: both retriable.
    await mock.pushErrors(0, [6, 7]);
    await expect(send('retried')).resolves.toHaveLength(1);
    expect(await high()).toBe(h0 + 1);

    // More errors than retries (3): kafkajs gives up, so the injection is real.
    await mock.pushErrors(0, [7, 7, 7, 7, 7]);
    await expect(send('gives-up')).rejects.toThrow(/timed out/i);
    await mock.clearErrors(0);
    expect(await high()).toBe(h0 + 1);
  });

  it('creates topics on demand and reports protocol errors', async () => {
    await mock.createTopic('spec.extra', 3);
    const meta = await admin.fetchTopicMetadata({ topics: ['spec.extra'] });
    expect(meta.topics[0].partitions).toHaveLength(3);
    await expect(mock.createTopic('spec.extra', 3)).rejects.toThrow(/already exists/);
    await expect(mock.command('no_such_command')).rejects.toThrow(/unknown command/);
    await expect(mock.setRtt(1, 0)).resolves.toBeUndefined();
  });
});

describe('kafka-mock process lifecycle', () => {
  it('stop() ends the process; later commands are rejected', async () => {
    const mock = await startKafkaMock({ brokers: 1 });
    await mock.command('ping');
    const t = Date.now();
    await mock.stop();
    expect(Date.now() - t).toBeLessThan(2_500);
    await mock.exited;
    await expect(mock.brokerDown(1)).rejects.toThrow(/exited/);
    await mock.stop(); // idempotent
  });
});
