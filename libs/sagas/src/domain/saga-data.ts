import type { NotificationTemplate, RefundPurpose, ReturnReported, SupplierDecision, SupplierRequestKind } from '@app/contracts';
import type { LedgerKind } from '@app/returns';

export type ClaimStatus = 'PENDING' | 'REQUESTED' | 'DELIVERED' | 'UNREACHABLE' | 'WITHDRAWN' | SupplierDecision;

/** One supplier's side of the case. */
export interface ClaimState {
  supplierId: string;
  /** Current request id; a resend (after evidence) gets a new one. */
  requestId: string;
  requestSeq: number;
  requestKind: SupplierRequestKind;
  status: ClaimStatus;
  claimMinor: number;
  grantedMinor: number;
  reminders: number;
  rmaNumber?: string;
  returnLabelUrl?: string;
  returnAddress?: string;
  reason?: string;
  trackingNumber?: string;
  notRecoverable?: string;
}

export interface RefundState {
  refundId: string;
  amountMinor: number;
  status: 'REQUESTED' | 'ISSUED' | 'FAILED';
  reason?: string;
  /** Restocking fee kept back from this payment (booked when it is issued). */
  feeMinor?: number;
  /** STORE_CREDIT paid as a gift card: the code for the customer's e-mail. */
  giftCardCode?: string;
}

/** Everything a saga knows, persisted as JSON on its row. */
export interface SagaData {
  case: ReturnReported;
  claims: ClaimState[];
  refunds: Partial<Record<RefundPurpose, RefundState>>;
  storeCreditMinor: number;
  evidenceUrls: string[];
  /** Why a human must look (set when the case escalates). */
  escalation?: string;
  /** Return parcel, when the item goes back. */
  parcel?: { status: 'AWAITED' | 'IN_TRANSIT' | 'RECEIVED'; trackingNumber?: string };
  lateCancelRequested?: boolean;
  notified: NotificationTemplate[];
}

export type TimerName = string;

/** What a transition asks the world to do; the orchestrator turns these into messages, tasks and ledger rows. */
export type Effect =
  | { kind: 'supplier.request'; supplierId: string }
  | { kind: 'supplier.remind'; supplierId: string }
  | { kind: 'supplier.withdraw'; supplierId: string; reason: string }
  | { kind: 'refund'; purpose: RefundPurpose }
  | { kind: 'notify'; template: NotificationTemplate; vars: Record<string, string> }
  | { kind: 'timer.set'; timer: TimerName; at: Date }
  | { kind: 'timer.cancel'; timer: TimerName }
  | { kind: 'ledger'; entry: LedgerKind; amountMinor: number; reference: string }
  | { kind: 'alert'; reason: string }
  /** An outcome already known when the step runs (a refund of nothing is done at once): decided next, in the same step. */
  | { kind: 'raise'; event: string; detail?: Record<string, unknown> };
