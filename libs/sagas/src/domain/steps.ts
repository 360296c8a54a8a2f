import type { NotificationTemplate, RefundPurpose } from '@app/contracts';
import { formatMoney, LedgerKind, linesTotal } from '@app/returns';
import type { Action, Guard, SagaEvent } from './engine';
import { stableId, supplierSlaMs } from '@app/contracts';
import type { ClaimState, Effect, SagaData } from './saga-data';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const slaTimer = (supplierId: string) => `SUPPLIER_SLA:${supplierId}`;
export const FEEDBACK_TIMER = 'FEEDBACK';
export const PARCEL_TIMER = 'PARCEL_DEADLINE';
export const TRACKING_SILENT_TIMER = 'TRACKING_SILENT';
export const CLAIM_WINDOW_TIMER = 'SUPPLIER_CLAIM_WINDOW';
export const LATE_CANCEL_TIMER = 'LATE_CANCEL_THRESHOLD';

/** The supplier an event is about (answers, reminders, SLA timers carry it). */
function claimOf(data: SagaData, event: SagaEvent): ClaimState | undefined {
  const id = event.detail?.supplierId;
  return data.claims.find((c) => c.supplierId === id);
}

export function claimTotal(data: SagaData): number {
  return data.case.claims.reduce((s, c) => s + c.claimMinor, 0);
}

/** Amount the customer gets back in cash for this case: claimed lines, plus shipping when the case carries it. */
export function customerRefundMinor(data: SagaData): number {
  const lines = data.case.claims.flatMap((c) => c.lines);
  return Math.min(linesTotal(lines) + data.case.shippingMinor, data.case.refundableMinor);
}

const money = (data: SagaData, amountMinor: number) => formatMoney(amountMinor, data.case.currency, data.case.locale);

export function baseVars(data: SagaData): Record<string, string> {
  return {
    customerName: data.case.customer.name ?? '',
    orderNumber: data.case.orderNumber ?? data.case.externalOrderId,
    brand: data.case.brand.name,
    items: data.case.claims.flatMap((c) => c.lines.map((l) => `${l.quantity} × ${l.title}`)).join(', '),
  };
}

export const notify = (template: NotificationTemplate, extra: (d: SagaData) => Record<string, string> = () => ({})): Action =>
  (draft) => {
    draft.notified.push(template);
    return [{ kind: 'notify', template, vars: { ...baseVars(draft), ...extra(draft) } }];
  };

/** Shared guards: named so the transition tables (and the diagrams) can refer to them. */
export const guards: Record<string, Guard> = {
  refundImmediately: (d) => d.case.resolution === 'REFUND' && d.case.tenantPolicy.refundTiming === 'IMMEDIATE',
  /** Store credit follows the tenant's refund timing like a cash refund does. */
  creditImmediately: (d) => d.case.resolution === 'STORE_CREDIT' && d.case.tenantPolicy.refundTiming === 'IMMEDIATE',
  refundOnReturn: (d) => d.case.resolution === 'REFUND' && d.case.tenantPolicy.refundTiming === 'ON_RETURN_RECEIVED',
  remedyIsRefund: (d) => d.case.resolution === 'REFUND',
  remedyIsStoreCredit: (d) => d.case.resolution === 'STORE_CREDIT',
  remedyIsReplacement: (d) => d.case.resolution === 'REPLACEMENT',
  autoApproveRefund: (d) => d.case.resolution === 'REFUND' && claimTotal(d) <= d.case.tenantPolicy.autoApproveBelowMinor,
  /** The customer's remedy in money (cash refund or store credit) is paid / has failed. */
  refundIssued: (d) => remedyOf(d)?.status === 'ISSUED',
  refundFailed: (d) => remedyOf(d)?.status === 'FAILED',
  refundPermanentlyFailed: (_d, e) => e.detail?.permanent === true,
  supplierApproved: (d) => d.claims.every((c) => c.status === 'APPROVED' || c.status === 'PARTIALLY_APPROVED'),
  supplierRejected: (d) => d.claims.some((c) => c.status === 'REJECTED'),
  supplierUnreachable: (d) => d.claims.some((c) => c.status === 'UNREACHABLE'),
  replacementShipped: (d) => d.claims.some((c) => c.status === 'REPLACEMENT_SHIPPED'),
  /** In REFUNDING with no payment asked for: only cases stuck before payments of nothing were done at once (issue 16). */
  nothingInFlight: (d) => !Object.values(d.refunds).some((r) => r?.status === 'REQUESTED'),
  notFeedbackYet: (d) => !d.notified.includes('FEEDBACK_REQUEST'),
  firstReminder: (d, e) => (claimOf(d, e)?.reminders ?? 0) === 0,
};

