import { randomUUID } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { Clock } from '../clock/clock';
import { isTransientInfraError } from '../database/errors';

export interface TaskRow<P = Record<string, unknown>> {
  id: string;
  queue: string;
  dedupe_key: string;
  payload: P;
  run_at: Date;
  attempts: number;
}

export type TaskOutcome =
  | { kind: 'done' }
  | { kind: 'retry'; at: Date; error: string }
  | { kind: 'dead'; error: string };

export type TaskHandler = (task: TaskRow) => Promise<TaskOutcome>;

/**
 * Durable deadlines and work items in Postgres. Scheduling happens inside the
 * caller's transaction, so a deadline exists exactly when the state that needs
 * it does; a restart loses nothing.
 */
export class TaskQueue {
  /**
   * Schedules (or re-arms) the task `queue`/`key` to run at `runAt`. A re-armed
   * task gets a new id, so a handler that re-arms its own task (a reminder
   * setting the next deadline) is not marked done by the worker afterwards.
   */
  static async schedule(m: EntityManager, queue: string, key: string, runAt: Date, payload: object = {}): Promise<void> {
    await m.query(
      `INSERT INTO tasks (id, queue, dedupe_key, payload, run_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (queue, dedupe_key) DO UPDATE
         SET id = EXCLUDED.id, run_at = EXCLUDED.run_at, payload = EXCLUDED.payload, status = 'PENDING', attempts = 0, lease_until = NULL, updated_at = now()`,
      [randomUUID(), queue, key, JSON.stringify(payload), runAt],
    );
  }

  /** Schedules the task unless one with that key already exists (whatever its state). */
  static async scheduleOnce(m: EntityManager, queue: string, key: string, runAt: Date, payload: object = {}): Promise<boolean> {
    const rows = await m.query(
      `INSERT INTO tasks (id, queue, dedupe_key, payload, run_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (queue, dedupe_key) DO NOTHING RETURNING id`,
      [randomUUID(), queue, key, JSON.stringify(payload), runAt],
    );
    return rows.length > 0;
  }

  /**
   * `schedule` for many tasks in one statement (each queue/key at most once;
   * re-armed ones get new ids, as there); `cancelled: true` stores the task as scheduled-then-cancelled.
   */
  static async scheduleMany(m: EntityManager, tasks: { queue: string; key: string; runAt: Date; payload?: object; cancelled?: boolean }[]): Promise<void> {
    if (!tasks.length) return;
    await m.query(
      `INSERT INTO tasks (id, queue, dedupe_key, payload, run_at, status)
       SELECT id, queue, key, payload::jsonb, run_at, status FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[]) AS t(id, queue, key, payload, run_at, status)
       ON CONFLICT (queue, dedupe_key) DO UPDATE
         SET id = EXCLUDED.id, run_at = EXCLUDED.run_at, payload = EXCLUDED.payload, status = EXCLUDED.status, attempts = 0, lease_until = NULL, updated_at = now()`,
      [
        tasks.map(() => randomUUID()), tasks.map((t) => t.queue), tasks.map((t) => t.key), tasks.map((t) => JSON.stringify(t.payload ?? {})),
        tasks.map((t) => t.runAt), tasks.map((t) => (t.cancelled ? 'CANCELLED' : 'PENDING')),
      ],
    );
  }

  /** `cancel` for many keys of one queue in one statement. */
  static async cancelMany(m: EntityManager, queue: string, keys: string[]): Promise<void> {
    if (!keys.length) return;
    await m.query(`UPDATE tasks SET status = 'CANCELLED', updated_at = now() WHERE queue = $1 AND dedupe_key = ANY($2::text[]) AND status = 'PENDING'`, [queue, keys]);
  }

  static async cancel(m: EntityManager, queue: string, key: string): Promise<void> {
    await m.query(`UPDATE tasks SET status = 'CANCELLED', updated_at = now() WHERE queue = $1 AND dedupe_key = $2 AND status = 'PENDING'`, [queue, key]);
  }

  /**
   * Marks the task done inside the caller's transaction, so the task's effect
   * and its completion commit together. False if it was already done or cancelled.
   */
  static async complete(m: EntityManager, taskId: string): Promise<boolean> {
    const rows = await m.query(`UPDATE tasks SET status = 'DONE', lease_until = NULL, updated_at = now() WHERE id = $1 AND status = 'PENDING' RETURNING id`, [taskId]);
    return rows[1] > 0 || (Array.isArray(rows[0]) && rows[0].length > 0);
  }
}

export interface TaskWorkerOptions {
  pollMs: number;
  batchSize?: number;
  /** How long a claim holds without renewal (default 10 s): a crashed worker's tasks come back after this. */
  leaseMs?: number;
  concurrency?: number;
}

/** Default lease: a dead instance's tasks are taken over within seconds; a live one renews its leases (a third of it) while it works. */
export const DEFAULT_TASK_LEASE_MS = 10_000;

/**
 * Polls due tasks of some queues with FOR UPDATE SKIP LOCKED and a short
 * lease, which it renews while it holds the tasks (a heartbeat), so several
 * instances share the work, a slow handler keeps its task, and a crashed
 * instance's tasks come back within one lease. Handlers run outside the claim
 * transaction (they may call HTTP).
 */
