import { describeDuration, parcelDeadlineMs, stableId, supplierSlaMs } from '@app/contracts';
import type { Action, Guard, SagaDefinition, Transition } from '../domain/engine';
import type { Effect, SagaData } from '../domain/saga-data';
import { actions, CLAIM_WINDOW_TIMER, guards, notify, PARCEL_TIMER, remedyOf, slaTimer } from '../domain/steps';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The claim window alarm goes off this long before the supplier's window closes, so there is time to file. */
export const CLAIM_WINDOW_MARGIN_MS = DAY;

/** A date for a customer e-mail, in the order's language (dates are UTC calendar days). */
export function formatDate(at: Date | string, locale: string): string {
  const tag = locale === 'nl' ? 'nl-NL' : locale === 'da' ? 'da-DK' : 'en-GB';
  return new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(at));
}

const policyOf = (d: SagaData, supplierId: string) => d.case.claims.find((c) => c.supplierId === supplierId)!.policy;

/** Whether a supplier on this case wants the item back before it credits (its policy, per event type). */
export const returnRequired = (d: SagaData) => d.case.claims.some((c) => c.policy.returnRequiredFor.includes(d.case.eventType));

/** Guards the claim-based saga types add to the shared ones. */
export const claimGuards: Record<string, Guard> = {
  returnRequired,
  returnOutstanding: (d) => returnRequired(d) && d.parcel?.status !== 'RECEIVED',
  parcelReceived: (d) => d.parcel?.status === 'RECEIVED',
  parcelInTransit: (d) => d.parcel?.status === 'IN_TRANSIT',
  reshipRequested: (d) => d.claims.some((c) => c.requestKind === 'RESHIP'),
  evidenceAwaited: (d) => d.claims.some((c) => c.status === 'NEEDS_EVIDENCE'),
  // storeCreditMinor: cases credited before store credit went through the store (and so has no refund row).
  customerMadeWhole: (d) => remedyOf(d)?.status === 'ISSUED' || d.storeCreditMinor > 0,
};

/** Sends a request of `kind` to every claim without one outstanding; a claim whose earlier request was answered gets a fresh request id. */
function requestKind(kind: 'RESHIP' | 'CANCEL', creditLedger: boolean): Action {
  return (draft, _e, ctx) =>
    draft.claims.filter((c) => !(c.requestKind === kind && (c.status === 'REQUESTED' || c.status === 'DELIVERED'))).flatMap((c): Effect[] => {
      if (c.status !== 'PENDING') {
        c.requestSeq += 1;
        c.requestId = stableId(ctx.sagaId, c.supplierId, String(c.requestSeq));
        c.reminders = 0;
      }
      c.requestKind = kind;
      c.status = 'REQUESTED';
      return [
        { kind: 'supplier.request', supplierId: c.supplierId },
        ...(creditLedger ? [{ kind: 'ledger', entry: 'SUPPLIER_CREDIT_REQUESTED', amountMinor: c.claimMinor, reference: c.supplierId } as Effect] : []),
        { kind: 'timer.set', timer: slaTimer(c.supplierId), at: new Date(ctx.now.getTime() + supplierSlaMs(policyOf(draft, c.supplierId))) },
      ];
    });
}

/** Actions the claim-based saga types add to the shared ones. */
export const claimActions: Record<string, Action> = {
  /** The supplier ships the right item at its own cost: no credit is asked, so none is booked. */
  requestReship: requestKind('RESHIP', false),
  /** The supplier cancels the order and credits what it charged. */
  requestCancel: requestKind('CANCEL', true),

  /** Evidence asked for: alarm a day before the first supplier claim window closes, so the claim is not lost waiting. */
  watchClaimWindow: (draft, _e, ctx) => {
    const deliveredAt = draft.case.deliveredAt ? new Date(draft.case.deliveredAt).getTime() : undefined;
    if (deliveredAt === undefined) return [];
    const closes = draft.claims
      .filter((c) => c.status === 'NEEDS_EVIDENCE')
      .map((c) => policyOf(draft, c.supplierId).claimWindowDays)
      .filter((days): days is number => days !== undefined)
      .map((days) => deliveredAt + days * DAY);
    if (!closes.length) return [];
    const at = Math.max(ctx.now.getTime(), Math.min(...closes) - CLAIM_WINDOW_MARGIN_MS);
    return [{ kind: 'timer.set', timer: CLAIM_WINDOW_TIMER, at: new Date(at) }];
  },
  stopClaimWindowWatch: () => [{ kind: 'timer.cancel', timer: CLAIM_WINDOW_TIMER }],
  escalateClaimWindow: (draft) => {
    const waiting = draft.claims.filter((c) => c.status === 'NEEDS_EVIDENCE').map((c) => c.supplierId);
    draft.escalation = `supplier claim window about to close with evidence still missing (${waiting.join(', ')}): file or decide now`;
    return [{ kind: 'alert', reason: draft.escalation }];
  },

  /** The parcel deadline starts when the customer is told where to send the item. */
  awaitParcel: (draft, _e, ctx) => {
    draft.parcel = draft.parcel ?? { status: 'AWAITED' };
    return [{ kind: 'timer.set', timer: PARCEL_TIMER, at: new Date(ctx.now.getTime() + parcelDeadlineMs(draft.case.tenantPolicy)) }];
  },
  stopParcelDeadline: () => [{ kind: 'timer.cancel', timer: PARCEL_TIMER }],
  escalateParcelOverdue: (draft) => {
    draft.escalation = `return parcel${draft.parcel?.trackingNumber ? ` ${draft.parcel.trackingNumber}` : ''} still in transit after ${describeDuration(parcelDeadlineMs(draft.case.tenantPolicy))}`;
    return [{ kind: 'alert', reason: draft.escalation }];
  },

  /**
   * Where and how to send the item back, from the supplier's answer (label, RMA,
   * address) or its policy's standing address. Only when a supplier wants the item.
   */
  sendReturnInstructions: (draft, _e, ctx) => {
    if (!returnRequired(draft) || draft.notified.includes('RETURN_INSTRUCTIONS')) return [];
    const pick = (f: (c: SagaData['claims'][number]) => string | undefined) => [...new Set(draft.claims.map(f).filter((x): x is string => !!x))];
    const addresses = pick((c) => c.returnAddress ?? policyOf(draft, c.supplierId).returnAddress);
    return notify('RETURN_INSTRUCTIONS', () => ({
      returnAddress: addresses.join('\n\n'),
      returnLabelUrl: pick((c) => c.returnLabelUrl).join(' '),
      rmaNumber: pick((c) => c.rmaNumber).join(', '),
      // A deadline is only promised when one runs (awaitParcel goes first in the same step).
      returnBy: draft.parcel?.status === 'AWAITED' ? formatDate(new Date(ctx.now.getTime() + parcelDeadlineMs(draft.case.tenantPolicy)), draft.case.locale) : '',
    }))(draft, _e, ctx);
  },
  notifyReturnInTransit: notify('RETURN_IN_TRANSIT', (d) => ({ trackingNumber: d.parcel?.trackingNumber ?? '' })),
  notifyReturnReceived: notify('RETURN_RECEIVED'),
};

