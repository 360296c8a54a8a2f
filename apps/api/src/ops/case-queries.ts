import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, notFound } from '@app/platform';
import { SAGA_TIMER_QUEUE } from '@app/sagas';
import { CaseFilterDto } from './case-filter.dto';
import { DEFAULT_EXPECTED_MS, expectedMsTable, OVERDUE_GRACE_MS, PENDING_EXPECTED_MS, stuckReason } from './case-rules';
import { decodeCursor, encodeCursor } from './cursor';
import { notRecoverableSql } from '../returns/not-recoverable';

interface CaseRow {
  return_id: string;
  tenant_id: string;
  order_id: string;
  external_order_id: string;
  event_type: string;
  reason: string | null;
  not_recoverable: string | null;
  not_recoverable_flag: boolean;
  created_at: Date;
  created_key: string;
  saga_id: string | null;
  state: string;
  saga_version: number | null;
  updated_at: Date | null;
  closed_at: Date | null;
  escalation: string | null;
  state_since: Date;
  expected_ms: string;
  next_timer: string | null;
  next_at: Date | null;
  overdue_timer: string | null;
  overdue_at: Date | null;
  supplier_ids: string[];
  suppliers: string | null;
  stuck: boolean;
}

export type CaseSummary = ReturnType<CaseQueries['toSummary']>;

/**
 * Read side of the ops console: cases across the orchestrator's, suppliers'
 * and refunds' tables, in one place (ADR 004). Every query is scoped to the
 * caller's tenant; `null` (all tenants) is only for the stuck detector.
 */
@Injectable()
export class CaseQueries {
  constructor(private readonly ds: DataSource, private readonly clock: Clock) {}