/** Shared actions. Each says, in data, what the step needs; the orchestrator does it. */
export const actions: Record<string, Action> = {
  notifyClaimReceived: notify('CLAIM_RECEIVED'),
  /** The e-mail for the payment just issued: store credit (with a gift card's code) or a cash refund (naming a fee kept back). */
  notifyRefundIssued: (draft, e, ctx) => {
    const credit = e.detail?.purpose === 'STORE_CREDIT' || (!draft.refunds.CUSTOMER_REFUND && !!draft.refunds.STORE_CREDIT);
    const r = credit ? draft.refunds.STORE_CREDIT : draft.refunds.CUSTOMER_REFUND;
    const fee = r?.feeMinor ? money(draft, r.feeMinor) : '';
    return credit
      ? notify('STORE_CREDIT_ISSUED', (d) => ({ amount: money(d, r?.amountMinor ?? 0), giftCardCode: r?.giftCardCode ?? '', restockingFee: fee }))(draft, e, ctx)
      : notify('REFUND_ISSUED', (d) => ({ amount: money(d, r?.amountMinor ?? 0), restockingFee: fee }))(draft, e, ctx);
  },
  notifyEscalated: notify('CLAIM_ESCALATED'),
  notifyReplacementShipped: notify('REPLACEMENT_SHIPPED', (d) => ({ trackingNumber: d.claims.map((c) => c.trackingNumber).filter(Boolean).join(', ') })),

  /** Sends each pending claim to its supplier and starts its answer deadline. */
  requestSupplier: (draft, _e, ctx) =>
    draft.claims.filter((c) => c.status === 'PENDING').flatMap((c): Effect[] => {
      c.status = 'REQUESTED';
      const policy = draft.case.claims.find((x) => x.supplierId === c.supplierId)!.policy;
      return [
        { kind: 'supplier.request', supplierId: c.supplierId },
        { kind: 'ledger', entry: 'SUPPLIER_CREDIT_REQUESTED', amountMinor: c.claimMinor, reference: c.supplierId },
        { kind: 'timer.set', timer: slaTimer(c.supplierId), at: new Date(ctx.now.getTime() + supplierSlaMs(policy)) },
      ];
    }),

  /** After evidence arrives: a new request id per claim that asked for it, sent again. */
  resendSupplierRequest: (draft, _e, ctx) =>
    draft.claims.filter((c) => c.status === 'NEEDS_EVIDENCE' || c.status === 'UNREACHABLE').flatMap((c): Effect[] => {
      c.requestSeq += 1;
      c.requestId = stableId(ctx.sagaId, c.supplierId, String(c.requestSeq));
      c.status = 'REQUESTED';
      c.reminders = 0;
      const policy = draft.case.claims.find((x) => x.supplierId === c.supplierId)!.policy;
      return [
        { kind: 'supplier.request', supplierId: c.supplierId },
        { kind: 'timer.set', timer: slaTimer(c.supplierId), at: new Date(ctx.now.getTime() + supplierSlaMs(policy)) },
      ];
    }),

  /** SLA passed: remind once, and give the supplier half the SLA again (at least an hour, at most the SLA) before escalating. */
  remindSupplier: (draft, e, ctx) => {
    const c = claimOf(draft, e);
    if (!c) return [];
    c.reminders += 1;
    const policy = draft.case.claims.find((x) => x.supplierId === c.supplierId)!.policy;
    return [
      { kind: 'supplier.remind', supplierId: c.supplierId },
      { kind: 'timer.set', timer: slaTimer(c.supplierId), at: new Date(ctx.now.getTime() + reminderGraceMs(supplierSlaMs(policy))) },
    ];
  },




  issueCustomerRefund: issueRefund('CUSTOMER_REFUND', customerRefundMinor),

  /** Ops retry: the same refund id again (the provider dedupes on it), never a second refund. */
  retryRefund: (draft) => {
    const purpose: RefundPurpose = draft.refunds.STORE_CREDIT ? 'STORE_CREDIT' : 'CUSTOMER_REFUND';
    const r = draft.refunds[purpose];
    if (!r || r.status === 'ISSUED') return [];
    r.status = 'REQUESTED';
    return [{ kind: 'refund', purpose }];
  },

  /** Store credit in the store itself (credit account, or a gift card), exactly once like a refund: the claimed lines' value. */
  issueStoreCredit: issueRefund('STORE_CREDIT', storeCreditMinor),

  refundFailedEscalate: (draft, e) => {
    draft.escalation = `refund failed: ${e.detail?.reason ?? 'unknown'}`;
    return [{ kind: 'alert', reason: draft.escalation }];
  },

  supplierRejectedEscalate: (draft) => {
    const rejected = draft.claims.filter((c) => c.status === 'REJECTED');
    draft.escalation = `supplier rejected: ${rejected.map((c) => c.reason ?? 'no reason given').join('; ')}`;
    return [{ kind: 'alert', reason: draft.escalation }];
  },

  alertOps: (draft, e) => {
    const reason = draft.escalation ?? `${e.name}`;
    draft.escalation = reason;
    return [{ kind: 'alert', reason }];
  },

  escalateSilentSupplier: (draft, e) => {
    const c = claimOf(draft, e);
    draft.escalation = `supplier did not answer within its SLA${c ? ` (${c.supplierId})` : ''}`;
    return [{ kind: 'alert', reason: draft.escalation }];
  },

  /** A supplier that reships instead of crediting, after the customer was already paid: no credit will come; ops recover it. */
  escalateReplacementAfterPayment: (draft) => {
    draft.escalation = 'supplier shipped a replacement instead of crediting, after the customer was already paid: recover the credit or the item';
    return [{ kind: 'alert', reason: draft.escalation }];
  },

  escalateUnreachable: (draft) => {
    draft.escalation = 'supplier endpoint unreachable: webhook delivery gave up';
    return [{ kind: 'alert', reason: draft.escalation }];
  },

  scheduleFeedback: (draft, _e, ctx) => [
    { kind: 'timer.set', timer: FEEDBACK_TIMER, at: new Date(ctx.now.getTime() + draft.case.tenantPolicy.feedbackAfterDays * DAY) },
  ],
  notifyFeedback: notify('FEEDBACK_REQUEST'),

  /** Cancel: stop every timer; a refund already paid stays paid (it is the pivot). */
  /** Cancel's compensation: every request still open at a supplier is withdrawn (by webhook). */
  withdrawSupplierRequests: (draft, e) =>
    draft.claims.filter((c) => ['REQUESTED', 'DELIVERED', 'NEEDS_EVIDENCE', 'UNREACHABLE'].includes(c.status)).map((c): Effect => {
      c.status = 'WITHDRAWN';
      return { kind: 'supplier.withdraw', supplierId: c.supplierId, reason: String(e.detail?.reason ?? 'case cancelled') };
    }),

  cancelTimers: (draft) => [
    ...draft.claims.map((c): Effect => ({ kind: 'timer.cancel', timer: slaTimer(c.supplierId) })),
    ...[PARCEL_TIMER, TRACKING_SILENT_TIMER, CLAIM_WINDOW_TIMER, LATE_CANCEL_TIMER].map((timer): Effect => ({ kind: 'timer.cancel', timer })),
  ],
};

