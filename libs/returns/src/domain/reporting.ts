/** Where the supplier side of a case stands, for the accounting export. */
export type SupplierCreditStatus = 'NOT_REQUESTED' | 'PENDING' | 'GRANTED' | 'PARTIAL' | 'REJECTED' | 'REPLACED';

/** Where the customer's cash refund stands, for the accounting export. */
export type RefundStatus = 'NONE' | 'PENDING' | 'REFUNDED' | 'FAILED';

const OPEN_CLAIM = ['PENDING', 'REQUESTED', 'DELIVERED', 'NEEDS_EVIDENCE', 'UNREACHABLE'];

/**
 * Sums decide it (the ledger is the truth about money); claim statuses only
 * tell whether an answer is still outstanding or the supplier reshipped instead.
 */
export function supplierCreditStatus(i: { requestedMinor: number; grantedMinor: number; claimStatuses: string[] }): SupplierCreditStatus {
  const replaced = i.claimStatuses.length > 0 && i.claimStatuses.every((s) => s === 'REPLACEMENT_SHIPPED');
  if (replaced) return 'REPLACED';
  if (i.requestedMinor === 0 && i.grantedMinor === 0) return 'NOT_REQUESTED';
  if (i.claimStatuses.some((s) => OPEN_CLAIM.includes(s))) return 'PENDING';
  if (i.grantedMinor >= i.requestedMinor) return 'GRANTED';
  return i.grantedMinor > 0 ? 'PARTIAL' : 'REJECTED';
}

/** One status over a case's refunds (customer refund, goodwill, cancel refund). */
export function refundStatus(statuses: ('PENDING' | 'SUCCEEDED' | 'FAILED')[]): RefundStatus {
  if (!statuses.length) return 'NONE';
  if (statuses.includes('FAILED')) return 'FAILED';
  if (statuses.includes('PENDING')) return 'PENDING';
  return 'REFUNDED';
}
