/**
 * Benchmark: drives returns through the public HTTP API of the five services
 * (each its own OS process), with a supplier that answers every webhook at
 * once, the fake Shopify and an SMTP sink, all on this machine with Postgres
 * and Apache Kafka (TEST_KAFKA=mock for the librdkafka mock). Prints a table and writes bench/results/latest.json.
 * Run with `npm run bench` (bench/run.sh); settings in bench/README.md.
 */
import 'reflect-metadata';
import { execFileSync } from 'child_process';
import { randomBytes, randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Client } from 'pg';
import type { EventType } from '@app/contracts';
import { ADMIN_URL, createTestDatabase, FakeShopify, SmtpSink, SupplierReceiver } from '@app/testing';
import * as http from 'http';
import axios from 'axios';
import { Pool } from 'pg';
import { startProcSystem } from '../test/faults/support/proc-system';
import { auth, AutoSupplier, createTenant, linkSupplier, Order, persistently, registerOrders, reportReturn, Supplier, Tenant, World } from '../test/faults/support/world';
import { startDbosPeer } from './peers/dbos/launch';
import { mixSequence, registeredTypes, resolveMix, SCRIPTS } from './scenarios';
import { dist, Dist, round, table } from './stats';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const CONFIG = {
  /** Offered rate of the saturation phase (above what the system can do, so it runs flat out). */
  saturationRate: Number(env('BENCH_SATURATION_RATE', '100')),
  saturationSeconds: Number(env('BENCH_SATURATION_SECONDS', '15')),
  /** Offered rate of the latency phase (open loop: arrivals on a fixed schedule, whatever the backlog): the target's 100/s. */
  latencyRate: Number(env('BENCH_LATENCY_RATE', '100')),
  latencySeconds: Number(env('BENCH_LATENCY_SECONDS', '15')),
  /** A second latency phase at this share of the rate the saturation phase sustained: latency when not overloaded. */
  headroomShare: Number(env('BENCH_HEADROOM_SHARE', '0.7')),
  headroomSeconds: Number(env('BENCH_HEADROOM_SECONDS', '20')),
  /** Orchestrator instances of the default-mix runs, one run each; empty or 0: no default-mix run. */
  orchestrators: env('BENCH_ORCHESTRATORS', '1,2').split(',').map(Number).filter((n) => n > 0),
  /** Peers run against the same DAMAGED-only load as our system (bench/peers); "off" for none. */
  peers: env('BENCH_PEERS', 'dbos').split(',').map((p) => p.trim()).filter((p) => p && p !== 'off' && p !== 'none'),
  /** The DAMAGED-only phase set, ours and each peer's: flat out, then a steady rate. */
  versusSaturationSeconds: Number(env('BENCH_VERSUS_SATURATION_SECONDS', env('BENCH_SATURATION_SECONDS', '15'))),
  versusSteadyRate: Number(env('BENCH_VERSUS_STEADY_RATE', '20')),
  versusSteadySeconds: Number(env('BENCH_VERSUS_STEADY_SECONDS', '20')),
  pgbenchSeconds: Number(env('BENCH_PGBENCH_SECONDS', '5')),
  /** A phase gives up waiting when no case of it has closed for this long (a flow the driver does not complete). A peer
   *  running every case at once closes none for a while under overload, then all: so this is generous. */
  stallSeconds: Number(env('BENCH_STALL_SECONDS', '60')),
  serviceEnv: {
    LOG_LEVEL: env('BENCH_LOG_LEVEL', 'warn'),
    POLL_INTERVAL_MS: env('POLL_INTERVAL_MS', '100'),
    KAFKA_FETCH_MAX_WAIT_MS: env('KAFKA_FETCH_MAX_WAIT_MS', '20'),
    OUTBOX_BATCH_SIZE: env('OUTBOX_BATCH_SIZE', '500'),
    KAFKA_SESSION_TIMEOUT_MS: env('KAFKA_SESSION_TIMEOUT_MS', '6000'),
    PG_PREPARED_STATEMENTS: env('PG_PREPARED_STATEMENTS', 'true'),
  },
  mix: resolveMix(),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

interface Sent {
  returnId: string;
  eventType: EventType;
  scheduledAt: number;
  acceptedAt: number;
}

/** Sends the carrier/warehouse/customer scans a case waits for, as soon as it is seen waiting. */
class FollowUps {
  private readonly pending = new Map<string, { eventType: EventType; done: Set<string> }>();
  private timer?: NodeJS.Timeout;
  private inFlight = new Set<Promise<unknown>>();
  sent = 0;

  constructor(private readonly sys: Target, private readonly tenant: Tenant) {}

  watch(returnId: string, eventType: EventType): void {
    if (SCRIPTS[eventType].followUps.length) this.pending.set(returnId, { eventType, done: new Set() });
  }

  start(): this {
    const states = [...new Set(Object.values(SCRIPTS).flatMap((s) => s.followUps.map((f) => f.state)))];
    const tick = async () => {
      if (this.pending.size) {
        const rows = await this.sys.sql<{ return_id: string; state: string }>(
          `SELECT return_id, state FROM sagas WHERE return_id = ANY($1::uuid[]) AND closed_at IS NULL AND state = ANY($2)`, [[...this.pending.keys()], states],
        ).catch(() => []);
        for (const r of rows) {
          const p = this.pending.get(r.return_id);
          const f = p && SCRIPTS[p.eventType].followUps.find((x) => x.state === r.state);
          if (!p || !f || p.done.has(f.status)) continue;
          p.done.add(f.status);
          if (p.done.size === SCRIPTS[p.eventType].followUps.length) this.pending.delete(r.return_id);
          this.sent++;
          const call = persistently(() => this.sys.http.post(`/returns/${r.return_id}/events`, { status: f.status }, auth(this.tenant.apiKey)), 'follow-up').catch(() => undefined);
          this.inFlight.add(call);
          void call.finally(() => this.inFlight.delete(call));
        }
      }
      this.timer = setTimeout(() => void tick(), 100);
    };
    void tick();
    return this;
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await Promise.all(this.inFlight);
  }
}

/**
 * The other processes whose CPU we report: the Kafka JVMs (or the mock broker, our child) and the
 * whole Postgres server: its postmaster, its live backends, and (cutime/cstime)
 * the backends that have exited, so the sum never goes back.
 */
function otherCpu(kafkaPids: number[] = []): { kafka: number; postgres: number } {
  const procs: { pid: number; ppid: number; comm: string; fields: string[] }[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      procs.push({ pid: Number(pid), ppid: Number(fields[1]), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), fields });
    } catch {
      // the process went away
    }
  }
  const ticks = (f: string[], from: number, to: number) => f.slice(from, to + 1).reduce((n, x) => n + Number(x), 0) / 100;
  const kafka = procs.filter((p) => (p.comm === 'kafka-mock' && p.ppid === process.pid) || kafkaPids.includes(p.pid)).reduce((n, p) => n + ticks(p.fields, 11, 12), 0);
  const pgPids = new Set(procs.filter((p) => p.comm === 'postgres').map((p) => p.pid));
  let postgres = 0;
  for (const master of procs.filter((p) => p.comm === 'postgres' && !pgPids.has(p.ppid))) {
    postgres += ticks(master.fields, 11, 14); // utime stime cutime cstime
    postgres += procs.filter((p) => p.ppid === master.pid).reduce((n, p) => n + ticks(p.fields, 11, 12), 0);
  }
  return { kafka, postgres };
}