/** Store credit for the claimed lines (no shipping: nothing goes back to the payment method, so the refundable cap does not apply). */
export function storeCreditMinor(d: SagaData): number {
  return linesTotal(d.case.claims.flatMap((c) => c.lines));
}

/** The customer's remedy in money, when one was asked for: store credit or the cash refund. */
export function remedyOf(d: SagaData) {
  return d.refunds.STORE_CREDIT ?? d.refunds.CUSTOMER_REFUND;
}

const LEDGER_KIND: Record<RefundPurpose, LedgerKind> = { CUSTOMER_REFUND: 'REFUND', CANCEL_REFUND: 'REFUND', GOODWILL: 'GOODWILL', STORE_CREDIT: 'STORE_CREDIT' };

/**
 * A payment to the customer is done: its ledger rows (the amount, and the
 * restocking fee kept back from it), once each (the ledger dedupes on the reference).
 */
export function refundPaid(draft: SagaData, purpose: RefundPurpose, amountMinor: number): Effect[] {
  const r = draft.refunds[purpose]!;
  r.status = 'ISSUED';
  if (purpose === 'STORE_CREDIT') draft.storeCreditMinor = amountMinor;
  return [
    { kind: 'ledger', entry: LEDGER_KIND[purpose], amountMinor, reference: r.refundId },
    ...(r.feeMinor ? [{ kind: 'ledger', entry: 'RESTOCKING_FEE', amountMinor: r.feeMinor, reference: r.refundId } as Effect] : []),
  ];
}

