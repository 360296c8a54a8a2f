import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@app/platform';
import { summarizeLedger, LedgerKind } from '@app/returns';
import { SAGA_TIMER_QUEUE, SagaData } from '@app/sagas';
import { CaseQueries } from './case-queries';
import { OVERDUE_GRACE_MS, SAGA_ACTIONS, sagaActionApplies } from './case-rules';
import { decodeCursor, encodeCursor } from './cursor';

interface SagaRow {
  id: string;
  event_type: string;
  state: string;
  version: number;
  definition_version: number;
  tenant_policy_version: number;
  supplier_policy_version: number | null;
  data: SagaData;
  created_at: Date;
  closed_at: Date | null;
}

export interface Delivery {
  deliveryId: string;
  requestId: string;
  supplierId: string;
  url: string;
  requestKind: string;
  status: string;
  attempts: number;
  createdAt: Date;
  deliveredAt: Date | null;
  lastAttempt: Record<string, unknown> | null;
  canRedeliver: boolean;
}

/** A timeline entry's sort key: a kind letter and a row id ('a', 't000…042', 'r<uuid>'). */
const TIMELINE_KEY = /^[a-z][0-9a-f-]{0,40}$/;

export interface TimelineEntry {
  kind: string;
  at: Date;
  key: string;
  data: Record<string, unknown>;
}

/** A case in full for ops: summary, current step and deadlines, claims, deliveries, ledger, what can be done, and the timeline. */
@Injectable()
export class CaseDetail {
  constructor(private readonly ds: DataSource, private readonly cases: CaseQueries, private readonly clock: Clock) {}

  async get(tenantId: string, returnId: string) {
    const summary = await this.cases.one(tenantId, returnId);
    const now = this.clock.now();
    const [saga]: SagaRow[] = summary.sagaId
      ? await this.ds.query(
          `SELECT id, event_type, state, version, definition_version, tenant_policy_version, supplier_policy_version, data, created_at, closed_at FROM sagas WHERE id = $1`,
          [summary.sagaId],
        )
      : [];
    const [deadlines, deliveries, ledger, answers, alerts, timeline] = await Promise.all([
      saga ? this.deadlines(saga.id, now) : [],
      this.deliveries(tenantId, returnId),
      saga ? this.ledger(saga.id) : [],
      this.ds.query(`SELECT a.request_id FROM supplier_answers a JOIN supplier_requests r ON r.id = a.request_id WHERE r.return_id = $1 AND a.tenant_id = $2`, [returnId, tenantId]),
      this.ds.query(`SELECT id, kind, state, reason, raised_at, cleared_at FROM ops_alerts WHERE return_id = $1 AND tenant_id = $2 ORDER BY id DESC LIMIT 20`, [returnId, tenantId]),
      this.timeline(tenantId, returnId, {}),
    ]);
    // Nothing is sent for a closed case any more.
    if (!saga || saga.closed_at) for (const d of deliveries) d.canRedeliver = false;
    const answered = new Set<string>(answers.map((a: { request_id: string }) => a.request_id));
    const names = new Map((saga?.data.case.claims ?? []).map((c) => [c.supplierId, c.supplierName]));
    const claims = (saga?.data.claims ?? []).map((c) => ({
      supplierId: c.supplierId, supplierName: names.get(c.supplierId) ?? null, requestId: c.requestId, requestKind: c.requestKind, status: c.status,
      claimMinor: c.claimMinor, grantedMinor: c.grantedMinor, reminders: c.reminders, rmaNumber: c.rmaNumber ?? null, reason: c.reason ?? null,
      notRecoverable: c.notRecoverable ?? null,
      // ops may record the supplier's decision while the current request is out and unanswered
      canRecordDecision: !saga!.closed_at && ['REQUESTED', 'DELIVERED', 'UNREACHABLE'].includes(c.status) && !answered.has(c.requestId)
        && deliveries.some((d) => d.requestId === c.requestId),
    }));
    const entries = ledger.map((l) => ({ kind: l.kind, amountMinor: Number(l.amount_minor), currency: l.currency, reference: l.reference, at: l.at }));
    const actions = saga
      ? SAGA_ACTIONS.filter((a) => sagaActionApplies(saga.event_type, saga.state, saga.data, a, now, saga.id))
      : [];
    return {
      ...summary,
      saga: saga
        ? {
            id: saga.id, state: saga.state, version: saga.version, definitionVersion: saga.definition_version, tenantPolicyVersion: saga.tenant_policy_version,
            supplierPolicyVersion: saga.supplier_policy_version, startedAt: saga.created_at, closedAt: saga.closed_at,
            resolution: saga.data.case.resolution, refundTiming: saga.data.case.tenantPolicy.refundTiming,
            refunds: saga.data.refunds,
          }
        : null,
      currentStep: {
        state: summary.state,
        since: summary.stateSince,
        expectedMs: summary.expectedMs,
        expectedBy: summary.expectedMs !== null ? new Date(new Date(summary.stateSince).getTime() + summary.expectedMs) : null,
        deadlines,
      },
      claims,
      deliveries,
      ledger: entries,
      amounts: saga ? { currency: saga.data.case.currency, shopCurrency: saga.data.case.shopCurrency, ...summarizeLedger(entries) } : null,
      availableActions: [...actions, ...(claims.some((c) => c.canRecordDecision) ? ['SUPPLIER_DECISION'] : []), ...(deliveries.some((d) => d.canRedeliver) ? ['REDELIVER'] : []), 'NOTE'],
      alerts: alerts.map((a: { id: string; kind: string; state: string; reason: string; raised_at: Date; cleared_at: Date | null }) => ({
        id: Number(a.id), kind: a.kind, state: a.state, reason: a.reason, raisedAt: a.raised_at, clearedAt: a.cleared_at,
      })),
      timeline,
    };
  }