  /** One page of cases, newest first, and the cursor of the next page (null on the last). */
  async list(tenantId: string | null, f: CaseFilterDto & { cursor?: string; limit?: number; returnIds?: string[] }, max = 200) {
    const limit = Math.min(f.limit ?? 50, max);
    const now = this.clock.now();
    const { sql, params, add } = this.query(tenantId, now, f.returnIds);
    const where: string[] = [];
    if (f.tenantId && tenantId && f.tenantId !== tenantId) where.push('false');
    if (f.eventType?.length) where.push(`z.event_type = ANY(${add(f.eventType)}::text[])`);
    if (f.state?.length) where.push(`z.state = ANY(${add(f.state)}::text[])`);
    if (f.supplierId) where.push(`${add(f.supplierId)}::text = ANY(z.supplier_ids)`);
    if (f.minAgeHours !== undefined) where.push(`z.created_at <= ${add(new Date(now.getTime() - f.minAgeHours * 3_600_000))}::timestamptz`);
    if (f.maxAgeHours !== undefined) where.push(`z.created_at >= ${add(new Date(now.getTime() - f.maxAgeHours * 3_600_000))}::timestamptz`);
    if (f.stuck !== undefined) where.push(`z.stuck = ${add(f.stuck)}`);
    if (f.notRecoverable !== undefined) where.push(`z.not_recoverable_flag = ${add(f.notRecoverable)}`);
    if (f.open !== undefined) where.push(f.open ? `z.closed_at IS NULL` : `z.closed_at IS NOT NULL`);
    if (f.q) {
      const q = f.q.trim();
      const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push(`(z.return_id::text = ${add(q.toLowerCase())} OR z.order_id::text = ${add(q.toLowerCase())} OR z.external_order_id ILIKE ${add(like)})`);
    }
    const after = decodeCursor(f.cursor, ['timestamp', 'uuid']);
    if (after) where.push(`(z.created_at, z.return_id) < (${add(after[0])}::timestamptz, ${add(after[1])}::uuid)`);
    const rows: CaseRow[] = await this.ds.query(
      `${sql} SELECT * FROM z ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY z.created_at DESC, z.return_id DESC LIMIT ${add(limit + 1)}::int`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => this.toSummary(r, now)),
      nextCursor: rows.length > limit && last ? encodeCursor([last.created_key, last.return_id]) : null,
    };
  }

  /** One case's summary, or 404 (also for another tenant's case). */
  async one(tenantId: string, returnId: string): Promise<CaseSummary> {
    const { items } = await this.list(tenantId, { returnIds: [returnId], limit: 1 });
    if (!items.length) throw notFound('case');
    return items[0];
  }

  /** Alerts still open (the case has not moved on), newest first. */
  async openAlerts(tenantId: string) {
    const rows = await this.ds.query(
      `SELECT a.id, a.return_id, a.saga_id, a.kind, a.state, a.reason, a.raised_at, o.external_id AS external_order_id
       FROM ops_alerts a JOIN returns r ON r.id = a.return_id JOIN orders o ON o.id = r.order_id
       WHERE a.tenant_id = $1 AND a.cleared_at IS NULL ORDER BY a.raised_at DESC, a.id DESC LIMIT 200`,
      [tenantId],
    );
    return {
      items: rows.map((a: { id: string; return_id: string; saga_id: string | null; kind: string; state: string; reason: string; raised_at: Date; external_order_id: string }) => ({
        id: Number(a.id), kind: a.kind, returnId: a.return_id, sagaId: a.saga_id, externalOrderId: a.external_order_id, state: a.state, reason: a.reason, raisedAt: a.raised_at,
      })),
    };
  }

  /**
   * The case view as SQL: a return, its latest saga, when it entered its
   * state, its pending deadlines and whether it is stuck.
   */
  private query(tenantId: string | null, now: Date, returnIds?: string[]) {
    const params: unknown[] = [];
    const add = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const nowP = add(now);
    const sql = `
      WITH c AS (
        SELECT r.id AS return_id, r.tenant_id, r.order_id, o.external_id AS external_order_id, r.event_type, r.reason, ${notRecoverableSql('r', 's')} AS not_recoverable,
               r.created_at, r.created_at::text AS created_key,
               s.id AS saga_id, COALESCE(s.state, 'PENDING') AS state, s.version AS saga_version, s.updated_at, s.closed_at,
               s.data->>'escalation' AS escalation,
               COALESCE(tr.since, s.created_at, r.created_at) AS state_since,
               COALESCE((${add(JSON.stringify(expectedMsTable()))}::jsonb ->> (r.event_type || ':' || s.state))::bigint, ${add(DEFAULT_EXPECTED_MS)}::bigint) AS expected_ms,
               dl.next_timer, dl.next_at, dl.overdue_timer, dl.overdue_at,
               COALESCE((SELECT array_agg(DISTINCT x->>'supplierId') FROM jsonb_array_elements(COALESCE(s.data->'case'->'claims', '[]')) x), '{}') AS supplier_ids,
               (SELECT string_agg(x->>'supplierName', ', ') FROM jsonb_array_elements(COALESCE(s.data->'case'->'claims', '[]')) x) AS suppliers,
               ${notRecoverableSql('r', 's')} IS NOT NULL AS not_recoverable_flag
        FROM returns r
        JOIN orders o ON o.id = r.order_id
        LEFT JOIN LATERAL (SELECT * FROM sagas s WHERE s.return_id = r.id ORDER BY s.created_at DESC LIMIT 1) s ON true
        LEFT JOIN LATERAL (SELECT max(t.at) AS since FROM saga_transitions t WHERE t.saga_id = s.id AND t.from_state <> t.to_state) tr ON true
        LEFT JOIN LATERAL (
          SELECT (array_agg(substr(k.dedupe_key, 38) ORDER BY k.run_at))[1] AS next_timer, min(k.run_at) AS next_at,
                 (array_agg(substr(k.dedupe_key, 38) ORDER BY k.run_at) FILTER (WHERE k.run_at < ${nowP}::timestamptz - ${add(OVERDUE_GRACE_MS)}::float8 * interval '1 millisecond'))[1] AS overdue_timer,
                 min(k.run_at) FILTER (WHERE k.run_at < ${nowP}::timestamptz - ${add(OVERDUE_GRACE_MS)}::float8 * interval '1 millisecond') AS overdue_at
          FROM tasks k WHERE k.queue = '${SAGA_TIMER_QUEUE}' AND k.status = 'PENDING'
            -- keys '<sagaId>:<timer>' as a byte range, which the tasks_saga_timer_keys index serves (a LIKE with a computed pattern cannot)
            AND k.dedupe_key ~>=~ (s.id::text || ':') AND k.dedupe_key ~<~ (s.id::text || ';')
        ) dl ON true
        WHERE (${add(tenantId)}::uuid IS NULL OR r.tenant_id = ${add(tenantId)}::uuid)
          AND (${add(returnIds ?? null)}::uuid[] IS NULL OR r.id = ANY(${add(returnIds ?? null)}::uuid[]))
      ), z AS (
        SELECT c.*, CASE
            WHEN c.saga_id IS NULL THEN c.created_at < ${nowP}::timestamptz - ${add(PENDING_EXPECTED_MS)}::float8 * interval '1 millisecond'
            WHEN c.closed_at IS NOT NULL THEN false
            ELSE c.overdue_at IS NOT NULL OR c.state_since < ${nowP}::timestamptz - c.expected_ms::float8 * interval '1 millisecond'
          END AS stuck
        FROM c
      )`;
    return { sql, params, add };
  }

  toSummary(r: CaseRow, now: Date) {
    const expectedMs = Number(r.expected_ms);
    return {
      returnId: r.return_id,
      tenantId: r.tenant_id,
      orderId: r.order_id,
      externalOrderId: r.external_order_id,
      eventType: r.event_type,
      reason: r.reason,
      state: r.state,
      sagaId: r.saga_id,
      sagaVersion: r.saga_version,
      suppliers: r.suppliers ? r.suppliers.split(', ') : [],
      supplierIds: r.supplier_ids,
      reportedAt: r.created_at,
      updatedAt: r.updated_at ?? r.created_at,
      closedAt: r.closed_at,
      stateSince: r.state_since,
      expectedMs: r.saga_id && !r.closed_at ? expectedMs : null,
      escalation: r.escalation,
      notRecoverable: r.not_recoverable_flag,
      notRecoverableReason: r.not_recoverable,
      nextDeadline: r.next_timer ? { timer: r.next_timer, at: r.next_at } : null,
      stuck: r.stuck,
      stuckReason: r.stuck
        ? stuckReason({ state: r.state, closed: !!r.closed_at, started: !!r.saga_id, stateSince: r.state_since, expectedMs, overdueTimer: r.overdue_timer, overdueSince: r.overdue_at }, now) ?? null
        : null,
    };
  }
}
