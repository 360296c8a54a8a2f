import { trackingSilenceMs } from '@app/contracts';
import type { Action, Transition } from '../domain/engine';
import { notify, TRACKING_SILENT_TIMER } from '../domain/steps';
import { awaitSupplierRows, claimSaga, evidenceRows, inEach } from './claim-steps';
import { commonTail } from './common';

const DAY = 86_400_000;


const S = [
  'RECEIVED', 'AWAITING_CARRIER', 'AWAITING_REPLACEMENT', 'REFUNDING', 'AWAITING_RECOVERY', 'AWAITING_EVIDENCE', 'ESCALATED', 'DELIVERED', 'COMPLETED', 'RESOLVED', 'CANCELLED',
] as const;
type State = (typeof S)[number];

const actions: Record<string, Action> = {
  /** No word from the carrier for the tenant's threshold declares the parcel lost. */
  watchTracking: (draft, _e, ctx) => [
    { kind: 'timer.set', timer: TRACKING_SILENT_TIMER, at: new Date(ctx.now.getTime() + trackingSilenceMs(draft.case.tenantPolicy)) },
  ],
  stopTrackingWatch: () => [{ kind: 'timer.cancel', timer: TRACKING_SILENT_TIMER }],
  notifyOrderLost: notify('ORDER_LOST', (d) => ({
    reship: d.case.resolution === 'REPLACEMENT' ? 'yes' : '',
    refund: d.case.resolution === 'REFUND' ? 'yes' : '',
    storeCredit: d.case.resolution === 'STORE_CREDIT' ? 'yes' : '',
  })),
  /** The customer was already made whole; ops decide whether to stop the reship or ask for the goods back. */
  alertDeliveredAfterLost: (draft) => [{ kind: 'alert', reason: `parcel for order ${draft.case.externalOrderId} delivered after it was declared lost` }],
};

/** The carrier's word or the silence threshold: either declares the parcel lost, and the customer is made whole at once. */
const declaredLost = (on: 'OrderLost' | 'TrackingSilent'): Transition<State>[] => [
  { from: 'AWAITING_CARRIER', on, to: 'AWAITING_REPLACEMENT', when: 'remedyIsReplacement', do: ['stopTrackingWatch', 'notifyOrderLost', 'requestReship'] },
  { from: 'AWAITING_CARRIER', on, to: 'REFUNDING', when: 'remedyIsStoreCredit', do: ['stopTrackingWatch', 'notifyOrderLost', 'requestSupplier', 'issueStoreCredit'] },
  { from: 'AWAITING_CARRIER', on, to: 'REFUNDING', do: ['stopTrackingWatch', 'notifyOrderLost', 'requestSupplier', 'issueCustomerRefund'] },
];

const AFTER_DECLARED: State[] = ['AWAITING_REPLACEMENT', 'REFUNDING', 'AWAITING_RECOVERY', 'AWAITING_EVIDENCE', 'ESCALATED'];

/**
 * LOST: the carrier lost the parcel. The case waits for the carrier's verdict
 * (a tracking event) or for tracking to stay silent past the tenant's threshold;
 * delivered after all closes it. Once declared lost the customer gets a reship or
 * a refund at once, whatever the tenant's usual refund timing, and the supplier
 * is asked for credit. Nothing comes back, so there is no return leg.
 */