/**
 * Guards may be combined in a table row as `a & !b`: the row reads as the rule
 * (and the diagram shows it), and the combination is built from the named parts.
 */
export function composeGuards(base: Record<string, Guard>, rows: readonly Transition<string>[]): Record<string, Guard> {
  const all = { ...base };
  for (const t of rows) {
    if (!t.when || all[t.when]) continue;
    const parts = t.when.split('&').map((p) => p.trim()).map((p) => ({ negate: p.startsWith('!'), guard: base[p.replace(/^!/, '')] }));
    if (parts.some((p) => !p.guard)) continue; // left undefined: validateDefinition names it
    all[t.when] = (d, e) => parts.every((p) => p.guard(d, e) !== p.negate);
  }
  return all;
}

/** A claim-based saga type: the shared guards and actions, the claim ones, its own, and the combined guards its table uses. */
export function claimSaga<S extends string>(
  def: Omit<SagaDefinition<S>, 'guards' | 'actions'> & { guards?: Record<string, Guard>; actions?: Record<string, Action> },
): SagaDefinition<S> {
  const base = { ...guards, ...claimGuards, ...def.guards };
  return { ...def, guards: composeGuards(base, def.transitions), actions: { ...actions, ...claimActions, ...def.actions } };
}

/**
 * Waiting for suppliers' answers in `waiting`: another supplier answered (stay),
 * evidence asked for (the claim window becomes a deadline), no answer by the
 * SLA (one reminder, then ops), webhook delivery gave up (ops).
 */
export function awaitSupplierRows<S extends string>(waiting: S, to: { evidence: S; escalated: S }): Transition<S>[] {
  return [
    { from: waiting, on: 'SupplierAnswerRecorded', to: waiting },
    { from: waiting, on: 'SupplierNeedsEvidence', to: to.evidence, do: ['watchClaimWindow'] },
    { from: waiting, on: 'SupplierSlaExpired', to: waiting, when: 'firstReminder', do: ['remindSupplier'] },
    { from: waiting, on: 'SupplierSlaExpired', to: to.escalated, do: ['escalateSilentSupplier'] },
    { from: waiting, on: 'SupplierUnreachable', to: to.escalated, do: ['escalateUnreachable'] },
  ];
}

/**
 * Collecting the evidence a supplier asked for: resend when it arrives (back to
 * the first matching `back` state); escalate before the supplier's claim window
 * closes. From ESCALATED, late evidence or an ops retry files the claim again.
 */
export function evidenceRows<S extends string>(evidence: S, escalated: S, back: { to: S; when?: string }[]): Transition<S>[] {
  return [
    ...back.map((b): Transition<S> => ({ from: evidence, on: 'EvidenceAdded', to: b.to, when: b.when, do: ['stopClaimWindowWatch', 'resendSupplierRequest'] })),
    { from: evidence, on: 'SupplierClaimWindowClosing', to: escalated, do: ['escalateClaimWindow', 'notifyEscalated'] },
    ...back.map((b): Transition<S> => ({ from: escalated, on: 'EvidenceAdded', to: b.to, when: b.when ? `evidenceAwaited & ${b.when}` : 'evidenceAwaited', do: ['resendSupplierRequest'] })),
    ...back.map((b): Transition<S> => ({ from: escalated, on: 'OpsRetry', to: b.to, when: b.when ? `evidenceAwaited & ${b.when}` : 'evidenceAwaited', do: ['resendSupplierRequest'] })),
    ...back.map((b): Transition<S> => ({ from: escalated, on: 'OpsRetry', to: b.to, when: b.when ? `supplierUnreachable & ${b.when}` : 'supplierUnreachable', do: ['resendSupplierRequest'] })),
  ];
}

/** The same self-loop (a notification, an alert) in several states. */
export function inEach<S extends string>(states: readonly S[], on: string, does: string[], when?: string): Transition<S>[] {
  return states.map((s) => ({ from: s, on, to: s, when, do: does }));
}