/**
 * Builds the action that pays the customer `amount(data)` once per purpose
 * (`fee(data)` is the restocking fee kept back from it). A payment that failed
 * is asked for again under the same id. A payment of nothing is done at once:
 * booked as issued and `RefundIssued` raised, so no state waits for a refund that
 * will never come. Goodwill of nothing is simply not given.
 */
export function issueRefund(purpose: RefundPurpose, amount: (d: SagaData) => number, fee: (d: SagaData) => number = () => 0): Action {
  return (draft, _e, ctx) => {
    const existing = draft.refunds[purpose];
    if (existing?.status === 'FAILED') {
      existing.status = 'REQUESTED';
      return [{ kind: 'refund', purpose }];
    }
    if (existing) return []; // the pivot happens once per purpose
    const amountMinor = Math.max(0, amount(draft));
    if (amountMinor === 0 && purpose === 'GOODWILL') return [];
    const feeMinor = Math.max(0, fee(draft));
    draft.refunds[purpose] = { refundId: stableId(ctx.sagaId, 'refund', purpose), amountMinor, status: 'REQUESTED', ...(feeMinor ? { feeMinor } : {}) };
    if (amountMinor > 0) return [{ kind: 'refund', purpose }];
    return [...refundPaid(draft, purpose, 0), { kind: 'raise', event: 'RefundIssued', detail: { purpose } }];
  };
}

/** Fresh saga data for an accepted return. */
export function initialData(sagaId: string, c: SagaData['case']): SagaData {
  return {
    case: c,
    claims: c.claims.map((k) => ({
      supplierId: k.supplierId,
      requestId: stableId(sagaId, k.supplierId, '1'),
      requestSeq: 1,
      requestKind: 'CREDIT',
      status: 'PENDING',
      claimMinor: k.claimMinor,
      grantedMinor: 0,
      reminders: 0,
      notRecoverable: k.notRecoverable,
    })),
    refunds: {},
    storeCreditMinor: 0,
    evidenceUrls: [...c.evidenceUrls],
    notified: [],
  };
}

/** After a reminder: half the SLA, but not under an hour unless the SLA itself is shorter (staging tries minutes). */
export function reminderGraceMs(slaMs: number): number {
  return Math.max(slaMs / 2, Math.min(HOUR, slaMs));
}
