export const LedgerKinds = ['REFUND', 'GOODWILL', 'STORE_CREDIT', 'RETURN_SHIPPING', 'RESTOCKING_FEE', 'SUPPLIER_CREDIT_REQUESTED', 'SUPPLIER_CREDIT_GRANTED'] as const;
export type LedgerKind = (typeof LedgerKinds)[number];

export interface LedgerEntry {
  kind: LedgerKind;
  amountMinor: number;
}

export interface LedgerSummary {
  refundedMinor: number;
  goodwillMinor: number;
  storeCreditMinor: number;
  returnShippingMinor: number;
  /** Kept back from the customer's refund or store credit (not money that left). */
  restockingFeeMinor: number;
  supplierCreditRequestedMinor: number;
  supplierCreditGrantedMinor: number;
  /** Money that left the business for this case. */
  outflowMinor: number;
  /** Money recovered from the supplier. */
  recoveredMinor: number;
  /** outflow - recovered. */
  netCostMinor: number;
}

/**
 * Sums a case's ledger. Requested credit is informational: only granted credit
 * is recovered. A restocking fee is what the customer's refund was reduced by,
 * so it shows in the accounts but never as money that left.
 */
export function summarizeLedger(entries: LedgerEntry[]): LedgerSummary {
  const sum = (k: LedgerKind) => entries.filter((e) => e.kind === k).reduce((s, e) => s + e.amountMinor, 0);
  const refundedMinor = sum('REFUND');
  const goodwillMinor = sum('GOODWILL');
  const storeCreditMinor = sum('STORE_CREDIT');
  const returnShippingMinor = sum('RETURN_SHIPPING');
  const restockingFeeMinor = sum('RESTOCKING_FEE');
  const supplierCreditRequestedMinor = sum('SUPPLIER_CREDIT_REQUESTED');
  const supplierCreditGrantedMinor = sum('SUPPLIER_CREDIT_GRANTED');
  const outflowMinor = refundedMinor + goodwillMinor + storeCreditMinor + returnShippingMinor;
  const recoveredMinor = supplierCreditGrantedMinor;
  return {
    refundedMinor, goodwillMinor, storeCreditMinor, returnShippingMinor, restockingFeeMinor,
    supplierCreditRequestedMinor, supplierCreditGrantedMinor, outflowMinor, recoveredMinor,
    netCostMinor: outflowMinor - recoveredMinor,
  };
}

/** Share of requested supplier credit that was granted, 0..1 (1 when nothing was requested). */
export function recoveryRate(requestedMinor: number, grantedMinor: number): number {
  return requestedMinor === 0 ? 1 : grantedMinor / requestedMinor;
}
