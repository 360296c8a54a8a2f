import { Inject, Injectable, OnApplicationBootstrap, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { Clock, LOGGER, TaskQueue, TaskScheduler } from '@app/platform';
import { CaseQueries, CaseSummary } from './case-queries';
import { LiveFeed } from './live-feed';
import { OpsMetrics } from './ops-metrics';

export const STUCK_SCAN_QUEUE = 'ops-stuck-scan';
/** How often the detector looks (on the service's Clock, so tests move it with a ManualClock). */
export const STUCK_SCAN_EVERY_MS = 60_000;

export interface ScanResult {
  stuck: number;
  raised: CaseSummary[];
  cleared: number;
}

/**
 * Finds cases with no progress past their step's expected time, or with an
 * overdue deadline, and raises one alert per stay in a state: an ops_alerts
 * row, a warn log line, a metric and an SSE event. An alert clears when the
 * case moves on. Runs as a durable periodic task (one slot per interval, so
 * several api instances scan once), or directly via `scan()`.
 */
@Injectable()
export class StuckDetector implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly ds: DataSource,
    private readonly cases: CaseQueries,
    private readonly tasks: TaskScheduler,
    private readonly feed: LiveFeed,
    private readonly metrics: OpsMetrics,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onModuleInit(): void {
    this.tasks.handle(STUCK_SCAN_QUEUE, async () => {
      await this.scan();
      await this.scheduleSlot(this.clock.now().getTime() + STUCK_SCAN_EVERY_MS);
      return { kind: 'done' };
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.scheduleSlot(this.clock.now().getTime());
  }

  private async scheduleSlot(atMs: number): Promise<void> {
    const slot = Math.floor(atMs / STUCK_SCAN_EVERY_MS);
    await TaskQueue.scheduleOnce(this.ds.manager, STUCK_SCAN_QUEUE, `slot:${slot}`, new Date(Math.max(atMs, slot * STUCK_SCAN_EVERY_MS)));
    this.tasks.nudge();
  }

  async scan(): Promise<ScanResult> {
    const now = this.clock.now();
    const stuck: CaseSummary[] = [];
    for (let cursor: string | undefined; ; ) {
      const page = await this.cases.list(null, { stuck: true, open: true, cursor, limit: 500 }, 500);
      stuck.push(...page.items);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const raised: CaseSummary[] = [];
    for (const c of stuck) {
      const tenantId = c.tenantId;
      const rows = await this.ds.query(
        `INSERT INTO ops_alerts (tenant_id, return_id, saga_id, kind, state, state_since, reason, raised_at) VALUES ($1, $2, $3, 'STUCK', $4, $5, $6, $7)
         ON CONFLICT (return_id, kind, state, state_since) DO NOTHING RETURNING id`,
        [tenantId, c.returnId, c.sagaId, c.state, c.stateSince, c.stuckReason ?? 'stuck', now],
      );
      if (!rows.length) continue;
      raised.push(c);
      this.metrics.alerts.inc({ kind: 'STUCK' });
      this.log.warn({ alert: 'STUCK', tenantId, returnId: c.returnId, sagaId: c.sagaId, eventType: c.eventType, state: c.state, reason: c.stuckReason }, 'ops alert: case stuck');
      this.feed.publish({ tenantId, type: 'alert', data: { alert: 'STUCK', returnId: c.returnId, sagaId: c.sagaId, state: c.state, reason: c.stuckReason, at: now.toISOString() } });
    }
    // Whatever is no longer stuck in the same state has moved on.
    const [cleared] = await this.ds.query(
      `UPDATE ops_alerts a SET cleared_at = $1 WHERE a.kind = 'STUCK' AND a.cleared_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::text[]) AS s(return_id, state) WHERE s.return_id = a.return_id AND s.state = a.state)
       RETURNING a.tenant_id, a.return_id`,
      [now, stuck.map((c) => c.returnId), stuck.map((c) => c.state)],
    );
    for (const a of cleared as { tenant_id: string; return_id: string }[])
      this.feed.publish({ tenantId: a.tenant_id, type: 'alert', data: { alert: 'STUCK', returnId: a.return_id, cleared: true, at: now.toISOString() } });
    this.metrics.stuckCases.set(stuck.length);
    // Keep the queue small: finished scan slots are of no further use.
    await this.ds.query(`DELETE FROM tasks WHERE queue = $1 AND status = 'DONE' AND run_at < $2`, [STUCK_SCAN_QUEUE, new Date(now.getTime() - 86_400_000)]);
    return { stuck: stuck.length, raised, cleared: cleared.length };
  }
}
