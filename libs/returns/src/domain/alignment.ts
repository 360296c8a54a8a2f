import type { EventType, Resolution, SupplierPolicy, TenantPolicy } from '@app/contracts';
import { assertMinor } from './money';

export const PolicyGapCodes = ['WINDOW', 'CLAIM_WINDOW', 'REFUND_BEFORE_RETURN', 'NO_RETURNS', 'EVIDENCE', 'RETURN_SHIPPING', 'RESTOCKING_FEE', 'CLAIM_LIMIT'] as const;
export type PolicyGapCode = (typeof PolicyGapCodes)[number];

export interface PolicyGap {
  code: PolicyGapCode;
  /** Event types the gap applies to; absent when it applies to every claim. */
  eventTypes?: EventType[];
  message: string;
}

/** Events where the item may physically go back to the supplier. */
const RETURN_EVENTS: EventType[] = ['DAMAGED', 'WRONG_ITEM', 'QUALITY_ISSUE'];

/**
 * Compares what the tenant promises customers with what the supplier accepts,
 * and lists every gap: each is money the tenant pays without recourse.
 */
export function alignPolicies(tenant: TenantPolicy, supplier: SupplierPolicy): PolicyGap[] {
  const gaps: PolicyGap[] = [];
  const returnRequired = supplier.returnRequiredFor.filter((e) => RETURN_EVENTS.includes(e));

  // Window: claims the tenant still accepts after the supplier stopped taking them.
  if (tenant.claimWindowDays > supplier.returnWindowDays)
    gaps.push({ code: 'WINDOW', message: `tenant promises ${tenant.claimWindowDays} days, supplier accepts ${supplier.returnWindowDays}` });
  if (supplier.claimWindowDays !== undefined && tenant.claimWindowDays > supplier.claimWindowDays)
    gaps.push({ code: 'CLAIM_WINDOW', message: `supplier takes claims for ${supplier.claimWindowDays} days after delivery, tenant promises ${tenant.claimWindowDays}` });

  // Refund timing against the return requirement: paying before the item is back forfeits the credit.
  if (tenant.refundTiming === 'IMMEDIATE' && returnRequired.length)
    gaps.push({ code: 'REFUND_BEFORE_RETURN', eventTypes: returnRequired, message: `tenant refunds immediately, supplier needs the item back first for ${returnRequired.join(', ')}` });
  if (!supplier.acceptsReturns && returnRequired.length)
    gaps.push({ code: 'NO_RETURNS', eventTypes: returnRequired, message: `supplier credits ${returnRequired.join(', ')} only against a return, but accepts no returns` });
  else if (!supplier.acceptsReturns && tenant.refundTiming === 'ON_RETURN_RECEIVED')
    gaps.push({ code: 'NO_RETURNS', eventTypes: ['QUALITY_ISSUE'], message: 'tenant refunds when the item is back, but the supplier accepts no returns: returned items stay with the tenant' });

  // Evidence: intake takes claims without photos; the supplier will not credit those.
  if (supplier.evidenceRequiredFor.length)
    gaps.push({ code: 'EVIDENCE', eventTypes: [...supplier.evidenceRequiredFor], message: `supplier needs evidence for ${supplier.evidenceRequiredFor.join(', ')}; claims without it are not recoverable` });

  // Return shipping: customers never pay it for damage or a wrong item, nor for a defect;
  // other quality issues follow the tenant's policy. What the supplier does not cover is the tenant's.
  const unpaid = returnRequired.filter((e) => !supplier.paysReturnShippingFor.includes(e));
  if (unpaid.length) {
    const note = unpaid.includes('QUALITY_ISSUE') && tenant.returnShippingPayer === 'CUSTOMER' ? ' (for QUALITY_ISSUE: defects only; customers pay for other quality returns)' : '';
    gaps.push({ code: 'RETURN_SHIPPING', eventTypes: unpaid, message: `tenant pays return shipping the supplier does not cover for ${unpaid.join(', ')}${note}` });
  }

  if (supplier.restockingFeePercent > 0)
    gaps.push({ code: 'RESTOCKING_FEE', message: `supplier charges a ${supplier.restockingFeePercent}% restocking fee (never passed to customers for supplier faults)` });
  if (supplier.claimLimitMinor !== undefined)
    gaps.push({ code: 'CLAIM_LIMIT', message: `supplier credits claims up to ${supplier.claimLimitMinor} minor units; larger claims are not recoverable` });
  return gaps;
}

export interface RecoverabilityInput {
  eventType: EventType;
  daysSinceDelivery?: number;
  claimMinor: number;
  hasEvidence: boolean;
  /** The customer's remedy; a refund before the return only matters when it is a refund. */
  resolution?: Resolution;
  tenant: TenantPolicy;
  supplier: SupplierPolicy;
}

/** Why this claim's cost cannot be recovered from the supplier, or undefined when it can. */
export function notRecoverableReason(i: RecoverabilityInput): string | undefined {
  const s = i.supplier;
  const returnRequired = s.returnRequiredFor.includes(i.eventType);
  if (i.daysSinceDelivery !== undefined && i.daysSinceDelivery > s.returnWindowDays)
    return `outside the supplier's ${s.returnWindowDays}-day return window`;
  if (i.daysSinceDelivery !== undefined && s.claimWindowDays !== undefined && i.daysSinceDelivery > s.claimWindowDays)
    return `outside the supplier's ${s.claimWindowDays}-day claim window`;
  if (returnRequired && !s.acceptsReturns) return 'supplier does not accept returns';
  if (returnRequired && i.tenant.refundTiming === 'IMMEDIATE' && (i.resolution ?? 'REFUND') === 'REFUND')
    return 'tenant refunds before the item is back; supplier credits only returned items';
  if (s.evidenceRequiredFor.includes(i.eventType) && !i.hasEvidence) return `supplier requires evidence for ${i.eventType}`;
  if (s.claimLimitMinor !== undefined && i.claimMinor > s.claimLimitMinor) return `claim exceeds the supplier's limit of ${s.claimLimitMinor} minor units`;
  return undefined;
}

/**
 * The restocking fee a customer may be charged: never for damage, a wrong item
 * or a defect (a quality issue counts as a defect unless said otherwise), and
 * nothing for parcels that never come back. Rounded down, in the customer's favour.
 */
export function restockingFeeMinor(eventType: EventType, supplier: SupplierPolicy, amountMinor: number, opts: { defect?: boolean } = {}): number {
  assertMinor(amountMinor);
  if (eventType === 'DAMAGED' || eventType === 'WRONG_ITEM' || eventType === 'LOST' || eventType === 'LATE_DELIVERY') return 0;
  if (eventType === 'QUALITY_ISSUE' && (opts.defect ?? true)) return 0;
  return Math.floor((Math.max(0, amountMinor) * supplier.restockingFeePercent) / 100);
}
