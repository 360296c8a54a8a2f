import { linesTotal, restockingFeeMinor } from '@app/returns';
import type { Action, Transition } from '../domain/engine';
import type { SagaData } from '../domain/saga-data';
import { customerRefundMinor, issueRefund, storeCreditMinor } from '../domain/steps';
import { awaitSupplierRows, claimSaga, evidenceRows, inEach } from './claim-steps';
import { commonTail } from './common';

const S = [
  'RECEIVED', 'AWAITING_SUPPLIER', 'AWAITING_EVIDENCE', 'AWAITING_RETURN', 'AWAITING_REPLACEMENT', 'REFUNDING', 'AWAITING_RECOVERY', 'ESCALATED',
  'COMPLETED', 'ABANDONED', 'RESOLVED', 'CANCELLED',
] as const;
type State = (typeof S)[number];

/** What the customer forfeits as restocking fee: nothing for a defect (the default), the supplier's percentage otherwise. */
export function qualityRestockingFeeMinor(d: SagaData): number {
  return d.case.claims.reduce((sum, c) => sum + restockingFeeMinor(d.case.eventType, c.policy, linesTotal(c.lines), { defect: d.case.defect ?? true }), 0);
}

/** The fee is kept back from the payment, so never more than the payment would have been. */
const feeFrom = (gross: (d: SagaData) => number) => (d: SagaData) => Math.min(qualityRestockingFeeMinor(d), gross(d));

const actions: Record<string, Action> = {
  issueQualityRefund: issueRefund('CUSTOMER_REFUND', (d) => customerRefundMinor(d) - feeFrom(customerRefundMinor)(d), feeFrom(customerRefundMinor)),
  issueStoreCredit: issueRefund('STORE_CREDIT', (d) => storeCreditMinor(d) - feeFrom(storeCreditMinor)(d), feeFrom(storeCreditMinor)),
};

const OPEN: State[] = ['RECEIVED', 'AWAITING_SUPPLIER', 'AWAITING_EVIDENCE', 'AWAITING_RETURN', 'AWAITING_REPLACEMENT', 'REFUNDING', 'AWAITING_RECOVERY', 'ESCALATED'];
/** States in which a return parcel may turn up before we asked for it (the customer used the supplier's standing address). */
const BEFORE_RETURN: State[] = ['AWAITING_SUPPLIER', 'REFUNDING', 'AWAITING_RECOVERY'];

/** The item is back (or was back before the supplier approved): the customer gets the remedy the case was waiting for. */
const settleReturned = (from: State | State[], on: string, pre: string[], guard?: string): Transition<State>[] => {
  const when = (g: string) => (guard ? `${guard} & ${g}` : g);
  return [
    { from, on, to: 'COMPLETED', when: when('refundIssued'), do: [...pre, 'scheduleFeedback'] },
    { from, on, to: 'REFUNDING', when: when('remedyIsRefund'), do: [...pre, 'issueQualityRefund'] },
    { from, on, to: 'REFUNDING', when: when('remedyIsStoreCredit'), do: [...pre, 'issueStoreCredit'] },
    { from, on, to: 'AWAITING_REPLACEMENT', when: when('remedyIsReplacement'), do: [...pre, 'requestReship'] },
  ];
};

/**
 * QUALITY_ISSUE: not as described, poor quality, a defect. When the supplier's
 * policy wants the item back, its approval carries the return label or address,
 * the customer is told, carrier / warehouse scans report the parcel, and the
 * remedy follows the parcel's arrival; no parcel within 30 days closes the case
 * as ABANDONED. The supplier's approval of such a claim authorises the return,
 * so a refund waits for the item unless the tenant refunds IMMEDIATE. Without a
 * return the claim is credited on evidence, as for DAMAGED. A restocking fee is
 * never charged for a defect.
 */
