import type { Action } from '../domain/engine';
import { notify } from '../domain/steps';
import { awaitSupplierRows, claimSaga, evidenceRows, returnRequired } from './claim-steps';
import { commonTail } from './common';

const S = [
  'RECEIVED', 'AWAITING_REPLACEMENT', 'AWAITING_SUPPLIER', 'AWAITING_EVIDENCE', 'REFUNDING', 'AWAITING_RECOVERY', 'ESCALATED', 'COMPLETED', 'RESOLVED', 'CANCELLED',
] as const;
type State = (typeof S)[number];

const actions: Record<string, Action> = {
  /** The first contact: an apology, what happens next, whether to keep the item, and the tenant's goodwill code. */
  notifyWrongItemApology: notify('WRONG_ITEM_APOLOGY', (d) => ({
    reship: d.case.resolution === 'REPLACEMENT' ? 'yes' : '',
    refund: d.case.resolution === 'REFUND' ? 'yes' : '',
    storeCredit: d.case.resolution === 'STORE_CREDIT' ? 'yes' : '',
    keepItem: returnRequired(d) ? '' : 'yes',
    discountCode: d.case.tenantPolicy.wrongItemDiscountCode ?? '',
  })),
};

/**
 * WRONG_ITEM: the supplier sent the wrong product, size, colour or quantity.
 * The right item is reshipped by the supplier at its cost (REPLACEMENT), or the
 * customer is refunded / credited as for DAMAGED while the supplier is asked for
 * credit. The customer keeps the wrong item unless the supplier's policy wants it
 * back, and gets the tenant's goodwill discount code with the apology.
 */
