import { randomUUID } from 'crypto';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { dataSourceOptions, runMigrations, SystemClock, TaskQueue, TaskRow, TaskWorker } from '@app/platform';
import { createTestDatabase, TestDatabase, waitFor } from '@app/testing';

/**
 * Task leases against the real Postgres: a short lease that a live worker
 * renews while its handler runs (a heartbeat), so a slow task is not taken
 * from a live worker, and a dead worker's task is taken over within one lease.
 */
describe('task leases', () => {
  let db: TestDatabase;
  let ds: DataSource;
  const clock = new SystemClock();
  const log = pino({ level: 'silent' });
  const workers: TaskWorker[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = new DataSource(dataSourceOptions(db.url, 4));
    await ds.initialize();
    await runMigrations(ds);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });
  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  const worker = (queue: string, handle: (t: TaskRow) => Promise<void>, leaseMs: number) => {
    const w = new TaskWorker(ds, clock, { [queue]: async (t) => { await handle(t); return { kind: 'done' }; } }, log, { pollMs: 20, leaseMs });
    workers.push(w);
    w.start();
    return w;
  };
  const statusOf = async (queue: string) => (await ds.query(`SELECT status, attempts FROM tasks WHERE queue = $1`, [queue]))[0];

  it('a handler running 5 leases long keeps its task: a second worker does not run it again', async () => {
    const queue = `slow-${randomUUID()}`;
    await TaskQueue.schedule(ds.manager, queue, 'k', clock.now());
    const runs: string[] = [];
    const slow = (name: string) => async () => {
      runs.push(name);
      await new Promise((r) => setTimeout(r, 1_500));
    };
    worker(queue, slow('a'), 300);
    await waitFor(() => runs.length === 1);
    worker(queue, slow('b'), 300);
    await waitFor(async () => (await statusOf(queue)).status === 'DONE', { timeoutMs: 10_000 });
    await new Promise((r) => setTimeout(r, 500));
    expect(runs).toHaveLength(1);
    expect(await statusOf(queue)).toEqual({ status: 'DONE', attempts: 1 });
  });

  it('a task claimed by a worker that died is taken over within about one lease', async () => {
    const queue = `orphan-${randomUUID()}`;
    const leaseMs = 1_000;
    await TaskQueue.schedule(ds.manager, queue, 'k', clock.now());
    // Claimed by an instance that was then SIGKILLed: its lease stands, nobody renews it.
    const claimedAt = Date.now();
    await ds.query(`UPDATE tasks SET lease_until = $2, attempts = 1 WHERE queue = $1`, [queue, new Date(claimedAt + leaseMs)]);
    let ranAt = 0;
    worker(queue, async () => { ranAt = Date.now(); }, leaseMs);
    await waitFor(() => ranAt > 0, { timeoutMs: 5_000 });
    expect(ranAt - claimedAt).toBeGreaterThanOrEqual(leaseMs - 50);
    expect(ranAt - claimedAt).toBeLessThan(leaseMs + 1_000);
    // The outcome is recorded just after the handler returns.
    await waitFor(async () => (await statusOf(queue)).status === 'DONE', { timeoutMs: 5_000 });
    expect(await statusOf(queue)).toEqual({ status: 'DONE', attempts: 2 });
  });
});