export const qualityIssue = claimSaga<State>({
  eventType: 'QUALITY_ISSUE',
  version: 1,
  initial: 'RECEIVED',
  states: S,
  terminal: ['COMPLETED', 'ABANDONED', 'RESOLVED', 'CANCELLED'],
  actions,
  expectedMs: { RECEIVED: 60_000, REFUNDING: 15 * 60_000, AWAITING_EVIDENCE: 7 * 86_400_000, AWAITING_RETURN: 30 * 86_400_000 },
  transitions: [
    { from: 'RECEIVED', on: 'Started', to: 'AWAITING_REPLACEMENT', when: 'remedyIsReplacement', do: ['notifyClaimReceived', 'requestReship'] },
    { from: 'RECEIVED', on: 'Started', to: 'REFUNDING', when: 'refundImmediately', do: ['notifyClaimReceived', 'requestSupplier', 'issueQualityRefund'] },
    { from: 'RECEIVED', on: 'Started', to: 'REFUNDING', when: 'creditImmediately', do: ['notifyClaimReceived', 'requestSupplier', 'issueStoreCredit'] },
    { from: 'RECEIVED', on: 'Started', to: 'AWAITING_SUPPLIER', do: ['notifyClaimReceived', 'requestSupplier'] },

    ...settleReturned('AWAITING_SUPPLIER', 'SupplierApproved', [], 'parcelReceived'),
    { from: 'AWAITING_SUPPLIER', on: 'SupplierApproved', to: 'AWAITING_RETURN', when: 'returnRequired', do: ['awaitParcel', 'sendReturnInstructions'] },
    { from: 'AWAITING_SUPPLIER', on: 'SupplierApproved', to: 'REFUNDING', when: 'remedyIsRefund', do: ['issueQualityRefund'] },
    { from: 'AWAITING_SUPPLIER', on: 'SupplierApproved', to: 'REFUNDING', when: 'remedyIsStoreCredit', do: ['issueStoreCredit'] },
    { from: 'AWAITING_SUPPLIER', on: 'ReplacementShipped', to: 'COMPLETED', do: ['notifyReplacementShipped', 'sendReturnInstructions', 'scheduleFeedback'] },
    { from: 'AWAITING_SUPPLIER', on: 'SupplierRejected', to: 'ESCALATED', when: 'autoApproveRefund', do: ['supplierRejectedEscalate', 'issueQualityRefund'] },
    { from: 'AWAITING_SUPPLIER', on: 'SupplierRejected', to: 'ESCALATED', do: ['supplierRejectedEscalate', 'notifyEscalated'] },
    ...awaitSupplierRows<State>('AWAITING_SUPPLIER', { evidence: 'AWAITING_EVIDENCE', escalated: 'ESCALATED' }),
    ...evidenceRows<State>('AWAITING_EVIDENCE', 'ESCALATED', [
      { to: 'AWAITING_REPLACEMENT', when: 'reshipRequested' }, { to: 'AWAITING_RECOVERY', when: 'refundIssued' }, { to: 'AWAITING_SUPPLIER' },
    ]),

    // The return leg: scans through the tracking API; the deadline only abandons a parcel that never left.
    { from: 'AWAITING_RETURN', on: 'ReturnInTransit', to: 'AWAITING_RETURN', do: ['notifyReturnInTransit'] },
    ...settleReturned('AWAITING_RETURN', 'ReturnReceived', ['stopParcelDeadline', 'notifyReturnReceived']),
    { from: 'AWAITING_RETURN', on: 'ParcelDeadlinePassed', to: 'ESCALATED', when: 'parcelInTransit', do: ['escalateParcelOverdue'] },
    { from: 'AWAITING_RETURN', on: 'ParcelDeadlinePassed', to: 'ABANDONED', do: ['cancelTimers'] },
    ...inEach<State>(BEFORE_RETURN, 'ReturnInTransit', ['notifyReturnInTransit']),
    ...inEach<State>(BEFORE_RETURN, 'ReturnReceived', ['notifyReturnReceived']),

    { from: 'AWAITING_REPLACEMENT', on: 'SupplierApproved', to: 'AWAITING_RETURN', when: 'returnOutstanding', do: ['awaitParcel', 'sendReturnInstructions'] },
    { from: 'AWAITING_REPLACEMENT', on: 'SupplierApproved', to: 'COMPLETED', do: ['notifyReplacementShipped', 'scheduleFeedback'] },
    { from: 'AWAITING_REPLACEMENT', on: 'ReplacementShipped', to: 'COMPLETED', do: ['notifyReplacementShipped', 'sendReturnInstructions', 'scheduleFeedback'] },
    { from: 'AWAITING_REPLACEMENT', on: 'SupplierRejected', to: 'ESCALATED', do: ['supplierRejectedEscalate', 'notifyEscalated'] },
    ...awaitSupplierRows<State>('AWAITING_REPLACEMENT', { evidence: 'AWAITING_EVIDENCE', escalated: 'ESCALATED' }),

    { from: 'REFUNDING', on: 'RefundIssued', to: 'ESCALATED', when: 'supplierRejected', do: ['notifyRefundIssued', 'supplierRejectedEscalate'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'AWAITING_EVIDENCE', when: 'evidenceAwaited', do: ['notifyRefundIssued', 'watchClaimWindow'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'AWAITING_RETURN', when: 'returnOutstanding & supplierApproved', do: ['notifyRefundIssued', 'awaitParcel', 'sendReturnInstructions'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'COMPLETED', when: 'supplierApproved', do: ['notifyRefundIssued', 'scheduleFeedback'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'ESCALATED', when: 'supplierUnreachable', do: ['notifyRefundIssued', 'escalateUnreachable'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'ESCALATED', when: 'replacementShipped', do: ['notifyRefundIssued', 'escalateReplacementAfterPayment'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'AWAITING_RECOVERY', do: ['notifyRefundIssued'] },
    // A case left waiting in REFUNDING with nothing asked for (before issue 16's fix): ops retry asks now; nothing to pay completes at once.
    { from: 'REFUNDING', on: 'OpsRetry', to: 'REFUNDING', when: 'nothingInFlight', do: ['issueQualityRefund'] },
    { from: 'REFUNDING', on: 'RefundFailed', to: 'ESCALATED', do: ['refundFailedEscalate'] },

    // Refunded up front (IMMEDIATE): the supplier's approval may still send the item back.
    { from: 'AWAITING_RECOVERY', on: 'SupplierApproved', to: 'AWAITING_RETURN', when: 'returnOutstanding', do: ['awaitParcel', 'sendReturnInstructions'] },
    { from: 'AWAITING_RECOVERY', on: 'SupplierApproved', to: 'COMPLETED', do: ['scheduleFeedback'] },
    { from: 'AWAITING_RECOVERY', on: 'ReplacementShipped', to: 'ESCALATED', do: ['escalateReplacementAfterPayment'] },
    { from: 'AWAITING_RECOVERY', on: 'SupplierRejected', to: 'ESCALATED', do: ['supplierRejectedEscalate'] },
    ...awaitSupplierRows<State>('AWAITING_RECOVERY', { evidence: 'AWAITING_EVIDENCE', escalated: 'ESCALATED' }),

    { from: 'ESCALATED', on: 'RefundIssued', to: 'ESCALATED', do: ['notifyRefundIssued'] },
    // A parcel overdue in transit that arrives after all: carry on as if on time.
    ...settleReturned('ESCALATED', 'ReturnReceived', ['stopParcelDeadline', 'notifyReturnReceived'], 'supplierApproved & !refundFailed'),
    { from: 'ESCALATED', on: 'ReturnReceived', to: 'ESCALATED', do: ['stopParcelDeadline', 'notifyReturnReceived'] },
    { from: 'ESCALATED', on: 'ReplacementShipped', to: 'COMPLETED', do: ['notifyReplacementShipped', 'scheduleFeedback'] },
    { from: 'ESCALATED', on: 'SupplierApproved', to: 'COMPLETED', when: 'customerMadeWhole', do: ['scheduleFeedback'] },
    { from: 'ESCALATED', on: 'SupplierApproved', to: 'AWAITING_RETURN', when: 'returnOutstanding', do: ['awaitParcel', 'sendReturnInstructions'] },
    { from: 'ESCALATED', on: 'SupplierApproved', to: 'REFUNDING', when: 'refundFailed', do: ['retryRefund'] },
    { from: 'ESCALATED', on: 'SupplierApproved', to: 'REFUNDING', when: 'remedyIsRefund', do: ['issueQualityRefund'] },
    { from: 'ESCALATED', on: 'SupplierApproved', to: 'REFUNDING', when: 'remedyIsStoreCredit', do: ['issueStoreCredit'] },
    { from: 'ESCALATED', on: 'OpsRetry', to: 'REFUNDING', when: 'refundFailed', do: ['retryRefund'] },
    ...commonTail<State>(OPEN),
  ],
});
