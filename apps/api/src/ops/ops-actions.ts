import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { OpsActionRequested, RedeliverWebhook, stableId } from '@app/contracts';
import { assertSameRequest, Clock, DomainError, ErrorCode, LOGGER, Messaging, notFound, requestFingerprint } from '@app/platform';
import { SagaData } from '@app/sagas';
import { RecordSupplierAnswer, SupplierAnswerDto } from '../supplier-api/supplier-answers';
import { SagaAction, sagaActionApplies } from './case-rules';
import { OpsMetrics } from './ops-metrics';
import { OpsCaller, requireOps } from './ops-auth';

export type AuditedAction = SagaAction | 'NOTE' | 'SUPPLIER_DECISION' | 'REDELIVER';

export interface ActionResult {
  actionId: string;
  action: AuditedAction;
  returnId: string;
  sagaId: string | null;
  /** REQUESTED: sent to the service that acts on it; RECORDED: done here (notes, supplier decisions). */
  status: 'REQUESTED' | 'RECORDED';
  actor: string;
  at: Date;
  /** True when this Idempotency-Key (or the same action on the same case version) was already used: nothing new happened. */
  replayed: boolean;
}

interface CaseRow {
  return_id: string;
  saga_id: string | null;
  event_type: string | null;
  state: string | null;
  version: number | null;
  data: SagaData | null;
  closed_at: Date | null;
}

interface AuditRow {
  request_fingerprint?: string | null;
  id: string;
  return_id: string;
  saga_id: string | null;
  action: AuditedAction;
  actor: string;
  params: Record<string, unknown>;
  created_at: Date;
}

export interface ActionRequest {
  action: AuditedAction;
  reason: string;
  /** RESOLVE: what was agreed. */
  outcome?: string;
  deliveryId?: string;
  decision?: SupplierAnswerDto & { supplierId: string };
  idempotencyKey?: string;
  batchId?: string;
  /** A batch's own request fingerprint (its actions are keyed by the batch's Idempotency-Key). */
  fingerprint?: string;
}

const hash = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);

/**
 * Ops steering a case. Each action is audited in ops_audit (who, when, why)
 * in the same transaction as the message that carries it out, and is
 * idempotent: the Idempotency-Key, or without one the same action on the same
 * case version, maps to one audit row and one message. Saga actions go to the
 * orchestrator only as OpsActionRequested on Kafka; redelivery goes to the
 * suppliers service as RedeliverWebhook; notes stay here.
 */
