import { daysLate, formatMoney, percentOf } from '@app/returns';
import type { Action, Guard } from '../domain/engine';
import type { SagaData } from '../domain/saga-data';
import { customerRefundMinor, issueRefund, LATE_CANCEL_TIMER, notify } from '../domain/steps';
import { claimSaga, formatDate } from './claim-steps';
import { commonTail } from './common';

const DAY = 86_400_000;

const S = ['RECEIVED', 'AWAITING_DELIVERY', 'CANCELLING', 'REFUNDING', 'ESCALATED', 'DELIVERED', 'COMPLETED', 'RESOLVED', 'CANCELLED'] as const;
type State = (typeof S)[number];

/** Goodwill as a partial refund: the tenant's percentage of what the customer paid, never more than is still refundable. */
export function lateGoodwillMinor(d: SagaData): number {
  const g = d.case.tenantPolicy.lateGoodwill;
  if (g?.kind !== 'PERCENT' || !g.percent) return 0;
  return Math.min(percentOf(customerRefundMinor(d), g.percent), d.case.refundableMinor);
}

/** A cancel refunds everything paid for the case, less goodwill already paid or on its way (never more than was paid). */
export function cancelRefundMinor(d: SagaData): number {
  const goodwill = d.refunds.GOODWILL;
  const goodwillMinor = goodwill && goodwill.status !== 'FAILED' ? goodwill.amountMinor : 0;
  return Math.max(0, customerRefundMinor(d) - goodwillMinor);
}

const pastThreshold = (d: SagaData, at: Date) => !!d.case.promisedAt && daysLate(new Date(d.case.promisedAt), at) >= d.case.tenantPolicy.lateCancelThresholdDays;

const guards: Record<string, Guard> = {
  pastCancelThreshold: (d, e) => pastThreshold(d, e.at),
  cancelRequested: (d) => d.lateCancelRequested === true,
  cancelRefundIssued: (d) => d.refunds.CANCEL_REFUND?.status === 'ISSUED',
  cancelRefundFailed: (d) => d.refunds.CANCEL_REFUND?.status === 'FAILED',
  isCancelRefund: (_d, e) => e.detail?.purpose === 'CANCEL_REFUND',
};

const actions: Record<string, Action> = {
  issueGoodwill: issueRefund('GOODWILL', lateGoodwillMinor),
  /** Runs after issueGoodwill, so the e-mail names the amount actually on its way. */
  notifyNewEta: notify('NEW_ETA', (d) => ({
    eta: d.case.newEta ? formatDate(d.case.newEta, d.case.locale) : '',
    goodwillAmount: d.refunds.GOODWILL ? formatMoney(d.refunds.GOODWILL.amountMinor, d.case.currency, d.case.locale) : '',
    discountCode: d.case.tenantPolicy.lateGoodwill?.kind === 'DISCOUNT_CODE' ? (d.case.tenantPolicy.lateGoodwill.discountCode ?? '') : '',
  })),
  /** A customer who asked to cancel too early is taken at their word once the threshold passes. */
  watchCancelThreshold: (draft, _e, ctx) => {
    if (!draft.case.promisedAt) return [];
    const at = new Date(draft.case.promisedAt).getTime() + draft.case.tenantPolicy.lateCancelThresholdDays * DAY;
    return at > ctx.now.getTime() ? [{ kind: 'timer.set', timer: LATE_CANCEL_TIMER, at: new Date(at) }] : [];
  },
  stopCancelWatch: () => [{ kind: 'timer.cancel', timer: LATE_CANCEL_TIMER }],
  issueCancelRefund: issueRefund('CANCEL_REFUND', cancelRefundMinor),
  retryCancelRefund: (draft) => {
    const r = draft.refunds.CANCEL_REFUND;
    if (!r || r.status === 'ISSUED') return [];
    r.status = 'REQUESTED';
    return [{ kind: 'refund', purpose: 'CANCEL_REFUND' }];
  },
  notifyCancelRefunded: notify('REFUND_ISSUED', (d) => ({ amount: formatMoney(d.refunds.CANCEL_REFUND?.amountMinor ?? 0, d.case.currency, d.case.locale) })),
  alertGoodwillFailed: (_d, e) => [{ kind: 'alert', reason: `goodwill refund failed: ${e.detail?.reason ?? 'unknown'}` }],
  escalateShippedNotCancelled: (draft) => {
    draft.escalation = 'supplier answered the cancel request with a shipment: check whether the order is on its way';
    return [{ kind: 'alert', reason: draft.escalation }];
  },
  escalateSupplierQuery: (draft) => {
    draft.escalation = 'supplier asked for more information about the cancel request';
    return [{ kind: 'alert', reason: draft.escalation }];
  },
};