  /** The saga's deadlines (pending first), from the orchestrator's task rows. */
  private async deadlines(sagaId: string, now: Date) {
    const rows: { dedupe_key: string; run_at: Date; status: string }[] = await this.ds.query(
      `SELECT dedupe_key, run_at, status FROM tasks WHERE queue = '${SAGA_TIMER_QUEUE}' AND dedupe_key LIKE $1 ORDER BY status <> 'PENDING', run_at`,
      [`${sagaId}:%`],
    );
    return rows.map((t) => ({
      timer: t.dedupe_key.slice(sagaId.length + 1), at: t.run_at, status: t.status,
      overdue: t.status === 'PENDING' && t.run_at.getTime() < now.getTime() - OVERDUE_GRACE_MS,
    }));
  }

  private async deliveries(tenantId: string, returnId: string): Promise<Delivery[]> {
    const rows = await this.ds.query(
      `SELECT d.id, d.request_id, d.supplier_id, d.url, d.status, d.attempts, d.created_at, d.delivered_at, r.kind,
              (SELECT row_to_json(x) FROM (SELECT a.at, a.status_code, a.error, a.latency_ms FROM webhook_attempts a WHERE a.delivery_id = d.id ORDER BY a.id DESC LIMIT 1) x) AS last_attempt
       FROM webhook_deliveries d JOIN supplier_requests r ON r.id = d.request_id
       WHERE r.return_id = $1 AND d.tenant_id = $2 ORDER BY d.created_at, d.id`,
      [returnId, tenantId],
    );
    return rows.map((d: { id: string; request_id: string; supplier_id: string; url: string; status: string; attempts: number; created_at: Date; delivered_at: Date | null; kind: string; last_attempt: Record<string, unknown> | null }) => ({
      deliveryId: d.id, requestId: d.request_id, supplierId: d.supplier_id, url: d.url, requestKind: d.kind, status: d.status, attempts: d.attempts,
      createdAt: d.created_at, deliveredAt: d.delivered_at, lastAttempt: d.last_attempt,
      canRedeliver: d.status !== 'PENDING',
    }));
  }

  private ledger(sagaId: string): Promise<{ kind: LedgerKind; amount_minor: string; currency: string; reference: string; at: Date }[]> {
    return this.ds.query(`SELECT kind, amount_minor, currency, reference, at FROM ledger_entries WHERE saga_id = $1 ORDER BY id`, [sagaId]);
  }

