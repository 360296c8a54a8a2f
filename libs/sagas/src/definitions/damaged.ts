import { claimSaga } from './claim-steps';
import { commonTail } from './common';

const S = ['RECEIVED', 'AWAITING_SUPPLIER', 'AWAITING_EVIDENCE', 'REFUNDING', 'AWAITING_RECOVERY', 'ESCALATED', 'COMPLETED', 'RESOLVED', 'CANCELLED'] as const;
type State = (typeof S)[number];

/**
 * DAMAGED: broken in transit. The customer is made whole (refund, store credit
 * or a replacement shipped by the supplier) and the cost is claimed from the
 * supplier with the photo evidence. Refund timing follows the tenant policy.
 */
export const damaged = claimSaga<State>({
  eventType: 'DAMAGED',
  version: 1,
  initial: 'RECEIVED',
  states: S,
  terminal: ['COMPLETED', 'RESOLVED', 'CANCELLED'],
  expectedMs: { RECEIVED: 60_000, REFUNDING: 15 * 60_000, AWAITING_EVIDENCE: 7 * 86_400_000 },
  transitions: [
    { from: 'RECEIVED', on: 'Started', to: 'REFUNDING', when: 'refundImmediately', do: ['notifyClaimReceived', 'requestSupplier', 'issueCustomerRefund'] },
    { from: 'RECEIVED', on: 'Started', to: 'REFUNDING', when: 'creditImmediately', do: ['notifyClaimReceived', 'requestSupplier', 'issueStoreCredit'] },
    // A replacement is asked of the supplier (reship at its cost) instead of credit.
    { from: 'RECEIVED', on: 'Started', to: 'AWAITING_SUPPLIER', when: 'remedyIsReplacement', do: ['notifyClaimReceived', 'requestReship'] },
    { from: 'RECEIVED', on: 'Started', to: 'AWAITING_SUPPLIER', do: ['notifyClaimReceived', 'requestSupplier'] },

    { from: 'AWAITING_SUPPLIER', on: 'SupplierAnswerRecorded', to: 'AWAITING_SUPPLIER' },
    { from: 'AWAITING_SUPPLIER', on: 'SupplierApproved', to: 'REFUNDING', when: 'remedyIsRefund', do: ['issueCustomerRefund'] },
    { from: 'AWAITING_SUPPLIER', on: 'SupplierApproved', to: 'REFUNDING', when: 'remedyIsStoreCredit', do: ['issueStoreCredit'] },
    { from: 'AWAITING_SUPPLIER', on: 'SupplierApproved', to: 'COMPLETED', when: 'remedyIsReplacement', do: ['notifyReplacementShipped', 'scheduleFeedback'] },
    { from: 'AWAITING_SUPPLIER', on: 'ReplacementShipped', to: 'COMPLETED', do: ['notifyReplacementShipped', 'scheduleFeedback'] },
    { from: 'AWAITING_SUPPLIER', on: 'SupplierRejected', to: 'ESCALATED', when: 'autoApproveRefund', do: ['supplierRejectedEscalate', 'issueCustomerRefund'] },
    { from: 'AWAITING_SUPPLIER', on: 'SupplierRejected', to: 'ESCALATED', do: ['supplierRejectedEscalate', 'notifyEscalated'] },
    // The supplier's claim window is a deadline while evidence is awaited: ops hear of it before it closes.
    { from: 'AWAITING_SUPPLIER', on: 'SupplierNeedsEvidence', to: 'AWAITING_EVIDENCE', do: ['watchClaimWindow'] },
    { from: 'AWAITING_EVIDENCE', on: 'EvidenceAdded', to: 'AWAITING_RECOVERY', when: 'refundIssued', do: ['stopClaimWindowWatch', 'resendSupplierRequest'] },
    { from: 'AWAITING_EVIDENCE', on: 'EvidenceAdded', to: 'AWAITING_SUPPLIER', do: ['stopClaimWindowWatch', 'resendSupplierRequest'] },
    { from: 'AWAITING_EVIDENCE', on: 'SupplierClaimWindowClosing', to: 'ESCALATED', do: ['escalateClaimWindow', 'notifyEscalated'] },
    { from: 'ESCALATED', on: 'EvidenceAdded', to: 'AWAITING_RECOVERY', when: 'evidenceAwaited & refundIssued', do: ['resendSupplierRequest'] },
    { from: 'ESCALATED', on: 'EvidenceAdded', to: 'AWAITING_SUPPLIER', when: 'evidenceAwaited', do: ['resendSupplierRequest'] },
    { from: 'AWAITING_SUPPLIER', on: 'SupplierSlaExpired', to: 'AWAITING_SUPPLIER', when: 'firstReminder', do: ['remindSupplier'] },
    { from: 'AWAITING_RECOVERY', on: 'SupplierSlaExpired', to: 'AWAITING_RECOVERY', when: 'firstReminder', do: ['remindSupplier'] },
    { from: ['AWAITING_SUPPLIER', 'AWAITING_RECOVERY'], on: 'SupplierSlaExpired', to: 'ESCALATED', do: ['escalateSilentSupplier'] },
    { from: 'AWAITING_SUPPLIER', on: 'SupplierUnreachable', to: 'ESCALATED', do: ['escalateUnreachable'] },

    { from: 'REFUNDING', on: 'RefundIssued', to: 'COMPLETED', when: 'supplierApproved', do: ['notifyRefundIssued', 'scheduleFeedback'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'ESCALATED', when: 'supplierRejected', do: ['notifyRefundIssued', 'supplierRejectedEscalate'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'ESCALATED', when: 'supplierUnreachable', do: ['notifyRefundIssued', 'escalateUnreachable'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'ESCALATED', when: 'replacementShipped', do: ['notifyRefundIssued', 'escalateReplacementAfterPayment'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'AWAITING_EVIDENCE', when: 'evidenceAwaited', do: ['notifyRefundIssued', 'watchClaimWindow'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'AWAITING_RECOVERY', do: ['notifyRefundIssued'] },
    // A case left waiting in REFUNDING with nothing asked for (before issue 16's fix): ops retry asks now; nothing to pay completes at once.
    { from: 'REFUNDING', on: 'OpsRetry', to: 'REFUNDING', when: 'nothingInFlight', do: ['issueCustomerRefund'] },
    { from: 'REFUNDING', on: 'RefundFailed', to: 'ESCALATED', do: ['refundFailedEscalate'] },

    { from: 'AWAITING_RECOVERY', on: 'SupplierApproved', to: 'COMPLETED', do: ['scheduleFeedback'] },
    { from: 'AWAITING_RECOVERY', on: 'ReplacementShipped', to: 'ESCALATED', do: ['escalateReplacementAfterPayment'] },
    { from: 'AWAITING_RECOVERY', on: 'SupplierRejected', to: 'ESCALATED', do: ['supplierRejectedEscalate'] },
    { from: 'AWAITING_RECOVERY', on: 'SupplierUnreachable', to: 'ESCALATED', do: ['escalateUnreachable'] },
    { from: 'AWAITING_RECOVERY', on: 'SupplierAnswerRecorded', to: 'AWAITING_RECOVERY' },
    { from: 'AWAITING_RECOVERY', on: 'SupplierNeedsEvidence', to: 'AWAITING_EVIDENCE', do: ['watchClaimWindow'] },

    { from: 'ESCALATED', on: 'RefundIssued', to: 'ESCALATED', do: ['notifyRefundIssued'] },
    { from: 'ESCALATED', on: 'SupplierApproved', to: 'COMPLETED', when: 'refundIssued', do: ['scheduleFeedback'] },
    { from: 'ESCALATED', on: 'SupplierApproved', to: 'REFUNDING', when: 'remedyIsRefund', do: ['issueCustomerRefund'] },
    { from: 'ESCALATED', on: 'SupplierApproved', to: 'REFUNDING', when: 'remedyIsStoreCredit', do: ['issueStoreCredit'] },
    { from: 'ESCALATED', on: 'SupplierApproved', to: 'COMPLETED', when: 'remedyIsReplacement', do: ['notifyReplacementShipped', 'scheduleFeedback'] },
    { from: 'ESCALATED', on: 'ReplacementShipped', to: 'COMPLETED', do: ['notifyReplacementShipped', 'scheduleFeedback'] },
    { from: 'ESCALATED', on: 'OpsRetry', to: 'REFUNDING', when: 'refundFailed', do: ['retryRefund'] },
    { from: 'ESCALATED', on: 'OpsRetry', to: 'AWAITING_RECOVERY', when: 'supplierUnreachable & refundIssued', do: ['resendSupplierRequest'] },
    { from: 'ESCALATED', on: 'OpsRetry', to: 'AWAITING_SUPPLIER', when: 'supplierUnreachable', do: ['resendSupplierRequest'] },
    ...commonTail<State>(['RECEIVED', 'AWAITING_SUPPLIER', 'AWAITING_EVIDENCE', 'REFUNDING', 'AWAITING_RECOVERY', 'ESCALATED']),
  ],
});
