import type {
  OpsActionRequested, RefundFailed, RefundIssued, ReturnTracked, SupplierAnswered, SupplierRequestDelivered, SupplierRequestFailed,
} from '@app/contracts';
import type { SagaEvent } from './engine';
import type { ClaimState, Effect, SagaData } from './saga-data';
import { refundPaid, slaTimer } from './steps';

export interface Interpreted {
  event: SagaEvent;
  data: SagaData;
  /** Effects of recording the fact itself, applied whether or not the state changes. */
  effects: Effect[];
}

/** The aggregate supplier outcome once a claim's answer is recorded. */
function supplierEventName(data: SagaData): string {
  const s = data.claims.map((c) => c.status);
  if (s.includes('NEEDS_EVIDENCE')) return 'SupplierNeedsEvidence';
  if (s.some((x) => x === 'PENDING' || x === 'REQUESTED' || x === 'DELIVERED' || x === 'UNREACHABLE')) return 'SupplierAnswerRecorded';
  if (s.every((x) => x === 'REPLACEMENT_SHIPPED')) return 'ReplacementShipped';
  if (s.includes('REJECTED')) return 'SupplierRejected';
  return 'SupplierApproved';
}

const TRACKING_EVENTS: Record<ReturnTracked['status'], string> = {
  RETURN_IN_TRANSIT: 'ReturnInTransit',
  RETURN_RECEIVED: 'ReturnReceived',
  ORDER_DELIVERED: 'OrderDelivered',
  ORDER_LOST: 'OrderLost',
  CUSTOMER_CANCEL_REQUESTED: 'CancelRequested',
  EVIDENCE_ADDED: 'EvidenceAdded',
};

/** Saga events raised by persisted deadlines (see steps.ts for the timer names). */
export const TIMER_EVENTS: Record<string, string> = {
  FEEDBACK: 'FeedbackDue',
  PARCEL_DEADLINE: 'ParcelDeadlinePassed',
  TRACKING_SILENT: 'TrackingSilent',
  SUPPLIER_CLAIM_WINDOW: 'SupplierClaimWindowClosing',
  LATE_CANCEL_THRESHOLD: 'CancelThresholdReached',
};

const OPS_EVENTS: Record<OpsActionRequested['action'], string> = { RETRY: 'OpsRetry', CANCEL: 'OpsCancel', RESOLVE: 'OpsResolve', NOTE: 'OpsNote' };

/**
 * Turns a message (or a fired timer) into a saga event, recording the facts it
 * carries in the data first, so a fact is never lost even when the current
 * state has no transition for it. Pure.
 */
export function interpret(data: SagaData, type: string, payload: unknown, at: Date): Interpreted {
  const d: SagaData = structuredClone(data);
  const effects: Effect[] = [];
  const ev = (name: string, detail?: Record<string, unknown>): Interpreted => ({ event: { name, detail, at }, data: d, effects });
  const claimById = (requestId: string): ClaimState | undefined => d.claims.find((c) => c.requestId === requestId);

  switch (type) {
    case 'ReturnReported':
      return ev('Started');

    case 'SupplierAnswered': {
      const a = payload as SupplierAnswered;
      const c = claimById(a.requestId);
      if (!c) return ev('StaleSupplierAnswer', { requestId: a.requestId });
      c.status = a.decision;
      c.rmaNumber = a.rmaNumber ?? c.rmaNumber;
      c.returnLabelUrl = a.returnLabelUrl ?? c.returnLabelUrl;
      c.returnAddress = a.returnAddress ?? c.returnAddress;
      c.reason = a.reason ?? c.reason;
      c.trackingNumber = a.trackingNumber ?? c.trackingNumber;
      if (a.decision !== 'NEEDS_EVIDENCE') effects.push({ kind: 'timer.cancel', timer: slaTimer(c.supplierId) });
      // A reship costs the tenant nothing, so approving one grants no credit.
      if ((a.decision === 'APPROVED' || a.decision === 'PARTIALLY_APPROVED') && c.requestKind !== 'RESHIP') {
        c.grantedMinor = Math.min(a.amountMinor ?? (a.decision === 'APPROVED' ? c.claimMinor : 0), c.claimMinor);
        effects.push({ kind: 'ledger', entry: 'SUPPLIER_CREDIT_GRANTED', amountMinor: c.grantedMinor, reference: c.requestId });
      }
      if (a.decision === 'REJECTED') c.notRecoverable = `supplier rejected: ${a.reason ?? 'no reason given'}`;
      return ev(supplierEventName(d), { supplierId: c.supplierId, decision: a.decision });
    }

    case 'SupplierRequestDelivered': {
      const c = claimById((payload as SupplierRequestDelivered).requestId);
      if (c && c.status === 'REQUESTED') c.status = 'DELIVERED';
      return ev('SupplierRequestDelivered', { supplierId: c?.supplierId });
    }

    case 'SupplierRequestFailed': {
      const p = payload as SupplierRequestFailed;
      const c = claimById(p.requestId);
      if (!c || !['REQUESTED', 'DELIVERED'].includes(c.status)) return ev('StaleSupplierFailure', { requestId: p.requestId });
      c.status = 'UNREACHABLE';
      effects.push({ kind: 'timer.cancel', timer: slaTimer(c.supplierId) });
      return ev('SupplierUnreachable', { supplierId: c.supplierId, reason: p.reason });
    }

    case 'RefundIssued': {
      const p = payload as RefundIssued;
      const r = d.refunds[p.purpose];
      if (r && r.status !== 'ISSUED') {
        if (p.giftCardCode) r.giftCardCode = p.giftCardCode;
        effects.push(...refundPaid(d, p.purpose, p.amountMinor));
      }
      return ev('RefundIssued', { purpose: p.purpose });
    }

    case 'RefundFailed': {
      const p = payload as RefundFailed;
      const r = d.refunds[p.purpose];
      if (r && r.status !== 'ISSUED') {
        r.status = 'FAILED';
        r.reason = p.reason;
      }
      return ev('RefundFailed', { purpose: p.purpose, permanent: p.permanent, reason: p.reason });
    }

    case 'CustomerNotified':
      return ev('CustomerNotified');

    case 'ReturnTracked': {
      const p = payload as ReturnTracked;
      if (p.evidenceUrls?.length) d.evidenceUrls.push(...p.evidenceUrls);
      if (p.status === 'RETURN_IN_TRANSIT' || p.status === 'RETURN_RECEIVED')
        d.parcel = { status: p.status === 'RETURN_IN_TRANSIT' ? 'IN_TRANSIT' : 'RECEIVED', trackingNumber: p.trackingNumber ?? d.parcel?.trackingNumber };
      if (p.status === 'CUSTOMER_CANCEL_REQUESTED') d.lateCancelRequested = true;
      return ev(TRACKING_EVENTS[p.status], { trackingNumber: p.trackingNumber });
    }

    case 'OpsActionRequested': {
      const p = payload as OpsActionRequested;
      return ev(OPS_EVENTS[p.action], { actor: p.actor, reason: p.reason, outcome: p.outcome });
    }

    case 'TimerFired': {
      const timer = String((payload as { timer: string }).timer);
      if (timer.startsWith('SUPPLIER_SLA:')) return ev('SupplierSlaExpired', { supplierId: timer.slice('SUPPLIER_SLA:'.length) });
      return ev(TIMER_EVENTS[timer] ?? `Timer:${timer}`);
    }
  }
  return ev(type);
}
