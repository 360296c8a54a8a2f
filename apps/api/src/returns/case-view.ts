import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '@app/platform';
import { summarizeLedger, LedgerKind } from '@app/returns';

/** Read side of a case: the return, its saga, timeline and ledger. Tenant-scoped. */
@Injectable()
export class CaseView {
  constructor(private readonly ds: DataSource) {}

  async get(tenantId: string, returnId: string) {
    const [r] = await this.ds.query(`SELECT id, order_id, event_type, reason, request, not_recoverable, created_at FROM returns WHERE id = $1 AND tenant_id = $2`, [returnId, tenantId]);
    if (!r) throw notFound('return');
    const [saga] = await this.ds.query(
      `SELECT id, state, event_type, definition_version, tenant_policy_version, supplier_policy_version, data, created_at, updated_at, closed_at
       FROM sagas WHERE return_id = $1 AND tenant_id = $2 ORDER BY created_at DESC LIMIT 1`,
      [returnId, tenantId],
    );
    const base = {
      returnId: r.id, orderId: r.order_id, eventType: r.event_type, reason: r.reason, resolution: r.request.resolution,
      notRecoverable: r.not_recoverable, reportedAt: r.created_at,
    };
    if (!saga) return { ...base, state: 'PENDING', saga: null, timeline: [], ledger: [], amounts: null };
    const [timeline, ledger] = await Promise.all([
      this.ds.query(`SELECT from_state, to_state, cause, detail, at FROM saga_transitions WHERE saga_id = $1 ORDER BY id`, [saga.id]),
      this.ds.query(`SELECT kind, amount_minor, currency, reference, at FROM ledger_entries WHERE saga_id = $1 ORDER BY id`, [saga.id]),
    ]);
    const entries = ledger.map((l: { kind: LedgerKind; amount_minor: string; currency: string; reference: string; at: Date }) => ({
      kind: l.kind, amountMinor: Number(l.amount_minor), currency: l.currency, reference: l.reference, at: l.at,
    }));
    return {
      ...base,
      state: saga.state,
      saga: {
        id: saga.id, state: saga.state, definitionVersion: saga.definition_version, tenantPolicyVersion: saga.tenant_policy_version,
        supplierPolicyVersion: saga.supplier_policy_version, startedAt: saga.created_at, updatedAt: saga.updated_at, closedAt: saga.closed_at,
        escalation: saga.data.escalation ?? null,
        claims: saga.data.claims,
      },
      timeline: timeline.map((t: { from_state: string; to_state: string; cause: string; detail: unknown; at: Date }) => ({ from: t.from_state, to: t.to_state, cause: t.cause, detail: t.detail, at: t.at })),
      ledger: entries,
      amounts: { currency: saga.data.case.currency, shopCurrency: saga.data.case.shopCurrency, ...summarizeLedger(entries) },
    };
  }
}
