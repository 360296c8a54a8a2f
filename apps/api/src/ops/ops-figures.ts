import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@app/platform';
import { recoveryRate } from '@app/returns';

const DAY = 86_400_000;
const is2xx = (s: number | null) => s !== null && s >= 200 && s < 300;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

interface SupplierRow {
  id: string;
  name: string;
  webhook_url: string;
  status: 'ACTIVE' | 'DISABLED';
  failing_since: Date | null;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  disabled_at: Date | null;
  disabled_reason: string | null;
}

/** Headline figures and supplier endpoint health for the console. Read-only SQL over the services' tables (ADR 004). */
@Injectable()
export class OpsFigures {
  constructor(private readonly ds: DataSource, private readonly clock: Clock) {}

  /** Open cases by state, time to resolution, refunds, recovery rate per supplier, returns by reason and by supplier, over the last `days`. */
  async headline(tenantId: string, days = 30) {
    const now = this.clock.now();
    const since = new Date(now.getTime() - days * DAY);
    const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => this.ds.query(sql, [tenantId, ...params]);
    const [openByState, pending, resolution, resolutionByType, refunds, refundsByDay, recovery, byEventType, byReason, bySupplier] = await Promise.all([
      q<{ event_type: string; state: string; n: string }>(`SELECT event_type, state, count(*) AS n FROM sagas WHERE tenant_id = $1 AND closed_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2`),
      q<{ n: string }>(`SELECT count(*) AS n FROM returns r WHERE r.tenant_id = $1 AND NOT EXISTS (SELECT 1 FROM sagas s WHERE s.return_id = r.id)`),
      q<{ p50: number | null; p90: number | null; n: string }>(
        `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - created_at)) AS p50,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - created_at)) AS p90, count(*) AS n
         FROM sagas WHERE tenant_id = $1 AND closed_at >= $2`, [since]),
      q<{ event_type: string; p50: number; p90: number; n: string }>(
        `SELECT event_type, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - created_at)) AS p50,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - created_at)) AS p90, count(*) AS n
         FROM sagas WHERE tenant_id = $1 AND closed_at >= $2 GROUP BY 1 ORDER BY 1`, [since]),
      q<{ status: string; currency: string; n: string; amount: string }>(
        `SELECT status, currency, count(*) AS n, sum(amount_minor) AS amount FROM refunds WHERE tenant_id = $1 AND created_at >= $2 GROUP BY 1, 2 ORDER BY 1, 2`, [since]),
      q<{ day: string; currency: string; n: string; amount: string }>(
        `SELECT to_char(date_trunc('day', completed_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS day, currency, count(*) AS n, sum(amount_minor) AS amount
         FROM refunds WHERE tenant_id = $1 AND status = 'SUCCEEDED' AND completed_at >= $2 GROUP BY 1, 2 ORDER BY 1`, [since]),
      // Requested credit is referenced by supplier id, granted credit by request id (see the saga steps).
      q<{ supplier_id: string; name: string; currency: string; requested: string; granted: string }>(
        `WITH led AS (
           SELECT CASE WHEN l.kind = 'SUPPLIER_CREDIT_REQUESTED' THEN l.reference ELSE r.supplier_id::text END AS supplier_id, l.kind, l.amount_minor, l.currency
           FROM ledger_entries l LEFT JOIN supplier_requests r ON l.kind = 'SUPPLIER_CREDIT_GRANTED' AND r.id::text = l.reference
           WHERE l.tenant_id = $1 AND l.kind IN ('SUPPLIER_CREDIT_REQUESTED', 'SUPPLIER_CREDIT_GRANTED') AND l.at >= $2)
         SELECT sp.id AS supplier_id, sp.name, led.currency,
                sum(led.amount_minor) FILTER (WHERE led.kind = 'SUPPLIER_CREDIT_REQUESTED') AS requested,
                sum(led.amount_minor) FILTER (WHERE led.kind = 'SUPPLIER_CREDIT_GRANTED') AS granted
         FROM led JOIN suppliers sp ON sp.id::text = led.supplier_id AND sp.tenant_id = $1
         GROUP BY 1, 2, 3 ORDER BY 2`, [since]),
      q<{ event_type: string; n: string }>(`SELECT event_type, count(*) AS n FROM returns WHERE tenant_id = $1 AND created_at >= $2 GROUP BY 1 ORDER BY 2 DESC`, [since]),
      q<{ reason: string; n: string }>(
        `SELECT COALESCE(NULLIF(lower(trim(reason)), ''), '(none given)') AS reason, count(*) AS n FROM returns WHERE tenant_id = $1 AND created_at >= $2
         GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10`, [since]),
      q<{ supplier_id: string; name: string; n: string }>(
        `SELECT x->>'supplierId' AS supplier_id, x->>'supplierName' AS name, count(DISTINCT s.return_id) AS n
         FROM sagas s CROSS JOIN LATERAL jsonb_array_elements(s.data->'case'->'claims') x
         WHERE s.tenant_id = $1 AND s.created_at >= $2 GROUP BY 1, 2 ORDER BY 3 DESC, 2`, [since]),
    ]);
    return {
      windowDays: days,
      since,
      openByState: [
        ...(Number(pending[0].n) ? [{ eventType: null, state: 'PENDING', count: Number(pending[0].n) }] : []),
        ...openByState.map((r) => ({ eventType: r.event_type, state: r.state, count: Number(r.n) })),
      ],
      timeToResolution: {
        closed: Number(resolution[0].n), p50Seconds: num(resolution[0].p50), p90Seconds: num(resolution[0].p90),
        byEventType: resolutionByType.map((r) => ({ eventType: r.event_type, closed: Number(r.n), p50Seconds: num(r.p50), p90Seconds: num(r.p90) })),
      },
      refunds: {
        byStatus: refunds.map((r) => ({ status: r.status, currency: r.currency, count: Number(r.n), amountMinor: Number(r.amount) })),
        byDay: refundsByDay.map((r) => ({ day: r.day, currency: r.currency, count: Number(r.n), amountMinor: Number(r.amount) })),
      },
      supplierRecovery: recovery.map((r) => {
        const requested = Number(r.requested ?? 0);
        const granted = Number(r.granted ?? 0);
        return { supplierId: r.supplier_id, name: r.name, currency: r.currency, requestedMinor: requested, grantedMinor: granted, recoveryRate: recoveryRate(requested, granted) };
      }),
      returnsByEventType: byEventType.map((r) => ({ eventType: r.event_type, count: Number(r.n) })),
      returnsByReason: byReason.map((r) => ({ reason: r.reason, count: Number(r.n) })),
      returnsBySupplier: bySupplier.map((r) => ({ supplierId: r.supplier_id, name: r.name, count: Number(r.n) })),
    };
  }