interface Snapshot {
  at: number;
  commits: number;
  rollbacks: number;
  services: Record<string, number>;
  driver: number;
  kafka: number;
  postgres: number;
}

async function snapshot(sys: Target): Promise<Snapshot> {
  const [row] = await sys.sql<{ xact_commit: string; xact_rollback: string }>(
    `SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = current_database()`,
  );
  const usage = process.cpuUsage();
  return {
    at: Date.now(),
    commits: Number(row.xact_commit),
    rollbacks: Number(row.xact_rollback),
    services: sys.cpu(),
    driver: (usage.user + usage.system) / 1e6,
    ...otherCpu(sys.kafkaPids()),
  };
}

interface PhaseResult {
  name: string;
  offeredPerSec: number;
  returns: number;
  closed: number;
  notClosed: Record<string, number>;
  finalStates: Record<string, number>;
  byEventType: Record<string, number>;
  offerSeconds: number;
  drainSeconds: number;
  /** Cases of the phase ÷ time from its first arrival to its last close: the headline. */
  completedPerSec: number;
  /** Cases closing per second while arrivals still came (after the first quarter). */
  closingPerSecWhileArriving: number;
  transitionsPerSec: number;
  stateChangesPerSec: number;
  latencyMs: Dist;
  latencyByTypeMs: Record<string, Dist>;
  intakeHttpMs: Dist;
  stagesMs: Record<string, Dist>;
  commitsPerSaga: number;
  commitsPerSec: number;
  cpuPercent: Record<string, number>;
  /** CPU milliseconds per closed saga, by process, and in all. */
  cpuMsPerSaga: Record<string, number>;
}

