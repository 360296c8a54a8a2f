import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { promisify } from 'util';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { readTopicManifest } from '@app/contracts';
import { KAFKA_LAUNCHER, KafkaCluster, startKafka } from '@app/testing';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..');

/**
 * infra/kafka/kafka.sh: starts Apache Kafka, creates the manifest's topics
 * through the admin API, and can be run again on a running cluster.
 * docker-compose runs the same Kafka version and the same topic script.
 */
describe('Kafka launcher (infra/kafka)', () => {
  let kafka: KafkaCluster;
  beforeAll(async () => {
    kafka = await startKafka();
  }, 120_000);
  afterAll(async () => {
    await kafka?.stop();
  });

  it('creates every manifest topic with its partitions and min.insync.replicas capped to the cluster', async () => {
    const admin = new Kafka({ clientId: 'launcher-test', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const manifest = readTopicManifest();
      const meta = await admin.fetchTopicMetadata({ topics: manifest.map((t) => t.name) });
      for (const t of manifest) {
        const m = meta.topics.find((x) => x.name === t.name)!;
        expect(m.partitions).toHaveLength(t.partitions);
        expect(m.partitions.every((p) => p.replicas.length === Math.min(t.replication, 1))).toBe(true);
      }
      const configs = await admin.describeConfigs({ includeSynonyms: false, resources: manifest.map((t) => ({ type: ConfigResourceTypes.TOPIC, name: t.name, configNames: ['min.insync.replicas'] })) });
      for (const r of configs.resources) expect(r.configEntries[0].configValue).toBe('1');
    } finally {
      await admin.disconnect();
    }
  });

  it('runs again on a running cluster: same bootstrap, topics left as they are', async () => {
    const { stdout, stderr } = await run('bash', [KAFKA_LAUNCHER, 'start', '--dir', kafka.dir], { cwd: ROOT });
    expect(stdout).toContain(`BOOTSTRAP=${kafka.bootstrap}`);
    expect(stdout.trim().endsWith('READY')).toBe(true);
    expect(stderr).toMatch(/topics: 0 created, \d+ already there/);
    const status = (await run('bash', [KAFKA_LAUNCHER, 'status', '--dir', kafka.dir])).stdout;
    expect(status).toMatch(/^1 127\.0\.0\.1:\d+ running \d+/);
  }, 60_000);

  it('refuses to reuse a folder for a cluster of another size', async () => {
    await expect(run('bash', [KAFKA_LAUNCHER, 'start', '--dir', kafka.dir, '--nodes', '3'])).rejects.toMatchObject({ stderr: expect.stringContaining('1-node cluster') });
  });

  it('a killed node comes back on its data with its messages', async () => {
    const client = new Kafka({ clientId: 'launcher-test', brokers: kafka.brokers, logLevel: logLevel.NOTHING });
    const producer = client.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({ topic: 'deadletter', acks: -1, messages: [{ key: 'k', value: 'kept' }] });
    await producer.disconnect();
    await kafka.brokerDown(1);
    expect(await kafka.running()).toEqual([]);
    await kafka.brokerUp(1);
    const admin = client.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('deadletter');
    await admin.disconnect();
    expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(1);
  }, 120_000);

  it('docker-compose runs the pinned Kafka version and the same topic script', () => {
    const pom = fs.readFileSync(path.join(ROOT, 'infra/kafka/pom.xml'), 'utf8');
    const version = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom)![1];
    const compose = fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`image: apache/kafka:${version}`);
    // Every Kafka image in the file (broker, and any other) is that version.
    expect([...compose.matchAll(/image: apache\/kafka:(\S+)/g)].map((m) => m[1])).toEqual([version]);
    expect(compose).toMatch(/kafka-init:[\s\S]*infra\/kafka\/create-topics\.js/);
  });
});
