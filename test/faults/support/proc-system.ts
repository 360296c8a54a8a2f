import * as http from 'http';
import * as path from 'path';
import axios, { AxiosInstance } from 'axios';
import { Pool } from 'pg';
import { createTestDatabase, FakeShopify, KafkaCluster, SmtpSink, startTestKafka, SupplierReceiver, TestDatabase, TestKafka } from '@app/testing';
import { REPO } from './build';
import { ensureProcBuild, freePort, SERVICES, ServiceName, ServiceProcess } from './processes';

export interface ProcSystemOptions {
  /** Instances per service (members of one consumer group); default 1 each. */
  instances?: Partial<Record<ServiceName, number>>;
  /** Extra environment for every service. */
  env?: Record<string, string>;
  /** Extra environment per service. */
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Where the services' logs go; default test-artifacts/procs/<timestamp>. */
  logDir?: string;
  /** Start only these services (default all). */
  services?: ServiceName[];
  /** Extra `node` flags for every service, e.g. ['--cpu-prof']. */
  nodeArgs?: string[];
  /** Use this database instead of a fresh one (it is then not dropped). */
  databaseUrl?: string;
  /** Kafka nodes (each broker and controller); default 1. With 3, topics get 3 copies and min.insync 2. */
  kafkaNodes?: number;
}

export interface ProcSystem {
  db: TestDatabase;
  /** Apache Kafka (a KafkaCluster), or the librdkafka mock with TEST_KAFKA=mock. */
  kafka: TestKafka & Partial<Pick<KafkaCluster, 'leaderOf' | 'running' | 'nodes' | 'pids'>>;
  shop: FakeShopify;
  smtp: SmtpSink;
  supplier: SupplierReceiver;
  apiUrl: string;
  http: AxiosInstance;
  procs: ServiceProcess[];
  logDir: string;
  instances(service: ServiceName): ServiceProcess[];
  sql<T = Record<string, unknown>>(q: string, params?: unknown[]): Promise<T[]>;
  /** Starts the instances not running (e.g. after a kill) and waits until they listen. */
  startMissing(): Promise<void>;
  /** Starts one more instance of a service (a new member of its consumer groups) and waits until it listens. */
  addInstance(service: ServiceName): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

/**
 * The whole system with every service as its own OS process (see
 * ServiceProcess), against a fresh database, its own Kafka cluster and the
 * loopback fakes, which live in the calling process.
 */
export async function startProcSystem(opts: ProcSystemOptions = {}): Promise<ProcSystem> {
  ensureProcBuild();
  const [db, kafka, shop, smtp, supplier] = await Promise.all([
    opts.databaseUrl ? Promise.resolve({ name: '', url: opts.databaseUrl, drop: async () => undefined }) : createTestDatabase(),
    startTestKafka({ nodes: opts.kafkaNodes }),
    new FakeShopify().start(),
    new SmtpSink().start(),
    new SupplierReceiver().start(),
  ]);
  const logDir = opts.logDir ?? path.join(REPO, 'test-artifacts', 'procs', new Date().toISOString().replace(/[:.]/g, '-'));
  const wanted = opts.services ?? SERVICES;
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const base: Record<string, string> = {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: kafka.bootstrap,
    KAFKA_GROUP_PREFIX: 'procs',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    POLL_INTERVAL_MS: '20',
    KAFKA_SESSION_TIMEOUT_MS: '6000', // a killed member's partitions move after 6 s
    KAFKA_FETCH_MAX_WAIT_MS: '20', // the mock broker answers an empty fetch only after this wait (Kafka at once)
    KAFKA_IDEMPOTENT: process.env.TEST_KAFKA === 'mock' ? 'false' : 'true',
    PUBLIC_API_URL: apiUrl,
    WEBHOOK_ALLOW_HOSTS: '127.0.0.1,localhost',
    STORE_ALLOW_HOSTS: '127.0.0.1,localhost',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    ...opts.env,
  };
  const procs: ServiceProcess[] = [];
  for (const service of wanted) {
    const n = opts.instances?.[service] ?? 1;
    for (let i = 1; i <= n; i++) {
      const port = service === 'api' && i === 1 ? apiPort : await freePort();
      procs.push(new ServiceProcess(service, i, port, { ...base, ...opts.serviceEnv?.[service] }, path.join(logDir, `${service}-${i}.log`), opts.nodeArgs));
    }
  }
  const pool = new Pool({ connectionString: db.url, max: 3 });
  pool.on('error', () => undefined); // a restarted Postgres drops idle clients; the next query reconnects
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const client = axios.create({ baseURL: apiUrl, validateStatus: () => true, httpAgent: agent, timeout: 30_000 });

  const startMissing = async () => {
    const idle = procs.filter((p) => !p.running);
    // The api first: it runs the migrations the others' queries need (they take the same lock anyway).
    const api = idle.filter((p) => p.service === 'api');
    for (const p of api) p.start();
    await Promise.all(api.map((p) => p.waitReady()));
    const rest = idle.filter((p) => p.service !== 'api');
    for (const p of rest) p.start();
    await Promise.all(rest.map((p) => p.waitReady()));
  };

  const system: ProcSystem = {
    db, kafka, shop, smtp, supplier, apiUrl, http: client, procs, logDir,
    instances: (service) => procs.filter((p) => p.service === service),
    sql: async <T>(q: string, params?: unknown[]) => (await pool.query(q, params as unknown[])).rows as T[],
    startMissing,
    addInstance: async (service) => {
      const instance = procs.filter((x) => x.service === service).length + 1;
      const p = new ServiceProcess(service, instance, await freePort(), { ...base, ...opts.serviceEnv?.[service] }, path.join(logDir, `${service}-${instance}.log`), opts.nodeArgs);
      procs.push(p);
      p.start();
      await p.waitReady();
      return p;
    },
    stop: async () => {
      await Promise.all(procs.map((p) => p.kill('SIGTERM', 5_000).catch(() => undefined)));
      agent.destroy();
      await pool.end().catch(() => undefined);
      await Promise.all([kafka.stop(), shop.stop(), smtp.stop(), supplier.stop()].map((p) => p.catch(() => undefined)));
      await db.drop().catch(() => undefined);
    },
  };
  try {
    await startMissing();
  } catch (err) {
    await system.stop();
    throw err;
  }
  return system;
}