export const wrongItem = claimSaga<State>({
  eventType: 'WRONG_ITEM',
  version: 1,
  initial: 'RECEIVED',
  states: S,
  terminal: ['COMPLETED', 'RESOLVED', 'CANCELLED'],
  actions,
  expectedMs: { RECEIVED: 60_000, REFUNDING: 15 * 60_000, AWAITING_EVIDENCE: 7 * 86_400_000 },
  transitions: [
    { from: 'RECEIVED', on: 'Started', to: 'AWAITING_REPLACEMENT', when: 'remedyIsReplacement', do: ['notifyWrongItemApology', 'requestReship'] },
    { from: 'RECEIVED', on: 'Started', to: 'REFUNDING', when: 'refundImmediately', do: ['notifyWrongItemApology', 'requestSupplier', 'issueCustomerRefund'] },
    { from: 'RECEIVED', on: 'Started', to: 'REFUNDING', when: 'creditImmediately', do: ['notifyWrongItemApology', 'requestSupplier', 'issueStoreCredit'] },
    { from: 'RECEIVED', on: 'Started', to: 'AWAITING_SUPPLIER', do: ['notifyWrongItemApology', 'requestSupplier'] },

    // Reship: an approval without tracking still means the right item is on its way (a request is answered once).
    { from: 'AWAITING_REPLACEMENT', on: 'ReplacementShipped', to: 'COMPLETED', do: ['notifyReplacementShipped', 'sendReturnInstructions', 'scheduleFeedback'] },
    { from: 'AWAITING_REPLACEMENT', on: 'SupplierApproved', to: 'COMPLETED', do: ['notifyReplacementShipped', 'sendReturnInstructions', 'scheduleFeedback'] },
    { from: 'AWAITING_REPLACEMENT', on: 'SupplierRejected', to: 'ESCALATED', do: ['supplierRejectedEscalate', 'notifyEscalated'] },
    ...awaitSupplierRows<State>('AWAITING_REPLACEMENT', { evidence: 'AWAITING_EVIDENCE', escalated: 'ESCALATED' }),

    // Refund or store credit, as for DAMAGED.
    { from: 'AWAITING_SUPPLIER', on: 'SupplierApproved', to: 'REFUNDING', when: 'remedyIsRefund', do: ['sendReturnInstructions', 'issueCustomerRefund'] },
    { from: 'AWAITING_SUPPLIER', on: 'SupplierApproved', to: 'REFUNDING', when: 'remedyIsStoreCredit', do: ['sendReturnInstructions', 'issueStoreCredit'] },
    { from: 'AWAITING_SUPPLIER', on: 'ReplacementShipped', to: 'COMPLETED', do: ['notifyReplacementShipped', 'sendReturnInstructions', 'scheduleFeedback'] },
    { from: 'AWAITING_SUPPLIER', on: 'SupplierRejected', to: 'ESCALATED', when: 'autoApproveRefund', do: ['supplierRejectedEscalate', 'issueCustomerRefund'] },
    { from: 'AWAITING_SUPPLIER', on: 'SupplierRejected', to: 'ESCALATED', do: ['supplierRejectedEscalate', 'notifyEscalated'] },
    ...awaitSupplierRows<State>('AWAITING_SUPPLIER', { evidence: 'AWAITING_EVIDENCE', escalated: 'ESCALATED' }),
    ...evidenceRows<State>('AWAITING_EVIDENCE', 'ESCALATED', [{ to: 'AWAITING_REPLACEMENT', when: 'reshipRequested' }, { to: 'AWAITING_RECOVERY', when: 'refundIssued' }, { to: 'AWAITING_SUPPLIER' }]),

    { from: 'REFUNDING', on: 'SupplierApproved', to: 'REFUNDING', do: ['sendReturnInstructions'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'COMPLETED', when: 'supplierApproved', do: ['notifyRefundIssued', 'scheduleFeedback'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'ESCALATED', when: 'supplierRejected', do: ['notifyRefundIssued', 'supplierRejectedEscalate'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'AWAITING_EVIDENCE', when: 'evidenceAwaited', do: ['notifyRefundIssued', 'watchClaimWindow'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'ESCALATED', when: 'supplierUnreachable', do: ['notifyRefundIssued', 'escalateUnreachable'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'ESCALATED', when: 'replacementShipped', do: ['notifyRefundIssued', 'escalateReplacementAfterPayment'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'AWAITING_RECOVERY', do: ['notifyRefundIssued'] },
    // A case left waiting in REFUNDING with nothing asked for (before issue 16's fix): ops retry asks now; nothing to pay completes at once.
    { from: 'REFUNDING', on: 'OpsRetry', to: 'REFUNDING', when: 'nothingInFlight', do: ['issueCustomerRefund'] },
    { from: 'REFUNDING', on: 'RefundFailed', to: 'ESCALATED', do: ['refundFailedEscalate'] },

    { from: 'AWAITING_RECOVERY', on: 'SupplierApproved', to: 'COMPLETED', do: ['sendReturnInstructions', 'scheduleFeedback'] },
    { from: 'AWAITING_RECOVERY', on: 'ReplacementShipped', to: 'ESCALATED', do: ['escalateReplacementAfterPayment'] },
    { from: 'AWAITING_RECOVERY', on: 'SupplierRejected', to: 'ESCALATED', do: ['supplierRejectedEscalate'] },
    ...awaitSupplierRows<State>('AWAITING_RECOVERY', { evidence: 'AWAITING_EVIDENCE', escalated: 'ESCALATED' }),

    { from: 'ESCALATED', on: 'RefundIssued', to: 'ESCALATED', do: ['notifyRefundIssued'] },
    { from: 'ESCALATED', on: 'ReplacementShipped', to: 'COMPLETED', do: ['notifyReplacementShipped', 'sendReturnInstructions', 'scheduleFeedback'] },
    { from: 'ESCALATED', on: 'SupplierApproved', to: 'COMPLETED', when: 'reshipRequested', do: ['notifyReplacementShipped', 'sendReturnInstructions', 'scheduleFeedback'] },
    { from: 'ESCALATED', on: 'SupplierApproved', to: 'COMPLETED', when: 'customerMadeWhole', do: ['sendReturnInstructions', 'scheduleFeedback'] },
    { from: 'ESCALATED', on: 'SupplierApproved', to: 'REFUNDING', when: 'remedyIsRefund', do: ['sendReturnInstructions', 'issueCustomerRefund'] },
    { from: 'ESCALATED', on: 'SupplierApproved', to: 'REFUNDING', when: 'remedyIsStoreCredit', do: ['sendReturnInstructions', 'issueStoreCredit'] },
    { from: 'ESCALATED', on: 'OpsRetry', to: 'REFUNDING', when: 'refundFailed', do: ['retryRefund'] },
    ...commonTail<State>(['RECEIVED', 'AWAITING_REPLACEMENT', 'AWAITING_SUPPLIER', 'AWAITING_EVIDENCE', 'REFUNDING', 'AWAITING_RECOVERY', 'ESCALATED']),
  ],
});
