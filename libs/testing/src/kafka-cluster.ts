/**
 * Apache Kafka (KRaft) for tests and the bench: one node or an N-node cluster
 * started by infra/kafka/kafka.sh in a folder of its own, on free ports, tied
 * to this process (its JVMs die with it). Crashes are real: `kill` is SIGKILL
 * of a node's JVM, `up` starts it again on the same data.
 *
 * Node built-ins and kafkajs only, so any test or script can use it.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';

const run = promisify(execFile);

function repoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'infra', 'kafka', 'kafka.sh'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, '../../..');
  }
}

const ROOT = repoRoot();
export const KAFKA_LAUNCHER = path.join(ROOT, 'infra', 'kafka', 'kafka.sh');

/** What every test broker offers (Apache Kafka here; the librdkafka mock offers the same and more). */
export interface TestKafka {
  /** Comma-separated host:port list. */
  bootstrap: string;
  /** The same as a list, for kafkajs' `brokers`. */
  brokers: string[];
  /** Takes node `id` (1-based; -1 = every node) off the network: here a SIGKILL of its JVM. */
  brokerDown(id: number): Promise<void>;
  /** Brings node `id` (-1 = every node that is down) back, on its data, and waits until it serves. */
  brokerUp(id: number): Promise<void>;
  stop(): Promise<void>;
}

export interface KafkaCluster extends TestKafka {
  readonly kind: 'apache-kafka';
  nodes: number;
  dir: string;
  /** The node (1-based) leading a partition now, per the cluster's metadata. */
  leaderOf(topic: string, partition: number): Promise<number>;
  /** Nodes whose JVM is running. */
  running(): Promise<number[]>;
  /** The running nodes' JVM process ids (CPU accounting). */
  pids(): number[];
}

export interface KafkaClusterOptions {
  /** Nodes, each broker and controller; default 1. */
  nodes?: number;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A base port P with P .. P+2n-1 free (client and controller port per node). */
async function freePorts(n: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // Below the kernel's ephemeral range (32768+): no outgoing connection can take a port before the node binds it.
    const base = 20_000 + 2 * Math.floor(Math.random() * 6_000);
    let ok = true;
    for (let p = base; p < base + 2 * n && ok; p++) ok = await portFree(p);
    if (ok) return base;
  }
  throw new Error('kafka-cluster: no free port range found');
}

export async function startKafka(opts: KafkaClusterOptions = {}): Promise<KafkaCluster> {
  const nodes = opts.nodes ?? 1;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-test-'));
  const base = await freePorts(nodes);
  const launcher = (...args: string[]) =>
    run('bash', [KAFKA_LAUNCHER, ...args, '--dir', dir, '--owner-pid', String(process.pid)], { cwd: ROOT, maxBuffer: 1 << 20, timeout: 180_000 });
  let out: string;
  try {
    out = (await launcher('start', '--nodes', String(nodes), '--port', String(base))).stdout;
  } catch (err) {
    await run('bash', [KAFKA_LAUNCHER, 'stop', '--dir', dir]).catch(() => undefined);
    throw new Error(`kafka-cluster: start failed: ${(err as { stderr?: string }).stderr ?? err}`);
  }
  const bootstrap = /^BOOTSTRAP=(.*)$/m.exec(out)?.[1] ?? '';
  if (!bootstrap) throw new Error(`kafka-cluster: no BOOTSTRAP line in ${out}`);
  const brokers = bootstrap.split(',');
  const all = Array.from({ length: nodes }, (_, i) => i + 1);
  const pidOf = (id: number): number | undefined => {
    try {
      return Number(fs.readFileSync(path.join(dir, `node-${id}`, 'pid'), 'utf8'));
    } catch {
      return undefined;
    }
  };
  const alive = (id: number) => {
    const pid = pidOf(id);
    if (!pid) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  // If this process dies without stop(), the launcher's watchdog kills the JVMs; on a normal exit, do it now.
  const killAll = () => all.forEach((id) => alive(id) && process.kill(pidOf(id)!, 'SIGKILL'));
  process.once('exit', killAll);

  const cluster: KafkaCluster = {
    kind: 'apache-kafka',
    nodes,
    dir,
    bootstrap,
    brokers,
    brokerDown: async (id) => {
      for (const n of id === -1 ? all : [id]) await launcher('kill', '--node', String(n));
    },
    brokerUp: async (id) => {
      await Promise.all((id === -1 ? all.filter((n) => !alive(n)) : [id]).map((n) => launcher('up', '--node', String(n))));
    },
    running: async () => all.filter(alive),
    pids: () => all.filter(alive).map((n) => pidOf(n)!),
    leaderOf: async (topic, partition) => {
      const admin = new Kafka({ clientId: 'kafka-cluster', brokers: all.filter(alive).map((n) => brokers[n - 1]), logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        const meta = await admin.fetchTopicMetadata({ topics: [topic] });
        return meta.topics[0].partitions.find((p) => p.partitionId === partition)!.leader;
      } finally {
        await admin.disconnect();
      }
    },
    stop: async () => {
      // Tests throw the cluster away: no controlled shutdown, just the kill and the folder.
      killAll();
      process.removeListener('exit', killAll);
      for (let i = 0; i < 100 && all.some(alive); i++) await new Promise((r) => setTimeout(r, 20));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

/**
 * The broker e2e tests run on: Apache Kafka, unless TEST_KAFKA=mock asks for
 * the librdkafka mock (quicker to start, but no replication, idempotence or
 * real batching; see docs/adr/008-real-kafka.md).
 */
export async function startTestKafka(opts: KafkaClusterOptions = {}): Promise<TestKafka> {
  if (process.env.TEST_KAFKA === 'mock') {
    const { startKafkaMock } = await import('./kafka-mock');
    return startKafkaMock({ brokers: opts.nodes });
  }
  return startKafka(opts);
}