/** Offers `count` returns at `rate` per second (open loop), waits for them to close, and measures. */
async function runPhase(name: string, rate: number, seconds: number, ctx: Ctx): Promise<PhaseResult> {
  const count = Math.round(rate * seconds);
  const orders = ctx.takeOrders(count);
  log(`${ctx.label} · ${name}: ${count} returns at ${rate}/s`);
  await sleep(1_500); // let idle backends flush their statistics
  const before = await snapshot(ctx.target);
  const sent: Sent[] = [];
  const failures: string[] = [];
  const t0 = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 1) await sleep(wait);
    const { order, mix } = orders[i];
    inFlight.push(
      reportReturn(ctx.target, ctx.tenant, SCRIPTS[mix.eventType].body(order, mix.reason), randomUUID()).then(
        (returnId) => {
          sent.push({ returnId, eventType: mix.eventType, scheduledAt: due, acceptedAt: Date.now() });
          ctx.followUps?.watch(returnId, mix.eventType);
        },
        (err) => void failures.push(String(err?.message ?? err)),
      ),
    );
  }
  const offerEnd = Date.now();
  await Promise.all(inFlight);
  if (failures.length) log(`${failures.length} intake failures, e.g. ${failures[0]}`);

  // Wait until every case is closed, or nothing has moved for a while (a flow the driver does not complete).
  const ids = sent.map((s) => s.returnId);
  let lastClosed = -1;
  let lastMove = Date.now();
  for (;;) {
    const [{ closed }] = await ctx.target.sql<{ closed: string }>(`SELECT count(*) AS closed FROM ${ctx.target.cases} WHERE return_id = ANY($1::uuid[]) AND closed_at IS NOT NULL`, [ids]);
    const n = Number(closed);
    if (n === ids.length) break;
    if (n !== lastClosed) {
      lastClosed = n;
      lastMove = Date.now();
    } else if (Date.now() - lastMove > CONFIG.stallSeconds * 1000) {
      log(`${ctx.label} · ${name}: ${ids.length - n} cases did not close; moving on`);
      break;
    }
    await sleep(250);
  }
  const drained = Date.now();
  await sleep(1_500);
  const after = await snapshot(ctx.target);

  const sagas = await ctx.target.sql<{ id: string; return_id: string; event_type: string; state: string; closed_at: Date | null }>(
    `SELECT id, return_id, event_type, state, closed_at FROM ${ctx.target.cases} WHERE return_id = ANY($1::uuid[])`, [ids],
  );
  const transitions = !ctx.target.hasTransitions ? [] : await ctx.target.sql<{ saga_id: string; from_state: string; to_state: string; at: Date }>(
    `SELECT saga_id, from_state, to_state, at FROM saga_transitions WHERE saga_id = ANY($1::uuid[]) ORDER BY saga_id, id`, [sagas.map((s) => s.id)],
  );
  const bySaga = new Map<string, typeof transitions>();
  for (const t of transitions) bySaga.set(t.saga_id, [...(bySaga.get(t.saga_id) ?? []), t]);
  const sentBy = new Map(sent.map((s) => [s.returnId, s]));

  const closed = sagas.filter((s) => s.closed_at);
  const latency: number[] = [];
  const latencyByType: Record<string, number[]> = {};
  const stages: Record<string, number[]> = {};
  const stage = (label: string, ms: number) => (stages[label] ??= []).push(ms);
  for (const s of sagas) {
    const intake = sentBy.get(s.return_id)!.scheduledAt;
    const rows = bySaga.get(s.id) ?? [];
    if (rows.length) stage('intake → saga started', rows[0].at.getTime() - intake);
    let enteredAt = rows[0]?.at.getTime();
    for (const t of rows) {
      if (t.from_state === t.to_state) continue;
      stage(`${t.from_state} → ${t.to_state}`, t.at.getTime() - enteredAt);
      enteredAt = t.at.getTime();
    }
    if (s.closed_at) {
      const ms = s.closed_at.getTime() - intake;
      latency.push(ms);
      (latencyByType[s.event_type] ??= []).push(ms);
    }
  }
  // Sustained rate: completions while arrivals were still coming, after the first quarter (warm pipeline).
  const from = t0 + 0.25 * (offerEnd - t0);
  const windowS = Math.max(0.001, (offerEnd - from) / 1000);
  const inWindow = closed.filter((s) => s.closed_at!.getTime() >= from && s.closed_at!.getTime() <= offerEnd).length;
  const phaseS = (drained - t0) / 1000;
  const elapsedS = (after.at - before.at) / 1000;
  const count_ = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});
  const cpuS: Record<string, number> = {};
  for (const [id, s] of Object.entries(after.services)) cpuS[id] = s - (before.services[id] ?? 0);
  cpuS['driver + fakes'] = after.driver - before.driver;
  cpuS.kafka = after.kafka - before.kafka;
  cpuS['postgres (all dbs)'] = after.postgres - before.postgres;
  const cpu = Object.fromEntries(Object.entries(cpuS).map(([k, v]) => [k, round((100 * v) / elapsedS, 0)!]));
  const perSaga = (v: number) => round((1000 * v) / Math.max(1, closed.length), 1)!;
  const cpuMsPerSaga = { ...Object.fromEntries(Object.entries(cpuS).map(([k, v]) => [k, perSaga(v)])), total: perSaga(Object.values(cpuS).reduce((a, b) => a + b, 0)) };
  const commits = after.commits - before.commits;

  return {
    name,
    offeredPerSec: rate,
    returns: sent.length,
    closed: closed.length,
    notClosed: count_(sagas.filter((s) => !s.closed_at).map((s) => s.state)),
    finalStates: count_(closed.map((s) => s.state)),
    byEventType: count_(sent.map((s) => s.eventType)),
    offerSeconds: round((offerEnd - t0) / 1000, 1)!,
    drainSeconds: round((drained - t0) / 1000, 1)!,
    completedPerSec: round(closed.length / phaseS, 1)!,
    closingPerSecWhileArriving: round(inWindow / windowS, 1)!,
    transitionsPerSec: round(transitions.length / phaseS, 0)!,
    stateChangesPerSec: round(transitions.filter((t) => t.from_state !== t.to_state).length / phaseS, 0)!,
    latencyMs: dist(latency),
    latencyByTypeMs: Object.fromEntries(Object.entries(latencyByType).map(([k, v]) => [k, dist(v)])),
    intakeHttpMs: dist(sent.map((s) => s.acceptedAt - s.scheduledAt)),
    stagesMs: Object.fromEntries(Object.entries(stages).sort((a, b) => b[1].length - a[1].length).map(([k, v]) => [k, dist(v)])),
    commitsPerSaga: round(commits / Math.max(1, closed.length), 1)!,
    commitsPerSec: round(commits / elapsedS, 0)!,
    cpuPercent: cpu,
    cpuMsPerSaga,
  };
}