export class TaskWorker {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** Nudges since the current pass started, and whether the one look-again after a nudge is still owed. */
  private nudged = false;
  private echoOwed = false;

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    private readonly handlers: Record<string, TaskHandler>,
    private readonly log: Logger,
    private readonly opts: TaskWorkerOptions,
  ) {}

  start(): void {
    if (this.running || !Object.keys(this.handlers).length) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /** Look for due tasks now, and once more shortly after: the transaction that scheduled them may not have committed yet. */
  nudge(): void {
    this.nudged = true;
    this.echoOwed = true;
    this.wake?.();
  }

  /** Runs every due task once (tests call this after moving the clock). Returns how many ran. */
  async runDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.pass();
      total += n;
      if (n === 0) return total;
    }
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        this.nudged = false;
        const n = await this.pass();
        failures = 0;
        if (n > 0 || this.nudged) continue;
        if (this.echoOwed) {
          this.echoOwed = false;
          await this.sleep(ECHO_MS);
        } else await this.sleep(this.opts.pollMs);
      } catch (err) {
        failures++;
        this.log.warn({ err: String(err?.message ?? err) }, 'task poll failed; retrying');
        await this.sleep(Math.min(100 * 2 ** failures, 5000));
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private get leaseMs(): number {
    return this.opts.leaseMs ?? DEFAULT_TASK_LEASE_MS;
  }

  private async pass(): Promise<number> {
    const now = this.clock.now();
    const leaseUntil = new Date(now.getTime() + this.leaseMs);
    const [rows]: [TaskRow[], number] = await this.ds.query(
      `UPDATE tasks SET lease_until = $3, attempts = attempts + 1, updated_at = now()
       WHERE id IN (
         SELECT id FROM tasks
         WHERE queue = ANY($1) AND status = 'PENDING' AND run_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)
         ORDER BY run_at LIMIT $4 FOR UPDATE SKIP LOCKED)
       RETURNING id, queue, dedupe_key, payload, run_at, attempts`,
      [Object.keys(this.handlers), now, leaseUntil, this.opts.batchSize ?? 50],
    );
    if (!rows.length) return 0;
    const concurrency = this.opts.concurrency ?? 8;
    // Claimed and not yet recorded, by id → the attempt count of our claim (a task reclaimed by another worker has a higher one).
    const held = new Map(rows.map((t) => [t.id, t.attempts]));
    const heartbeat = setInterval(() => void this.renew(held), Math.max(Math.floor(this.leaseMs / 3), 10));
    heartbeat.unref();
    try {
      for (let i = 0; i < rows.length; i += concurrency) {
        const chunk = rows.slice(i, i + concurrency);
        const settled = await Promise.allSettled(chunk.map((t) => this.runOne(t)));
        // One statement records the whole chunk's outcomes; a task whose handler hit an outage keeps its lease and comes back.
        await this.record(chunk.flatMap((t, k) => (settled[k].status === 'fulfilled' ? [{ id: t.id, outcome: (settled[k] as PromiseFulfilledResult<TaskOutcome>).value }] : [])));
        const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
        for (const t of chunk) held.delete(t.id);
      }
    } finally {
      clearInterval(heartbeat);
    }
    return rows.length;
  }

  /**
   * Heartbeat: extends the lease of the tasks this worker still holds, so only
   * a dead (or cut-off) worker's tasks expire. A failed renewal is only logged:
   * the task may then run twice, which every handler already tolerates
   * (at-least-once; refunds are deduped by their idempotency key).
   */
  private async renew(held: Map<string, number>): Promise<void> {
    if (!held.size) return;
    try {
      await this.ds.query(
        `UPDATE tasks t SET lease_until = $3
         FROM unnest($1::uuid[], $2::int[]) AS h(id, attempts)
         WHERE t.id = h.id AND t.attempts = h.attempts AND t.status = 'PENDING' AND t.lease_until IS NOT NULL`,
        [[...held.keys()], [...held.values()], new Date(this.clock.now().getTime() + this.leaseMs)],
      );
    } catch (err) {
      this.log.warn({ err: String(err?.message ?? err), tasks: held.size }, 'task lease renewal failed');
    }
  }

  private async runOne(task: TaskRow): Promise<TaskOutcome> {
    try {
      return await this.handlers[task.queue](task);
    } catch (err) {
      if (isTransientInfraError(err)) throw err; // the lease brings it back
      const outcome: TaskOutcome = { kind: 'retry', at: new Date(this.clock.now().getTime() + Math.min(1000 * 2 ** task.attempts, 300_000)), error: String(err?.message ?? err) };
      this.log.warn({ queue: task.queue, key: task.dedupe_key, attempts: task.attempts, err: outcome.error }, 'task failed; will retry');
      return outcome;
    }
  }

  /** done: DONE; retry: back to PENDING at `at` with the error; dead: DEAD with the error. Only tasks still PENDING (not cancelled meanwhile). */
  private async record(results: { id: string; outcome: TaskOutcome }[]): Promise<void> {
    if (!results.length) return;
    await this.ds.query(
      `UPDATE tasks t SET
         status = CASE u.kind WHEN 'done' THEN 'DONE' WHEN 'dead' THEN 'DEAD' ELSE t.status END,
         run_at = coalesce(u.at, t.run_at), last_error = CASE WHEN u.kind = 'done' THEN t.last_error ELSE u.error END,
         lease_until = NULL, updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[]) AS u(id, kind, at, error)
       WHERE t.id = u.id AND t.status = 'PENDING'`,
      [
        results.map((r) => r.id),
        results.map((r) => r.outcome.kind),
        results.map((r) => (r.outcome.kind === 'retry' ? r.outcome.at : null)),
        results.map((r) => (r.outcome.kind === 'done' ? null : r.outcome.error)),
      ],
    );
  }
}

/** Schedulers nudge inside their transaction: the look-again comes this much later, when it has most likely committed. */
const ECHO_MS = 5;