@Injectable()
export class OpsActions {
  constructor(
    private readonly ds: DataSource,
    private readonly messaging: Messaging,
    private readonly clock: Clock,
    private readonly answers: RecordSupplierAnswer,
    private readonly metrics: OpsMetrics,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async request(caller: OpsCaller, returnId: string, req: ActionRequest): Promise<ActionResult> {
    const c = await this.caseOf(this.ds.manager, caller.tenantId, returnId); // 404 first: another tenant learns nothing
    requireOps(caller);
    const params = this.params(req);
    const key = req.idempotencyKey ?? `auto:${req.action}:${returnId}:v${c.version ?? 0}:${hash({ reason: req.reason, ...params })}`;
    const actionId = stableId(caller.tenantId, 'ops-action', key);

    const fingerprint = req.fingerprint ?? requestFingerprint({ reason: req.reason, ...params });
    const prior = await this.prior(this.ds.manager, caller.tenantId, key, returnId, req.action, fingerprint);
    if (prior) return prior;

    // A supplier decision is recorded by the same use case as the supplier's own callback (idempotent on its own).
    if (req.action === 'SUPPLIER_DECISION') await this.recordDecision(caller, c, req);

    const result = await this.ds.transaction(async (m) => {
      const locked = await this.caseOf(m, caller.tenantId, returnId, true);
      const now = this.clock.now();
      const inserted = await m.query(
        `INSERT INTO ops_audit (id, tenant_id, return_id, saga_id, action, actor, reason, params, idempotency_key, batch_id, state_before, created_at, request_fingerprint)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (tenant_id, idempotency_key) DO NOTHING RETURNING id`,
        [actionId, caller.tenantId, returnId, locked.saga_id, req.action, caller.actor, req.reason, JSON.stringify(params), key, req.batchId ?? null, locked.state, now, fingerprint],
      );
      if (!inserted.length) return undefined; // a twin request committed first
      const meta = { returnId, tenantId: caller.tenantId, correlationId: returnId };
      if (req.action === 'RETRY' || req.action === 'CANCEL' || req.action === 'RESOLVE') {
        this.mustApply(locked, req.action, now);
        await this.messaging.outbox.emit<OpsActionRequested>(m, 'OpsActionRequested', meta, {
          sagaId: locked.saga_id!, action: req.action, actor: caller.actor, reason: req.reason, outcome: req.outcome, actionId,
        });
      } else if (req.action === 'REDELIVER') {
        if (locked.closed_at) throw new DomainError(ErrorCode.Conflict, `the case is closed (${locked.state}): nothing to redeliver`, { state: locked.state });
        const d = await this.delivery(m, caller.tenantId, returnId, req.deliveryId!);
        await this.messaging.outbox.emit<RedeliverWebhook>(m, 'RedeliverWebhook', meta, { deliveryId: d.id, supplierId: d.supplier_id, actor: caller.actor });
      }
      return {
        actionId, action: req.action, returnId, sagaId: locked.saga_id, actor: caller.actor, at: now, replayed: false,
        status: req.action === 'NOTE' || req.action === 'SUPPLIER_DECISION' ? 'RECORDED' : 'REQUESTED',
      } satisfies ActionResult;
    });
    if (!result) return (await this.prior(this.ds.manager, caller.tenantId, key, returnId, req.action, fingerprint))!;
    this.messaging.nudge();
    this.metrics.actions.inc({ action: req.action });
    this.log.info({ returnId, sagaId: result.sagaId, correlationId: returnId, actionId, action: req.action, actor: caller.actor, reason: req.reason, batchId: req.batchId }, 'ops action');
    return result;
  }

  /** Whether a saga action would be acted on for this case now (batch preview). */
  applies(c: CaseRow, action: SagaAction, now: Date): boolean {
    return !!c.saga_id && !c.closed_at && sagaActionApplies(c.event_type!, c.state!, c.data!, action, now, c.saga_id);
  }

  /** Cases already acted on by a batch. */
  /** Cases a batch already acted on; 422 when the batch's key comes back with another request. */
  async batchActions(tenantId: string, batchId: string, fingerprint: string): Promise<string[]> {
    const rows: { return_id: string; request_fingerprint: string | null }[] = await this.ds.query(
      `SELECT return_id, request_fingerprint FROM ops_audit WHERE tenant_id = $1 AND batch_id = $2`, [tenantId, batchId]);
    for (const r of rows) assertSameRequest(r.request_fingerprint, fingerprint);
    return rows.map((r) => r.return_id);
  }

  async casesOf(tenantId: string, returnIds: string[]): Promise<CaseRow[]> {
    return returnIds.length ? this.casesOfWith(this.ds.manager, tenantId, returnIds) : [];
  }

  private params(req: ActionRequest): Record<string, unknown> {
    switch (req.action) {
      case 'RESOLVE': return req.outcome ? { outcome: req.outcome } : {};
      case 'REDELIVER': return { deliveryId: req.deliveryId };
      case 'SUPPLIER_DECISION': return { ...req.decision };
      default: return {};
    }
  }

  private async caseOf(m: EntityManager, tenantId: string, returnId: string, lock = false): Promise<CaseRow> {
    // The lock on the return row serialises ops actions on one case (the saga row belongs to the orchestrator).
    const [r] = await m.query(`SELECT id FROM returns WHERE id = $1 AND tenant_id = $2 ${lock ? 'FOR UPDATE' : ''}`, [returnId, tenantId]);
    if (!r) throw notFound('case');
    const [c] = await this.casesOfWith(m, tenantId, [returnId]);
    return c;
  }

  private casesOfWith(m: EntityManager, tenantId: string, returnIds: string[]): Promise<CaseRow[]> {
    return m.query(
      `SELECT r.id AS return_id, s.id AS saga_id, s.event_type, s.state, s.version, s.data, s.closed_at
       FROM returns r LEFT JOIN LATERAL (SELECT * FROM sagas s WHERE s.return_id = r.id ORDER BY s.created_at DESC LIMIT 1) s ON true
       WHERE r.tenant_id = $1 AND r.id = ANY($2::uuid[])`,
      [tenantId, returnIds],
    );
  }

  private mustApply(c: CaseRow, action: SagaAction, now: Date): void {
    if (!c.saga_id) throw new DomainError(ErrorCode.Conflict, `${action.toLowerCase()}: the case has not started yet`, { state: 'PENDING' });
    if (!this.applies(c, action, now))
      throw new DomainError(ErrorCode.Conflict, `${action.toLowerCase()} does not apply to a case in state ${c.state}`, { state: c.state });
  }

  private async delivery(m: EntityManager, tenantId: string, returnId: string, deliveryId: string) {
    const [d] = await m.query(
      `SELECT d.id, d.request_id, d.supplier_id, d.status FROM webhook_deliveries d JOIN supplier_requests r ON r.id = d.request_id
       WHERE d.id = $1 AND d.tenant_id = $2 AND r.return_id = $3`,
      [deliveryId, tenantId, returnId],
    );
    if (!d) throw notFound('delivery');
    if (d.status === 'PENDING') throw new DomainError(ErrorCode.Conflict, 'this delivery is still being attempted; redeliver it once it has succeeded or failed', { deliveryStatus: d.status });
    return d as { id: string; request_id: string; supplier_id: string };
  }

  private async recordDecision(caller: OpsCaller, c: CaseRow, req: ActionRequest): Promise<void> {
    const { supplierId, ...answer } = req.decision!;
    const claim = c.data?.claims.find((x) => x.supplierId === supplierId);
    if (!c.saga_id || !claim) throw notFound('supplier claim');
    if (c.closed_at) throw new DomainError(ErrorCode.Conflict, `the case is closed (${c.state})`, { state: c.state });
    await this.answers.execute({ tenantId: caller.tenantId, supplierId }, claim.requestId, Object.assign(new SupplierAnswerDto(), answer), 'OPS');
  }

  /** The earlier outcome of this idempotency key; 409 if the key was used for another action or case, 422 for the same action with another body. */
  private async prior(m: EntityManager, tenantId: string, key: string, returnId: string, action: AuditedAction, fingerprint: string): Promise<ActionResult | undefined> {
    const [p]: AuditRow[] = await m.query(`SELECT id, return_id, saga_id, action, actor, params, created_at, request_fingerprint FROM ops_audit WHERE tenant_id = $1 AND idempotency_key = $2`, [tenantId, key]);
    if (!p) return undefined;
    if (p.return_id !== returnId || p.action !== action)
      throw new DomainError(ErrorCode.Conflict, 'this Idempotency-Key was already used for another action', { actionId: p.id });
    assertSameRequest(p.request_fingerprint, fingerprint);
    return {
      actionId: p.id, action: p.action, returnId: p.return_id, sagaId: p.saga_id, actor: p.actor, at: p.created_at, replayed: true,
      status: p.action === 'NOTE' || p.action === 'SUPPLIER_DECISION' ? 'RECORDED' : 'REQUESTED',
    };
  }
}