/** A system under test as the driver sees it: its HTTP API, the fakes it talks to, its database and its processes. */
interface Target extends World {
  smtp: SmtpSink;
  sql<T = Record<string, unknown>>(q: string, params?: unknown[]): Promise<T[]>;
  /** CPU seconds so far of each of its own processes, by name. */
  cpu(): Record<string, number>;
  kafkaPids(): number[];
  /** A table (or sub-select) of its cases: id, return_id, event_type, state, closed_at (set once the case is over). */
  cases: string;
  /** Whether it records saga_transitions (per-stage times). */
  hasTransitions: boolean;
}

interface Ctx {
  label: string;
  target: Target;
  tenant: Tenant;
  followUps?: FollowUps;
  takeOrders(n: number): { order: Order; mix: ReturnType<typeof resolveMix>[number] }[];
}

type Plan = 'default' | 'versus';

interface Run {
  /** Who ran: "ours, 1 orchestrator(s)", "DBOS peer". */
  label: string;
  orchestrators: number;
  mix: Record<string, number>;
  phases: PhaseResult[];
  smtpMessages: number;
  webhooks: number;
  refunds: number;
  /** pgbench right after a versus run, so each side has its ceiling of the moment. */
  pgbench?: ReturnType<typeof pgbench>;
}

/**
 * Drives one target through a phase set: tenant, supplier and orders first
 * (setup, not measured), a warm-up, then `default` (saturation, latency,
 * headroom) or `versus` (saturation, then a steady rate: the DAMAGED-only
 * comparison with the peers).
 */
async function drive(target: Target, label: string, orchestrators: number, mixSpec: ReturnType<typeof resolveMix>, plan: Plan): Promise<Run> {
  let mails = 0;
  const mailSweep = setInterval(() => {
    mails += target.smtp.messages.length; // counted, then dropped: a long run would otherwise hold every parsed e-mail
    target.smtp.messages.length = 0;
  }, 2_000);
  try {
    const tenant = await createTenant(target, { claimWindowDays: 30, refundTiming: 'ON_SUPPLIER_APPROVAL', lateGoodwill: { kind: 'PERCENT', percent: 10 }, lateCancelThresholdDays: 10 });
    const supplier: Supplier = await linkSupplier(target, tenant, { returnRequiredFor: ['QUALITY_ISSUE'], evidenceRequiredFor: [] });
    const auto = new AutoSupplier(target, () => supplier.callbackApiKey).start();
    const needsFollowUps = mixSpec.some((m) => SCRIPTS[m.eventType].followUps.length);
    const followUps = needsFollowUps ? new FollowUps(target, tenant).start() : undefined;

    // Orders for every phase up front (setup, not measured), each of the event type it will be claimed for.
    const warmup = 60;
    // The headroom phase's rate is known only after saturation; it never offers more than the saturation phase did.
    const total = warmup + (plan === 'default'
      ? Math.round(CONFIG.saturationRate * CONFIG.saturationSeconds) + Math.round(CONFIG.latencyRate * CONFIG.latencySeconds) + Math.ceil(CONFIG.headroomShare * CONFIG.saturationRate * CONFIG.headroomSeconds)
      : Math.round(CONFIG.saturationRate * CONFIG.versusSaturationSeconds) + Math.round(CONFIG.versusSteadyRate * CONFIG.versusSteadySeconds));
    const seq = mixSequence(mixSpec, total);
    log(`${label}: registering ${total} orders`);
    const pool: { order: Order; mix: (typeof seq)[number] }[] = new Array(total);
    const byType = new Map<EventType, number[]>();
    seq.forEach((m, i) => byType.set(m.eventType, [...(byType.get(m.eventType) ?? []), i]));
    for (const [type, idx] of byType) {
      const orders = await registerOrders(target, tenant, supplier, idx.length, { concurrency: 16, ...SCRIPTS[type].orderOpts });
      idx.forEach((i, k) => (pool[i] = { order: orders[k], mix: seq[i] }));
    }
    let cursor = 0;
    const ctx: Ctx = { label, target, tenant, followUps, takeOrders: (n) => pool.slice(cursor, (cursor += n)) };

    await runPhase('warm-up', 20, warmup / 20, ctx);
    const phases: PhaseResult[] = [];
    if (plan === 'default') {
      const saturation = await runPhase('saturation', CONFIG.saturationRate, CONFIG.saturationSeconds, ctx);
      phases.push(
        saturation,
        await runPhase('latency', CONFIG.latencyRate, CONFIG.latencySeconds, ctx),
        await runPhase('headroom', Math.max(1, Math.round(CONFIG.headroomShare * Math.min(saturation.completedPerSec, CONFIG.saturationRate))), CONFIG.headroomSeconds, ctx),
      );
    } else {
      phases.push(
        await runPhase('saturation', CONFIG.saturationRate, CONFIG.versusSaturationSeconds, ctx),
        await runPhase('steady', CONFIG.versusSteadyRate, CONFIG.versusSteadySeconds, ctx),
      );
    }
    await followUps?.stop();
    await auto.stop();
    if (auto.errors) log(`${label}: ${auto.errors} supplier answers failed`);
    return { label, orchestrators, mix: mixShares(mixSpec), phases, smtpMessages: mails + target.smtp.messages.length, webhooks: target.supplier.requests.length, refunds: target.shop.refunds.length };
  } finally {
    clearInterval(mailSweep);
  }
}

