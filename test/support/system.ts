import 'reflect-metadata';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import axios, { AxiosInstance } from 'axios';
import { Client } from 'pg';
import { Clock, configureHttp, ManualClock, PlatformConfig, TaskScheduler } from '@app/platform';
import { NotificationsConfig } from '@app/notifications';
import { SuppliersConfig } from '@app/suppliers';
import { createTestDatabase, FakeShopify, SmtpSink, startTestKafka, SupplierReceiver, TestDatabase, TestKafka, waitFor } from '@app/testing';
import { ApiModule } from '../../apps/api/src/app.module';
import { setupOpenApi } from '../../apps/api/src/openapi';
import { NotificationsAppModule } from '../../apps/notifications/src/app.module';
import { OrchestratorAppModule } from '../../apps/orchestrator/src/app.module';
import { RefundsAppModule } from '../../apps/refunds/src/app.module';
import { SuppliersAppModule } from '../../apps/suppliers/src/app.module';

export type ServiceName = 'api' | 'orchestrator' | 'suppliers' | 'refunds' | 'notifications';
export const SERVICES: ServiceName[] = ['api', 'orchestrator', 'suppliers', 'refunds', 'notifications'];

export interface System {
  db: TestDatabase;
  kafka: TestKafka;
  shop: FakeShopify;
  smtp: SmtpSink;
  supplier: SupplierReceiver;
  clock: ManualClock;
  apps: Partial<Record<ServiceName, INestApplication>>;
  apiUrl: string;
  http: AxiosInstance;
  sql<T = Record<string, unknown>>(q: string, params?: unknown[]): Promise<T[]>;
  startService(name: ServiceName): Promise<void>;
  stopService(name: ServiceName): Promise<void>;
  /** Runs due deadlines in every service now (after moving the clock). */
  runDueTasks(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The whole system in one Jest process: real Postgres (a fresh database),
 * Apache Kafka (a one-node KRaft cluster of its own; TEST_KAFKA=mock for the
 * librdkafka mock), all five services as Nest apps
 * each with its own consumer group, and the outside world as real loopback
 * servers (Shopify, SMTP, a supplier's webhook endpoint).
 */
export async function startSystem(opts: {
  services?: ServiceName[];
  /** per-service config overrides, e.g. a short webhook timeout */
  config?: Partial<Record<ServiceName, Record<string, unknown>>>;
  /** Kafka nodes; default 1. With 3, topics get 3 copies and min.insync.replicas 2. */
  kafkaNodes?: number;
} = {}): Promise<System> {
  const [db, kafka, shop, smtp, supplier] = await Promise.all([
    createTestDatabase(),
    startTestKafka({ nodes: opts.kafkaNodes }),
    new FakeShopify().start(),
    new SmtpSink().start(),
    new SupplierReceiver().start(),
  ]);
  const clock = new ManualClock();
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  const base = {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: kafka.bootstrap,
    KAFKA_GROUP_PREFIX: 'test',
    KAFKA_IDEMPOTENT: process.env.TEST_KAFKA === 'mock' ? 'false' : 'true',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    POLL_INTERVAL_MS: 20,
  };
  const apps: System['apps'] = {};
  let apiUrl = '';

  const configs = (): Record<ServiceName, PlatformConfig> => ({
    api: Object.assign(new PlatformConfig(), base, { WEBHOOK_ALLOW_HOSTS: '127.0.0.1,localhost', STORE_ALLOW_HOSTS: '127.0.0.1,localhost' }),
    orchestrator: Object.assign(new PlatformConfig(), base),
    suppliers: Object.assign(new SuppliersConfig(), base, { PUBLIC_API_URL: apiUrl || 'http://127.0.0.1:1', WEBHOOK_ALLOW_HOSTS: '127.0.0.1,localhost' }),
    refunds: Object.assign(new PlatformConfig(), base, { STORE_ALLOW_HOSTS: '127.0.0.1,localhost' }),
    notifications: Object.assign(new NotificationsConfig(), base, { SMTP_HOST: '127.0.0.1', SMTP_PORT: smtp.port }),
  });
  const moduleFor = (name: ServiceName, c: PlatformConfig, clk: Clock) => {
    switch (name) {
      case 'api': return ApiModule.forRoot(c, clk);
      case 'orchestrator': return OrchestratorAppModule.forRoot(c, clk);
      case 'suppliers': return SuppliersAppModule.forRoot(c as SuppliersConfig, clk);
      case 'refunds': return RefundsAppModule.forRoot(c, clk);
      case 'notifications': return NotificationsAppModule.forRoot(c as NotificationsConfig, clk);
    }
  };

  const startService = async (name: ServiceName) => {
    const app = await NestFactory.create(moduleFor(name, Object.assign(configs()[name], opts.config?.[name]), clock), { logger: false });
    configureHttp(app);
    if (name === 'api') setupOpenApi(app);
    await app.listen(0, '127.0.0.1');
    if (name === 'api') apiUrl = await app.getUrl();
    apps[name] = app;
  };
  const stopService = async (name: ServiceName) => {
    await apps[name]?.close();
    delete apps[name];
  };

  // api first: the others need its URL (callbacks) and it runs the migrations.
  const wanted = opts.services ?? SERVICES;
  if (wanted.includes('api')) await startService('api');
  // In parallel: each consumer group's first join takes a moment.
  await Promise.all(wanted.filter((s) => s !== 'api').map((name) => startService(name)));

  const http = axios.create({ validateStatus: () => true });
  http.interceptors.request.use((c) => ({ ...c, baseURL: apiUrl }) as typeof c);

  return {
    db, kafka, shop, smtp, supplier, clock, apps, http,
    get apiUrl() { return apiUrl; },
    sql: async <T>(q: string, params?: unknown[]) => (await pg.query(q, params as unknown[])).rows as T[],
    startService,
    stopService,
    runDueTasks: async () => {
      let n = 0;
      for (const app of Object.values(apps)) n += await app!.get(TaskScheduler).runDue();
      return n;
    },
    stop: async () => {
      for (const name of [...SERVICES].reverse()) await stopService(name).catch(() => undefined);
      await pg.end().catch(() => undefined);
      await Promise.all([kafka.stop(), shop.stop(), smtp.stop(), supplier.stop()].map((p) => p.catch(() => undefined)));
      await db.drop().catch(() => undefined);
    },
  };
}

export { waitFor };