  /**
   * Each supplier endpoint: its status as the suppliers service keeps it
   * (disabled, failing since), deliveries by status, and the last 24 h of
   * attempts with their results.
   */
  async supplierHealth(tenantId: string) {
    const now = this.clock.now();
    const since = new Date(now.getTime() - DAY);
    const [suppliers, deliveries, attempts, recent] = await Promise.all([
      this.ds.query(
        `SELECT sp.id, sp.name, sp.webhook_url, COALESCE(e.status, 'ACTIVE') AS status, e.failing_since, e.last_success_at, e.last_failure_at, e.disabled_at, e.disabled_reason
         FROM suppliers sp LEFT JOIN webhook_endpoints e ON e.supplier_id = sp.id WHERE sp.tenant_id = $1 ORDER BY sp.name, sp.id`,
        [tenantId],
      ),
      this.ds.query(`SELECT supplier_id, status, count(*) AS n FROM webhook_deliveries WHERE tenant_id = $1 GROUP BY 1, 2`, [tenantId]),
      this.ds.query(
        `SELECT d.supplier_id,
                count(*) FILTER (WHERE a.status_code BETWEEN 200 AND 299) AS ok,
                count(*) FILTER (WHERE NOT COALESCE(a.status_code BETWEEN 200 AND 299, false)) AS failed,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY a.latency_ms) AS p50_latency
         FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
         WHERE d.tenant_id = $1 AND a.at >= $2 GROUP BY 1`,
        [tenantId, since],
      ),
      this.ds.query(
        `SELECT x.* FROM suppliers sp CROSS JOIN LATERAL (
           SELECT d.supplier_id, a.at, a.status_code, a.latency_ms, a.error, d.id AS delivery_id FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id
           WHERE d.supplier_id = sp.id ORDER BY a.at DESC, a.id DESC LIMIT 20) x
         WHERE sp.tenant_id = $1`,
        [tenantId],
      ),
    ]);
    return {
      since,
      suppliers: suppliers.map((s: SupplierRow) => {
        const a = attempts.find((x: { supplier_id: string }) => x.supplier_id === s.id);
        const ok = Number(a?.ok ?? 0);
        const failed = Number(a?.failed ?? 0);
        const byStatus = Object.fromEntries(deliveries.filter((d: { supplier_id: string }) => d.supplier_id === s.id).map((d: { status: string; n: string }) => [d.status, Number(d.n)]));
        const last = recent.filter((r: { supplier_id: string }) => r.supplier_id === s.id);
        return {
          supplierId: s.id, name: s.name, webhookUrl: s.webhook_url,
          status: s.status, disabledAt: s.disabled_at, disabledReason: s.disabled_reason,
          failingSince: s.failing_since, lastSuccessAt: s.last_success_at, lastFailureAt: s.last_failure_at,
          deliveries: byStatus,
          last24h: { attempts: ok + failed, succeeded: ok, failed, successRate: ok + failed ? ok / (ok + failed) : null, p50LatencyMs: num(a?.p50_latency) },
          recentAttempts: last.map((r: { at: Date; status_code: number | null; latency_ms: number; error: string | null; delivery_id: string }) => ({
            at: r.at, statusCode: r.status_code, ok: is2xx(r.status_code), latencyMs: r.latency_ms, error: r.error, deliveryId: r.delivery_id,
          })),
          // FAILING: on a failure streak (or the last attempt failed) but not disabled yet
          health: s.status === 'DISABLED' ? 'DISABLED' : s.failing_since || (last[0] && !is2xx(last[0].status_code)) ? 'FAILING' : 'HEALTHY',
        };
      }),
    };
  }
}