export const lost = claimSaga<State>({
  eventType: 'LOST',
  version: 1,
  initial: 'RECEIVED',
  states: S,
  terminal: ['DELIVERED', 'COMPLETED', 'RESOLVED', 'CANCELLED'],
  actions,
  expectedMs: { RECEIVED: 60_000, REFUNDING: 15 * 60_000, AWAITING_CARRIER: 14 * DAY },
  transitions: [
    { from: 'RECEIVED', on: 'Started', to: 'AWAITING_CARRIER', do: ['notifyClaimReceived', 'watchTracking'] },
    { from: 'AWAITING_CARRIER', on: 'OrderDelivered', to: 'DELIVERED', do: ['cancelTimers'] },
    ...declaredLost('OrderLost'),
    ...declaredLost('TrackingSilent'),

    { from: 'AWAITING_REPLACEMENT', on: 'ReplacementShipped', to: 'COMPLETED', do: ['notifyReplacementShipped', 'scheduleFeedback'] },
    { from: 'AWAITING_REPLACEMENT', on: 'SupplierApproved', to: 'COMPLETED', do: ['notifyReplacementShipped', 'scheduleFeedback'] },
    { from: 'AWAITING_REPLACEMENT', on: 'SupplierRejected', to: 'ESCALATED', do: ['supplierRejectedEscalate', 'notifyEscalated'] },
    ...awaitSupplierRows<State>('AWAITING_REPLACEMENT', { evidence: 'AWAITING_EVIDENCE', escalated: 'ESCALATED' }),

    { from: 'REFUNDING', on: 'RefundIssued', to: 'COMPLETED', when: 'supplierApproved', do: ['notifyRefundIssued', 'scheduleFeedback'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'ESCALATED', when: 'supplierRejected', do: ['notifyRefundIssued', 'supplierRejectedEscalate'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'AWAITING_EVIDENCE', when: 'evidenceAwaited', do: ['notifyRefundIssued', 'watchClaimWindow'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'ESCALATED', when: 'supplierUnreachable', do: ['notifyRefundIssued', 'escalateUnreachable'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'ESCALATED', when: 'replacementShipped', do: ['notifyRefundIssued', 'escalateReplacementAfterPayment'] },
    { from: 'REFUNDING', on: 'RefundIssued', to: 'AWAITING_RECOVERY', do: ['notifyRefundIssued'] },
    // A case left waiting in REFUNDING with nothing asked for (before issue 16's fix): ops retry asks now; nothing to pay completes at once.
    { from: 'REFUNDING', on: 'OpsRetry', to: 'REFUNDING', when: 'nothingInFlight', do: ['issueCustomerRefund'] },
    { from: 'REFUNDING', on: 'RefundFailed', to: 'ESCALATED', do: ['refundFailedEscalate'] },

    { from: 'AWAITING_RECOVERY', on: 'SupplierApproved', to: 'COMPLETED', do: ['scheduleFeedback'] },
    { from: 'AWAITING_RECOVERY', on: 'ReplacementShipped', to: 'ESCALATED', do: ['escalateReplacementAfterPayment'] },
    { from: 'AWAITING_RECOVERY', on: 'SupplierRejected', to: 'ESCALATED', do: ['supplierRejectedEscalate'] },
    ...awaitSupplierRows<State>('AWAITING_RECOVERY', { evidence: 'AWAITING_EVIDENCE', escalated: 'ESCALATED' }),
    ...evidenceRows<State>('AWAITING_EVIDENCE', 'ESCALATED', [{ to: 'AWAITING_REPLACEMENT', when: 'reshipRequested' }, { to: 'AWAITING_RECOVERY' }]),

    { from: 'ESCALATED', on: 'RefundIssued', to: 'ESCALATED', do: ['notifyRefundIssued'] },
    { from: 'ESCALATED', on: 'ReplacementShipped', to: 'COMPLETED', do: ['notifyReplacementShipped', 'scheduleFeedback'] },
    { from: 'ESCALATED', on: 'SupplierApproved', to: 'COMPLETED', when: 'reshipRequested', do: ['notifyReplacementShipped', 'scheduleFeedback'] },
    { from: 'ESCALATED', on: 'SupplierApproved', to: 'COMPLETED', when: 'customerMadeWhole', do: ['scheduleFeedback'] },
    { from: 'ESCALATED', on: 'SupplierApproved', to: 'REFUNDING', when: 'refundFailed', do: ['retryRefund'] },
    { from: 'ESCALATED', on: 'OpsRetry', to: 'REFUNDING', when: 'refundFailed', do: ['retryRefund'] },
    ...inEach<State>(AFTER_DECLARED, 'OrderDelivered', ['alertDeliveredAfterLost']),
    ...commonTail<State>(['RECEIVED', 'AWAITING_CARRIER', ...AFTER_DECLARED]),
  ],
});
