import { assertMinor } from './money';

export interface RefundableOrder {
  totalPaidMinor: number;
  refundedMinor: number;
}

export interface RefundRequest {
  lines: { unitPriceMinor: number; quantity: number }[];
  shippingMinor: number;
}

export type RefundPlan = { ok: true; amountMinor: number } | { ok: false; reason: string; requestedMinor: number; refundableMinor: number };

export function refundableMinor(order: RefundableOrder): number {
  assertMinor(order.totalPaidMinor, 'totalPaidMinor');
  assertMinor(order.refundedMinor, 'refundedMinor');
  return Math.max(0, order.totalPaidMinor - order.refundedMinor);
}

export function linesTotal(lines: RefundRequest['lines']): number {
  return lines.reduce((sum, l) => {
    assertMinor(l.unitPriceMinor, 'unitPriceMinor');
    if (l.unitPriceMinor < 0) throw new RangeError('unitPriceMinor must not be negative');
    if (!Number.isSafeInteger(l.quantity) || l.quantity < 0) throw new RangeError('quantity must be a non-negative integer');
    return sum + l.unitPriceMinor * l.quantity;
  }, 0);
}

/**
 * A refund never exceeds what was paid minus what was already refunded.
 * Goodwill beyond that is store credit or a discount code, never cash.
 */
export function planRefund(order: RefundableOrder, request: RefundRequest): RefundPlan {
  assertMinor(request.shippingMinor, 'shippingMinor');
  if (request.shippingMinor < 0) throw new RangeError('shippingMinor must not be negative');
  const requested = linesTotal(request.lines) + request.shippingMinor;
  const cap = refundableMinor(order);
  if (requested <= 0) return { ok: false, reason: 'nothing to refund', requestedMinor: requested, refundableMinor: cap };
  if (requested > cap) return { ok: false, reason: 'refund exceeds what was paid minus what was already refunded', requestedMinor: requested, refundableMinor: cap };
  return { ok: true, amountMinor: requested };
}

/** Caps an amount at what is still refundable (e.g. a goodwill percentage). */
export function capRefund(amountMinor: number, order: RefundableOrder): number {
  assertMinor(amountMinor);
  return Math.max(0, Math.min(amountMinor, refundableMinor(order)));
}