function mixShares(mixSpec: ReturnType<typeof resolveMix>): Record<string, number> {
  const mix: Record<string, number> = {};
  const totalShare = mixSpec.reduce((s, m) => s + m.share, 0);
  for (const m of mixSpec) mix[m.eventType] = round((mix[m.eventType] ?? 0) + (100 * m.share) / totalShare, 1)!;
  return mix;
}

/** Our five services, each its own process, on a fresh database and Kafka cluster. */
async function runOurs(orchestrators: number, mixSpec: ReturnType<typeof resolveMix>, plan: Plan): Promise<Run> {
  const label = plan === 'default' ? `ours, ${orchestrators} orchestrator(s)` : 'ours';
  log(`starting the system with ${orchestrators} orchestrator instance(s)${plan === 'versus' ? ', DAMAGED only' : ''}`);
  const sys = await startProcSystem({
    instances: { orchestrator: orchestrators },
    env: CONFIG.serviceEnv,
    // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": flags for every service process (profiling).
    nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean),
    logDir: path.join(__dirname, '..', 'test-artifacts', 'bench', plan === 'default' ? `orchestrators-${orchestrators}` : 'versus-ours'),
  });
  try {
    const target: Target = {
      http: sys.http, shop: sys.shop, supplier: sys.supplier, smtp: sys.smtp, sql: sys.sql,
      cpu: () => Object.fromEntries(sys.procs.map((p) => [p.id, p.cpuSeconds()])),
      kafkaPids: () => ('pids' in sys.kafka && typeof sys.kafka.pids === 'function' ? sys.kafka.pids() : []),
      cases: 'sagas',
      hasTransitions: true,
    };
    return await drive(target, label, orchestrators, mixSpec, plan);
  } finally {
    await sys.stop();
  }
}

