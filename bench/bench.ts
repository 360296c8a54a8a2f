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
import { ADMIN_URL } from '@app/testing';
import { ProcSystem, startProcSystem } from '../test/faults/support/proc-system';
import { auth, AutoSupplier, createTenant, linkSupplier, Order, persistently, registerOrders, reportReturn, Supplier, Tenant } from '../test/faults/support/world';
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
  orchestrators: env('BENCH_ORCHESTRATORS', '1,2').split(',').map(Number),
  pgbenchSeconds: Number(env('BENCH_PGBENCH_SECONDS', '5')),
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

  constructor(private readonly sys: ProcSystem, private readonly tenant: Tenant) {}

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

async function snapshot(sys: ProcSystem): Promise<Snapshot> {
  const [row] = await sys.sql<{ xact_commit: string; xact_rollback: string }>(
    `SELECT xact_commit, xact_rollback FROM pg_stat_database WHERE datname = current_database()`,
  );
  const usage = process.cpuUsage();
  return {
    at: Date.now(),
    commits: Number(row.xact_commit),
    rollbacks: Number(row.xact_rollback),
    services: Object.fromEntries(sys.procs.map((p) => [p.id, p.cpuSeconds()])),
    driver: (usage.user + usage.system) / 1e6,
    ...otherCpu('pids' in sys.kafka && typeof sys.kafka.pids === 'function' ? sys.kafka.pids() : []),
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
  log(`${name}: ${count} returns at ${rate}/s`);
  await sleep(1_500); // let idle backends flush their statistics
  const before = await snapshot(ctx.sys);
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
      reportReturn(ctx.sys, ctx.tenant, SCRIPTS[mix.eventType].body(order, mix.reason), randomUUID()).then(
        (returnId) => {
          sent.push({ returnId, eventType: mix.eventType, scheduledAt: due, acceptedAt: Date.now() });
          ctx.followUps.watch(returnId, mix.eventType);
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
    const [{ closed }] = await ctx.sys.sql<{ closed: string }>(`SELECT count(*) AS closed FROM sagas WHERE return_id = ANY($1::uuid[]) AND closed_at IS NOT NULL`, [ids]);
    const n = Number(closed);
    if (n === ids.length) break;
    if (n !== lastClosed) {
      lastClosed = n;
      lastMove = Date.now();
    } else if (Date.now() - lastMove > 15_000) {
      log(`${name}: ${ids.length - n} cases did not close; moving on`);
      break;
    }
    await sleep(250);
  }
  const drained = Date.now();
  await sleep(1_500);
  const after = await snapshot(ctx.sys);

  const sagas = await ctx.sys.sql<{ id: string; return_id: string; event_type: string; state: string; closed_at: Date | null }>(
    `SELECT id, return_id, event_type, state, closed_at FROM sagas WHERE return_id = ANY($1::uuid[])`, [ids],
  );
  const transitions = await ctx.sys.sql<{ saga_id: string; from_state: string; to_state: string; at: Date }>(
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

interface Ctx {
  sys: ProcSystem;
  tenant: Tenant;
  followUps: FollowUps;
  takeOrders(n: number): { order: Order; mix: ReturnType<typeof resolveMix>[number] }[];
}

async function runWith(orchestrators: number): Promise<{ orchestrators: number; phases: PhaseResult[]; smtpMessages: number; webhooks: number; refunds: number }> {
  log(`starting the system with ${orchestrators} orchestrator instance(s)`);
  const sys = await startProcSystem({
    instances: { orchestrator: orchestrators },
    env: CONFIG.serviceEnv,
    // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": flags for every service process (profiling).
    nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean),
    logDir: path.join(__dirname, '..', 'test-artifacts', 'bench', `orchestrators-${orchestrators}`),
  });
  let mails = 0;
  const mailSweep = setInterval(() => {
    mails += sys.smtp.messages.length; // counted, then dropped: a long run would otherwise hold every parsed e-mail
    sys.smtp.messages.length = 0;
  }, 2_000);
  try {
    const tenant = await createTenant(sys, { claimWindowDays: 30, refundTiming: 'ON_SUPPLIER_APPROVAL', lateGoodwill: { kind: 'PERCENT', percent: 10 }, lateCancelThresholdDays: 10 });
    const supplier: Supplier = await linkSupplier(sys, tenant, { returnRequiredFor: ['QUALITY_ISSUE'], evidenceRequiredFor: [] });
    const auto = new AutoSupplier(sys, () => supplier.callbackApiKey).start();
    const followUps = new FollowUps(sys, tenant).start();

    // Orders for every phase up front (setup, not measured), each of the event type it will be claimed for.
    const warmup = 60;
    // The headroom phase's rate is known only after saturation; it never offers more than the saturation phase did.
    const total = warmup + Math.round(CONFIG.saturationRate * CONFIG.saturationSeconds) + Math.round(CONFIG.latencyRate * CONFIG.latencySeconds)
      + Math.ceil(CONFIG.headroomShare * CONFIG.saturationRate * CONFIG.headroomSeconds);
    const seq = mixSequence(CONFIG.mix, total);
    log(`registering ${total} orders`);
    const pool: { order: Order; mix: (typeof seq)[number] }[] = new Array(total);
    const byType = new Map<EventType, number[]>();
    seq.forEach((m, i) => byType.set(m.eventType, [...(byType.get(m.eventType) ?? []), i]));
    for (const [type, idx] of byType) {
      const orders = await registerOrders(sys, tenant, supplier, idx.length, { concurrency: 16, ...SCRIPTS[type].orderOpts });
      idx.forEach((i, k) => (pool[i] = { order: orders[k], mix: seq[i] }));
    }
    let cursor = 0;
    const ctx: Ctx = { sys, tenant, followUps, takeOrders: (n) => pool.slice(cursor, (cursor += n)) };

    await runPhase('warm-up', 20, warmup / 20, ctx);
    const saturation = await runPhase('saturation', CONFIG.saturationRate, CONFIG.saturationSeconds, ctx);
    const phases = [
      saturation,
      await runPhase('latency', CONFIG.latencyRate, CONFIG.latencySeconds, ctx),
      await runPhase('headroom', Math.max(1, Math.round(CONFIG.headroomShare * Math.min(saturation.completedPerSec, CONFIG.saturationRate))), CONFIG.headroomSeconds, ctx),
    ];
    await followUps.stop();
    await auto.stop();
    return { orchestrators, phases, smtpMessages: mails + sys.smtp.messages.length, webhooks: sys.supplier.requests.length, refunds: sys.shop.refunds.length };
  } finally {
    clearInterval(mailSweep);
    await sys.stop();
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

function report(result: BenchResult): string {
  const out: string[] = [];
  const ms = (x?: number) => (x === undefined ? undefined : Math.round(x));
  out.push(`Machine: ${result.machine.cpus} × ${result.machine.cpuModel}, ${result.machine.memoryGb} GB; node ${result.machine.node}; ${result.machine.postgres}`);
  out.push(`Mix: ${Object.entries(result.mix).map(([k, v]) => `${k} ${v}%`).join(', ')}${result.fallbacks.length ? ` (fell back to DAMAGED: ${result.fallbacks.join(', ')})` : ''}`);
  const c = CONFIG;
  out.push(`Settings: saturation ${c.saturationRate}/s × ${c.saturationSeconds} s, latency ${c.latencyRate}/s × ${c.latencySeconds} s, headroom ${Math.round(c.headroomShare * 100)}% × ${c.headroomSeconds} s; services ${Object.entries(c.serviceEnv).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  out.push(`Postgres ceiling (pgbench, 1-row INSERT per transaction, 8 clients, ${result.pgbench.seconds} s): ${result.pgbench.tps} tps`);
  out.push('');
  const rows: (string | number | undefined)[][] = [['', ...result.runs.flatMap((r) => r.phases.map((p) => `${r.orchestrators} orch · ${p.name}`))]];
  const each = (label: string, f: (p: PhaseResult) => string | number | undefined) => rows.push([label, ...result.runs.flatMap((r) => r.phases.map(f))]);
  each('offered sagas/s', (p) => p.offeredPerSec);
  each('returns / closed', (p) => `${p.returns} / ${p.closed}`);
  each('completed sagas/s (first arrival → last close)', (p) => p.completedPerSec);
  each('  closing/s while arrivals came', (p) => p.closingPerSecWhileArriving);
  each('saga steps/s (state changes)', (p) => `${p.transitionsPerSec} (${p.stateChangesPerSec})`);
  each('latency p50 ms', (p) => ms(p.latencyMs.p50));
  each('latency p95 ms', (p) => ms(p.latencyMs.p95));
  each('latency p99 ms', (p) => ms(p.latencyMs.p99));
  each('intake HTTP p99 ms', (p) => ms(p.intakeHttpMs.p99));
  each('PG commits / saga', (p) => p.commitsPerSaga);
  each('PG commits/s', (p) => p.commitsPerSec);
  each('PG commits/s ÷ ceiling', (p) => `${Math.round((100 * p.commitsPerSec) / result.pgbench.tps)}%`);
  each('sagas/s ÷ (ceiling ÷ commits/saga)', (p) => `${Math.round((100 * p.completedPerSec * p.commitsPerSaga) / result.pgbench.tps)}%`);
  const cpuKeys = [...new Set(result.runs.flatMap((r) => r.phases.flatMap((p) => Object.keys(p.cpuPercent))))];
  for (const k of cpuKeys) each(`CPU % ${k}`, (p) => p.cpuPercent[k]);
  each('CPU ms / saga, all processes', (p) => p.cpuMsPerSaga.total);
  for (const k of cpuKeys) each(`  of which ${k}`, (p) => p.cpuMsPerSaga[k]);
  out.push(table(rows));
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
  return out.join('\n');
}

interface BenchResult {
  at: string;
  machine: { cpus: number; cpuModel: string; memoryGb: number; node: string; postgres: string };
  config: Record<string, unknown>;
  mix: Record<string, number>;
  fallbacks: string[];
  pgbench: ReturnType<typeof pgbench>;
  runs: Awaited<ReturnType<typeof runWith>>[];
  targets: { target: string; measured: string; met: boolean }[];
}

async function main(): Promise<void> {
  const pg = new Client({ connectionString: ADMIN_URL });
  await pg.connect();
  const [{ version }] = (await pg.query('SHOW server_version')).rows.map((r) => ({ version: r.server_version as string }));
  await pg.end();
  log(`registered saga types: ${registeredTypes().join(', ')}`);
  const runs = [];
  for (const n of CONFIG.orchestrators) runs.push(await runWith(n));
  log('measuring the Postgres ceiling with pgbench');
  const ceiling = pgbench(CONFIG.pgbenchSeconds);
  const mix: Record<string, number> = {};
  const totalShare = CONFIG.mix.reduce((s, m) => s + m.share, 0);
  for (const m of CONFIG.mix) mix[m.eventType] = round((mix[m.eventType] ?? 0) + (100 * m.share) / totalShare, 1)!;
  const one = runs[0];
  const sat = one.phases.find((p) => p.name === 'saturation')!;
  const lat = one.phases.find((p) => p.name === 'latency')!;
  const head = one.phases.find((p) => p.name === 'headroom')!;
  const two = runs.find((r) => r.orchestrators === 2)?.phases.find((p) => p.name === 'saturation');
  const result: BenchResult = {
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '?', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, postgres: `PostgreSQL ${version}` },
    config: { ...CONFIG, mix: undefined },
    mix,
    fallbacks: [...new Set(CONFIG.mix.filter((m) => m.requested !== m.eventType).map((m) => m.requested))],
    pgbench: ceiling,
    runs,
    targets: [
      { target: '≥ 200 completed sagas/s sustained (1 orchestrator)', measured: `${sat.completedPerSec}/s`, met: sat.completedPerSec >= 200 },
      { target: `p99 < 2 s at ${lat.offeredPerSec} sagas/s offered (1 orchestrator)`, measured: `p99 ${Math.round(lat.latencyMs.p99 ?? NaN)} ms, ${lat.closed}/${lat.returns} closed`, met: (lat.latencyMs.p99 ?? Infinity) < 2000 && lat.closed === lat.returns },
      { target: `(for reference) p99 < 2 s at ${head.offeredPerSec}/s, ${Math.round(CONFIG.headroomShare * 100)}% of what saturation sustained`, measured: `p99 ${Math.round(head.latencyMs.p99 ?? NaN)} ms`, met: (head.latencyMs.p99 ?? Infinity) < 2000 },
      ...(two ? [{ target: 'scale-out: 2 orchestrators sustain more than 1', measured: `${two.completedPerSec}/s vs ${sat.completedPerSec}/s`, met: two.completedPerSec > sat.completedPerSec }] : []),
    ],
  };
  const text = report(result);
  process.stdout.write(`${text}\n`);
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  fs.writeFileSync(path.join(__dirname, 'results', 'latest.txt'), `${text}\n`);
  log('wrote bench/results/latest.json and latest.txt');
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  },
);