  /**
   * Everything that happened to a case, oldest first: intake, saga
   * transitions (with the message that caused each and the commands it
   * issued), supplier requests, webhook attempts, supplier answers, refunds,
   * e-mails, ops actions, notes and alerts. Keyset-paginated.
   */
  async timeline(tenantId: string, returnId: string, page: { cursor?: string; limit?: number }): Promise<{ items: TimelineEntry[]; nextCursor: string | null }> {
    const limit = page.limit ?? 100;
    const after = decodeCursor(page.cursor, ['timestamp', TIMELINE_KEY]);
    const rows: (TimelineEntry & { at_key: string })[] = await this.ds.query(
      `WITH ret AS (SELECT id, tenant_id, created_at, event_type, reason, not_recoverable, request FROM returns WHERE id = $1 AND tenant_id = $2),
            sg AS (SELECT s.id FROM sagas s JOIN ret ON s.return_id = ret.id),
            rq AS (SELECT r.* FROM supplier_requests r JOIN ret ON r.return_id = ret.id WHERE r.tenant_id = $2)
       SELECT kind, at, at::text AS at_key, key, data FROM (
         SELECT 'reported' AS kind, ret.created_at AS at, 'a' AS key,
                jsonb_build_object('eventType', ret.event_type, 'reason', ret.reason, 'resolution', ret.request->>'resolution', 'notRecoverable', ret.not_recoverable) AS data FROM ret
         UNION ALL
         SELECT 'transition', t.at, 't' || lpad(t.id::text, 19, '0'),
                jsonb_build_object('from', t.from_state, 'to', t.to_state, 'cause', t.cause, 'messageId', t.message_id, 'message', t.detail->>'type', 'event', t.detail->'event', 'effects', t.detail->'effects')
         FROM saga_transitions t JOIN sg ON t.saga_id = sg.id
         UNION ALL
         SELECT 'supplier_request', rq.created_at, 'r' || rq.id::text, jsonb_build_object('requestId', rq.id, 'supplierId', rq.supplier_id, 'requestKind', rq.kind, 'amountMinor', rq.body->'amountMinor', 'answerBy', rq.body->'answerBy') FROM rq
         UNION ALL
         SELECT 'webhook_attempt', a.at, 'w' || lpad(a.id::text, 19, '0'),
                jsonb_build_object('deliveryId', d.id, 'requestId', d.request_id, 'statusCode', a.status_code, 'latencyMs', a.latency_ms, 'error', a.error,
                                   'ok', COALESCE(a.status_code BETWEEN 200 AND 299, false), 'responseExcerpt', left(a.response_excerpt, 200))
         FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id JOIN rq ON rq.id = d.request_id
         UNION ALL
         SELECT 'supplier_answer', sa.received_at, 's' || sa.request_id::text, jsonb_build_object('requestId', sa.request_id, 'supplierId', sa.supplier_id, 'answer', sa.answer)
         FROM supplier_answers sa JOIN rq ON rq.id = sa.request_id
         UNION ALL
         SELECT 'refund', f.created_at, 'f' || f.id::text,
                jsonb_build_object('refundId', f.id, 'purpose', f.purpose, 'amountMinor', f.amount_minor, 'currency', f.currency, 'status', f.status, 'attempts', f.attempts,
                                   'lastError', f.last_error, 'providerRefundId', f.provider_refund_id, 'completedAt', f.completed_at)
         FROM refunds f JOIN ret ON f.return_id = ret.id WHERE f.tenant_id = $2
         UNION ALL
         SELECT 'notification', COALESCE(n.sent_at, n.created_at), 'n' || n.id::text,
                jsonb_build_object('template', n.template, 'locale', n.locale, 'to', n.to_email, 'subject', n.subject, 'status', n.status, 'attempts', n.attempts, 'lastError', n.last_error)
         FROM notifications n JOIN ret ON n.return_id = ret.id WHERE n.tenant_id = $2
         UNION ALL
         SELECT CASE WHEN o.action = 'NOTE' THEN 'note' ELSE 'ops_action' END, o.created_at, 'o' || o.id::text,
                jsonb_build_object('actionId', o.id, 'action', o.action, 'actor', o.actor, 'reason', o.reason, 'params', o.params, 'batchId', o.batch_id, 'stateBefore', o.state_before)
         FROM ops_audit o JOIN ret ON o.return_id = ret.id WHERE o.tenant_id = $2
         UNION ALL
         SELECT 'alert', al.raised_at, 'l' || lpad(al.id::text, 19, '0'), jsonb_build_object('alert', al.kind, 'state', al.state, 'reason', al.reason, 'clearedAt', al.cleared_at)
         FROM ops_alerts al JOIN ret ON al.return_id = ret.id WHERE al.tenant_id = $2
       ) x
       WHERE ($3::timestamptz IS NULL OR (x.at, x.key) > ($3::timestamptz, $4::text))
       ORDER BY x.at, x.key
       LIMIT $5::int`,
      [returnId, tenantId, after?.[0] ?? null, after?.[1] ?? null, limit + 1],
    );
    const items = rows.slice(0, limit);
    const last = rows.length > limit ? items[items.length - 1] : undefined;
    return {
      items: items.map(({ kind, at, key, data }) => ({ kind, at, key, data })),
      nextCursor: last ? encodeCursor([last.at_key, last.key]) : null,
    };
  }
}