/** The DBOS peer (bench/peers/dbos): one process, its own fresh database, the same fakes and driver. */
async function runDbosPeer(mixSpec: ReturnType<typeof resolveMix>): Promise<Run> {
  log('starting the DBOS peer');
  const [db, shop, smtp, supplier] = await Promise.all([createTestDatabase('bench_dbos'), new FakeShopify().start(), new SmtpSink().start(), new SupplierReceiver().start()]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const pool = new Pool({ connectionString: db.url, max: 3 });
  pool.on('error', () => undefined);
  try {
    const peer = await startDbosPeer({ databaseUrl: db.url, smtpPort: smtp.port, logFile: path.join(__dirname, '..', 'test-artifacts', 'bench', 'versus-dbos', 'dbos-peer.log') });
    try {
      const target: Target = {
        http: axios.create({ baseURL: peer.url, validateStatus: () => true, httpAgent: agent, timeout: 30_000 }),
        shop, supplier, smtp,
        sql: async <T>(q: string, params?: unknown[]) => (await pool.query(q, params as unknown[])).rows as T[],
        cpu: () => ({ 'dbos-peer': peer.cpuSeconds() }),
        kafkaPids: () => [],
        cases: '(SELECT id, id AS return_id, event_type, status AS state, closed_at FROM returns) AS cases',
        hasTransitions: false,
      };
      return await drive(target, 'DBOS peer', 0, mixSpec, 'versus');
    } finally {
      await peer.stop();
    }
  } finally {
    agent.destroy();
    await pool.end().catch(() => undefined);
    await Promise.all([shop.stop(), smtp.stop(), supplier.stop()].map((p) => p.catch(() => undefined)));
    await db.drop().catch(() => undefined);
  }
}

/** The Postgres ceiling on this machine: pgbench, single-row INSERT transactions, 8 clients. */
function pgbench(seconds: number): { tps: number; clients: number; seconds: number; latencyMs: number } {
  const db = `bench_pgbench_${randomBytes(4).toString('hex')}`;
  const admin = new URL(ADMIN_URL);
  const conn = ['-h', admin.hostname, '-p', admin.port || '5432', '-U', decodeURIComponent(admin.username || 'postgres')];
  const psql = (dbName: string, sql: string) => execFileSync('psql', [...conn, '-d', dbName, '-qAtc', sql], { encoding: 'utf8' });
  const script = path.join(os.tmpdir(), `${db}.sql`);
  fs.writeFileSync(script, 'INSERT INTO ceiling (v) VALUES (1);\n');
  psql('postgres', `CREATE DATABASE ${db}`);
  try {
    psql(db, 'CREATE TABLE ceiling (id bigserial PRIMARY KEY, v int NOT NULL, at timestamptz NOT NULL DEFAULT now())');
    const out = execFileSync('pgbench', [...conn, '-n', '-c', '8', '-j', '2', '-T', String(seconds), '-f', script, db], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
    const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(out)?.[1]);
    return { tps: round(tps, 0)!, clients: 8, seconds, latencyMs };
  } finally {
    psql('postgres', `DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    fs.rmSync(script, { force: true });
  }
}

const ms = (x?: number) => (x === undefined ? undefined : Math.round(x));

/** The figures of some phases side by side, one column each. */
function phaseTable(cols: { title: string; phase: PhaseResult; ceilingTps?: number }[]): string {
  const rows: (string | number | undefined)[][] = [['', ...cols.map((c) => c.title)]];
  const each = (label: string, f: (p: PhaseResult, ceiling?: number) => string | number | undefined) => rows.push([label, ...cols.map((c) => f(c.phase, c.ceilingTps))]);
  each('offered sagas/s', (p) => p.offeredPerSec);
  each('returns / closed', (p) => `${p.returns} / ${p.closed}`);
  each('completed sagas/s (first arrival → last close)', (p) => p.completedPerSec);
  each('  closing/s while arrivals came', (p) => p.closingPerSecWhileArriving);
  each('saga steps/s (state changes)', (p) => (p.transitionsPerSec || p.stateChangesPerSec ? `${p.transitionsPerSec} (${p.stateChangesPerSec})` : undefined));
  each('latency p50 ms', (p) => ms(p.latencyMs.p50));
  each('latency p95 ms', (p) => ms(p.latencyMs.p95));
  each('latency p99 ms', (p) => ms(p.latencyMs.p99));
  each('intake HTTP p99 ms', (p) => ms(p.intakeHttpMs.p99));
  each('PG commits / saga', (p) => p.commitsPerSaga);
  each('PG commits/s', (p) => p.commitsPerSec);
  each('PG commits/s ÷ ceiling', (p, t) => (t ? `${Math.round((100 * p.commitsPerSec) / t)}%` : undefined));
  each('sagas/s ÷ (ceiling ÷ commits/saga)', (p, t) => (t ? `${Math.round((100 * p.completedPerSec * p.commitsPerSaga) / t)}%` : undefined));
  const cpuKeys = [...new Set(cols.flatMap((c) => Object.keys(c.phase.cpuPercent)))];
  for (const k of cpuKeys) each(`CPU % ${k}`, (p) => p.cpuPercent[k]);
  each('CPU ms / saga, all processes', (p) => p.cpuMsPerSaga.total);
  for (const k of cpuKeys) each(`  of which ${k}`, (p) => p.cpuMsPerSaga[k]);
  return table(rows);
}

/** Ours ÷ peer, with which way is better. */
function ratio(ours: number | undefined, peer: number | undefined, higherIsBetter: boolean): string {
  if (ours === undefined || peer === undefined || !peer) return '–';
  const r = ours / peer;
  const tag = Math.abs(r - 1) < 0.05 ? 'even' : (r > 1) === higherIsBetter ? 'better' : 'worse';
  return `${r >= 10 ? Math.round(r) : r.toFixed(2)} (${tag})`;
}

/** The DAMAGED-only comparison: the issue-12 table per peer, then every figure of both phase sets. */
function versusReport(versus: Run[]): string {
  const out: string[] = [];
  const c = CONFIG;
  const [ours, ...peers] = versus;
  const phase = (r: Run, name: string) => r.phases.find((p) => p.name === name)!;
  out.push(`DAMAGED only, same run: our system (1 orchestrator, Kafka) and ${peers.map((p) => p.label).join(', ')}, each on a fresh database, same driver and fakes.`);
  out.push(`Settings: flat out ${c.saturationRate}/s offered × ${c.versusSaturationSeconds} s, steady ${c.versusSteadyRate}/s × ${c.versusSteadySeconds} s, after 60 warm-up returns at 20/s each.`);
  for (const peer of peers) {
    const [os, ps, ol, pl] = [phase(ours, 'saturation'), phase(peer, 'saturation'), phase(ours, 'steady'), phase(peer, 'steady')];
    const short = peer.label.replace(/ peer$/, '');
    out.push('');
    out.push(table([
      ['DAMAGED only, same run', 'ours', short, `ours ÷ ${short}`],
      [`completed/s flat out (${c.saturationRate}/s offered)`, os.completedPerSec, ps.completedPerSec, ratio(os.completedPerSec, ps.completedPerSec, true)],
      ['CPU ms per case flat out, every process incl. Postgres and driver', os.cpuMsPerSaga.total, ps.cpuMsPerSaga.total, ratio(os.cpuMsPerSaga.total, ps.cpuMsPerSaga.total, false)],
      [`CPU ms per case at ${c.versusSteadyRate}/s`, ol.cpuMsPerSaga.total, pl.cpuMsPerSaga.total, ratio(ol.cpuMsPerSaga.total, pl.cpuMsPerSaga.total, false)],
      [`latency p50 / p99 at ${c.versusSteadyRate}/s, ms`, `${ms(ol.latencyMs.p50)} / ${ms(ol.latencyMs.p99)}`, `${ms(pl.latencyMs.p50)} / ${ms(pl.latencyMs.p99)}`,
        `${ratio(ol.latencyMs.p50, pl.latencyMs.p50, false)} / ${ratio(ol.latencyMs.p99, pl.latencyMs.p99, false)}`],
      ['intake HTTP p99 flat out, ms', ms(os.intakeHttpMs.p99), ms(ps.intakeHttpMs.p99), ratio(os.intakeHttpMs.p99, ps.intakeHttpMs.p99, false)],
      ['Postgres commits per case flat out', os.commitsPerSaga, ps.commitsPerSaga, ratio(os.commitsPerSaga, ps.commitsPerSaga, false)],
      ['pgbench ceiling after each side, tps', ours.pgbench?.tps, peer.pgbench?.tps, ''],
      ['closed / offered, flat out and steady', `${os.closed}/${os.returns}, ${ol.closed}/${ol.returns}`, `${ps.closed}/${ps.returns}, ${pl.closed}/${pl.returns}`, ''],
    ]));
  }
  out.push('');
  out.push('Every figure of the DAMAGED-only phases:');
  out.push(phaseTable(versus.flatMap((r) => r.phases.map((p) => ({ title: `${r.label.replace(/ peer$/, '')} · ${p.name}`, phase: p, ceilingTps: r.pgbench?.tps })))));
  return out.join('\n');
}

/** The printed report: the machine, the default-mix figures (if run), the DAMAGED-only comparison (if run). */
function report(result: BenchResult): { defaults?: string; versus?: string; all: string } {
  const machine = `Machine: ${result.machine.cpus} × ${result.machine.cpuModel}, ${result.machine.memoryGb} GB; node ${result.machine.node}; ${result.machine.postgres}`;
  const out: string[] = [];
  const c = CONFIG;
  if (result.runs.length) {
    out.push(`Mix: ${Object.entries(result.mix).map(([k, v]) => `${k} ${v}%`).join(', ')}${result.fallbacks.length ? ` (fell back to DAMAGED: ${result.fallbacks.join(', ')})` : ''}`);
    out.push(`Settings: saturation ${c.saturationRate}/s × ${c.saturationSeconds} s, latency ${c.latencyRate}/s × ${c.latencySeconds} s, headroom ${Math.round(c.headroomShare * 100)}% × ${c.headroomSeconds} s; services ${Object.entries(c.serviceEnv).map(([k, v]) => `${k}=${v}`).join(' ')}`);
    if (result.pgbench) out.push(`Postgres ceiling (pgbench, 1-row INSERT per transaction, 8 clients, ${result.pgbench.seconds} s): ${result.pgbench.tps} tps`);
    out.push('');
    out.push(phaseTable(result.runs.flatMap((r) => r.phases.map((p) => ({ title: `${r.orchestrators} orch · ${p.name}`, phase: p, ceilingTps: result.pgbench?.tps })))));
    for (const r of result.runs) {
      for (const p of r.phases.filter((x) => x.name !== 'saturation')) {
        out.push('');
        out.push(`Per stage and per event type, ms (${r.orchestrators} orchestrator(s), ${p.name} phase, ${p.offeredPerSec}/s offered):`);
        out.push(table([['stage', 'n', 'p50', 'p95', 'p99'], ...Object.entries(p.stagesMs).slice(0, 14).map(([k, d]) => [k, d.n, ms(d.p50), ms(d.p95), ms(d.p99)])]));
        out.push(table([['event type', 'n', 'p50', 'p95', 'p99'], ...Object.entries(p.latencyByTypeMs).map(([k, d]) => [k, d.n, ms(d.p50), ms(d.p95), ms(d.p99)])]));
      }
    }
    out.push('');
    for (const t of result.targets) out.push(`${t.met ? 'MET    ' : 'NOT MET'}  ${t.target}: ${t.measured}`);
  }
  const defaults = out.length ? `${machine}\n${out.join('\n')}` : undefined;
  const versus = result.versus.length > 1 ? `${machine}\n${versusReport(result.versus)}` : undefined;
  return { defaults, versus, all: [defaults, versus].filter(Boolean).join('\n\n') };
}

interface BenchResult {
  at: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; postgres: string };
  config: Record<string, unknown>;
  mix: Record<string, number>;
  fallbacks: string[];
  pgbench?: ReturnType<typeof pgbench>;
  runs: Run[];
  /** The DAMAGED-only comparison: ours first, then each peer. */
  versus: Run[];
  targets: { target: string; measured: string; met: boolean }[];
}

async function main(): Promise<void> {
  const unknown = CONFIG.peers.filter((p) => p !== 'dbos');
  if (unknown.length) throw new Error(`BENCH_PEERS: unknown peer(s) ${unknown.join(', ')} (known: dbos; "off" for none)`);
  const pg = new Client({ connectionString: ADMIN_URL });
  await pg.connect();
  const [{ version }] = (await pg.query('SHOW server_version')).rows.map((r) => ({ version: r.server_version as string }));
  await pg.end();
  log(`registered saga types: ${registeredTypes().join(', ')}`);
  const runs: Run[] = [];
  for (const n of CONFIG.orchestrators) runs.push(await runOurs(n, CONFIG.mix, 'default'));
  let ceiling: ReturnType<typeof pgbench> | undefined;
  if (runs.length) {
    log('measuring the Postgres ceiling with pgbench');
    ceiling = pgbench(CONFIG.pgbenchSeconds);
  }
  // The DAMAGED-only comparison: ours, then each peer, each followed by pgbench (the machine is shared: its ceiling moves).
  const versus: Run[] = [];
  if (CONFIG.peers.length) {
    const damagedOnly = resolveMix('DAMAGED=100');
    const ours = await runOurs(1, damagedOnly, 'versus');
    ours.pgbench = pgbench(CONFIG.pgbenchSeconds);
    versus.push(ours);
    for (const name of CONFIG.peers) {
      if (name === 'dbos') {
        const peer = await runDbosPeer(damagedOnly);
        peer.pgbench = pgbench(CONFIG.pgbenchSeconds);
        versus.push(peer);
      }
    }
  }
  const one = runs[0];
  const sat = one?.phases.find((p) => p.name === 'saturation');
  const lat = one?.phases.find((p) => p.name === 'latency');
  const head = one?.phases.find((p) => p.name === 'headroom');
  const two = runs.find((r) => r.orchestrators === 2)?.phases.find((p) => p.name === 'saturation');
  const result: BenchResult = {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '?', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres: `PostgreSQL ${version}` },
    config: { ...CONFIG, mix: undefined },
    mix: mixShares(CONFIG.mix),
    fallbacks: [...new Set(CONFIG.mix.filter((m) => m.requested !== m.eventType).map((m) => m.requested))],
    pgbench: ceiling,
    runs,
    versus,
    targets: !sat || !lat || !head ? [] : [
      { target: '≥ 200 completed sagas/s sustained (1 orchestrator)', measured: `${sat.completedPerSec}/s`, met: sat.completedPerSec >= 200 },
      { target: `p99 < 2 s at ${lat.offeredPerSec} sagas/s offered (1 orchestrator)`, measured: `p99 ${Math.round(lat.latencyMs.p99 ?? NaN)} ms, ${lat.closed}/${lat.returns} closed`, met: (lat.latencyMs.p99 ?? Infinity) < 2000 && lat.closed === lat.returns },
      { target: `(for reference) p99 < 2 s at ${head.offeredPerSec}/s, ${Math.round(CONFIG.headroomShare * 100)}% of what saturation sustained`, measured: `p99 ${Math.round(head.latencyMs.p99 ?? NaN)} ms`, met: (head.latencyMs.p99 ?? Infinity) < 2000 },
      ...(two ? [{ target: 'scale-out: 2 orchestrators sustain more than 1', measured: `${two.completedPerSec}/s vs ${sat.completedPerSec}/s`, met: two.completedPerSec > sat.completedPerSec }] : []),
    ],
  };
  const text = report(result);
  process.stdout.write(`${text.all}\n`);
  const dir = path.join(__dirname, 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  fs.writeFileSync(path.join(dir, 'latest.txt'), `${text.all}\n`);
  // Each part on its own, for bench/README.md (test/faults/support/docs.ts): a part not run leaves its figures there alone.
  for (const [file, part] of [['latest-default.txt', text.defaults], ['latest-versus.txt', text.versus]] as const) {
    if (part) fs.writeFileSync(path.join(dir, file), `${part}\n`);
    else fs.rmSync(path.join(dir, file), { force: true });
  }
  log('wrote bench/results/latest.json and latest*.txt');
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