/**
 * LATE_DELIVERY: past the promised date. The customer hears at once with the
 * new ETA and the tenant's goodwill (a percentage refunded, or a discount code).
 * Past the tenant's cancel threshold, and only when the customer asks, the
 * supplier is asked to cancel and the customer is refunded in full (less the
 * goodwill already refunded). Delivered after all closes the case.
 */
export const lateDelivery = claimSaga<State>({
  eventType: 'LATE_DELIVERY',
  version: 1,
  initial: 'RECEIVED',
  states: S,
  terminal: ['DELIVERED', 'COMPLETED', 'RESOLVED', 'CANCELLED'],
  guards,
  actions,
  expectedMs: { RECEIVED: 60_000, REFUNDING: 15 * 60_000, CANCELLING: 3 * DAY },
  transitions: [
    { from: 'RECEIVED', on: 'Started', to: 'AWAITING_DELIVERY', do: ['issueGoodwill', 'notifyNewEta', 'watchCancelThreshold'] },
    { from: 'AWAITING_DELIVERY', on: 'OrderDelivered', to: 'DELIVERED', do: ['cancelTimers'] },
    { from: 'AWAITING_DELIVERY', on: 'CancelRequested', to: 'CANCELLING', when: 'pastCancelThreshold', do: ['stopCancelWatch', 'requestCancel'] },
    { from: 'AWAITING_DELIVERY', on: 'CancelThresholdReached', to: 'CANCELLING', when: 'cancelRequested', do: ['requestCancel'] },
    { from: 'AWAITING_DELIVERY', on: 'RefundFailed', to: 'AWAITING_DELIVERY', do: ['alertGoodwillFailed'] },

    { from: 'CANCELLING', on: 'SupplierAnswerRecorded', to: 'CANCELLING' },
    { from: 'CANCELLING', on: 'SupplierApproved', to: 'REFUNDING', do: ['issueCancelRefund'] },
    { from: 'CANCELLING', on: 'SupplierRejected', to: 'ESCALATED', do: ['supplierRejectedEscalate', 'notifyEscalated'] },
    { from: 'CANCELLING', on: 'SupplierNeedsEvidence', to: 'ESCALATED', do: ['escalateSupplierQuery'] },
    // A shipment in answer to a cancel: no credit will come; ops check whether the order is on its way after all.
    { from: 'CANCELLING', on: 'ReplacementShipped', to: 'ESCALATED', do: ['escalateShippedNotCancelled'] },
    { from: 'CANCELLING', on: 'SupplierSlaExpired', to: 'CANCELLING', when: 'firstReminder', do: ['remindSupplier'] },
    { from: 'CANCELLING', on: 'SupplierSlaExpired', to: 'ESCALATED', do: ['escalateSilentSupplier'] },
    { from: 'CANCELLING', on: 'SupplierUnreachable', to: 'ESCALATED', do: ['escalateUnreachable'] },
    { from: 'CANCELLING', on: 'OrderDelivered', to: 'DELIVERED', do: ['cancelTimers'] },
    { from: 'CANCELLING', on: 'RefundFailed', to: 'CANCELLING', do: ['alertGoodwillFailed'] },

    { from: 'REFUNDING', on: 'RefundIssued', to: 'COMPLETED', when: 'cancelRefundIssued', do: ['notifyCancelRefunded', 'scheduleFeedback'] },
    // A case left waiting in REFUNDING with nothing asked for (before issue 16's fix): ops retry asks now; nothing to pay completes at once.
    { from: 'REFUNDING', on: 'OpsRetry', to: 'REFUNDING', when: 'nothingInFlight', do: ['issueCancelRefund'] },
    { from: 'REFUNDING', on: 'RefundFailed', to: 'ESCALATED', when: 'isCancelRefund', do: ['refundFailedEscalate'] },

    { from: 'ESCALATED', on: 'SupplierApproved', to: 'REFUNDING', when: 'cancelRefundFailed', do: ['retryCancelRefund'] },
    { from: 'ESCALATED', on: 'SupplierApproved', to: 'REFUNDING', do: ['issueCancelRefund'] },
    { from: 'ESCALATED', on: 'RefundIssued', to: 'COMPLETED', when: 'cancelRefundIssued', do: ['notifyCancelRefunded', 'scheduleFeedback'] },
    { from: 'ESCALATED', on: 'OpsRetry', to: 'REFUNDING', when: 'cancelRefundFailed', do: ['retryCancelRefund'] },
    { from: 'ESCALATED', on: 'OpsRetry', to: 'CANCELLING', when: 'supplierUnreachable', do: ['resendSupplierRequest'] },
    { from: 'ESCALATED', on: 'OrderDelivered', to: 'DELIVERED', do: ['cancelTimers'] },
    ...commonTail<State>(['RECEIVED', 'AWAITING_DELIVERY', 'CANCELLING', 'REFUNDING', 'ESCALATED']),
  ],
});
