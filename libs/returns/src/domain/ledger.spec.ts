import fc from 'fast-check';
import { LedgerEntry, LedgerKinds, recoveryRate, summarizeLedger } from './ledger';
import { capRefund, planRefund } from './refund-limits';
import { refundStatus, supplierCreditStatus } from './reporting';

const entry: fc.Arbitrary<LedgerEntry> = fc.record({ kind: fc.constantFrom(...LedgerKinds), amountMinor: fc.integer({ min: 0, max: 10_000_000 }) });

describe('ledger', () => {
  it('sums a DAMAGED case: refund of lines + shipping, credit granted for the lines', () => {
    const s = summarizeLedger([
      { kind: 'SUPPLIER_CREDIT_REQUESTED', amountMinor: 3998 },
      { kind: 'SUPPLIER_CREDIT_GRANTED', amountMinor: 3998 },
      { kind: 'REFUND', amountMinor: 4493 },
    ]);
    expect(s).toEqual({
      refundedMinor: 4493, goodwillMinor: 0, storeCreditMinor: 0, returnShippingMinor: 0, restockingFeeMinor: 0,
      supplierCreditRequestedMinor: 3998, supplierCreditGrantedMinor: 3998, outflowMinor: 4493, recoveredMinor: 3998, netCostMinor: 495,
    });
  });

  it('a restocking fee kept back shows in the ledger but is not money that left', () => {
    const s = summarizeLedger([
      { kind: 'SUPPLIER_CREDIT_REQUESTED', amountMinor: 4000 },
      { kind: 'REFUND', amountMinor: 3200 },
      { kind: 'RESTOCKING_FEE', amountMinor: 800 },
      { kind: 'SUPPLIER_CREDIT_GRANTED', amountMinor: 3200 },
    ]);
    expect(s).toMatchObject({ refundedMinor: 3200, restockingFeeMinor: 800, outflowMinor: 3200, recoveredMinor: 3200, netCostMinor: 0 });
  });

  it('an empty ledger is all zeros', () => {
    expect(Object.values(summarizeLedger([])).every((v) => v === 0)).toBe(true);
  });

  it('requested credit is not recovered money; only granted credit is', () => {
    const s = summarizeLedger([{ kind: 'SUPPLIER_CREDIT_REQUESTED', amountMinor: 1000 }, { kind: 'REFUND', amountMinor: 1000 }]);
    expect(s.recoveredMinor).toBe(0);
    expect(s.netCostMinor).toBe(1000);
  });

  it('property: every ledger balances — outflow − recovered = net cost, and the per-kind sums add up to the entries', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 60 }), (entries) => {
        const s = summarizeLedger(entries);
        const byKind = (k: string) => entries.filter((e) => e.kind === k).reduce((a, e) => a + e.amountMinor, 0);
        expect(s.refundedMinor).toBe(byKind('REFUND'));
        expect(s.goodwillMinor).toBe(byKind('GOODWILL'));
        expect(s.storeCreditMinor).toBe(byKind('STORE_CREDIT'));
        expect(s.returnShippingMinor).toBe(byKind('RETURN_SHIPPING'));
        expect(s.restockingFeeMinor).toBe(byKind('RESTOCKING_FEE'));
        expect(s.supplierCreditRequestedMinor).toBe(byKind('SUPPLIER_CREDIT_REQUESTED'));
        expect(s.supplierCreditGrantedMinor).toBe(byKind('SUPPLIER_CREDIT_GRANTED'));
        const total = entries.reduce((a, e) => a + e.amountMinor, 0);
        expect(s.outflowMinor + s.restockingFeeMinor + s.supplierCreditRequestedMinor + s.supplierCreditGrantedMinor).toBe(total);
        expect(s.outflowMinor).toBe(s.refundedMinor + s.goodwillMinor + s.storeCreditMinor + s.returnShippingMinor);
        expect(s.recoveredMinor).toBe(s.supplierCreditGrantedMinor);
        expect(s.outflowMinor - s.recoveredMinor).toBe(s.netCostMinor);
        // order of entries does not matter
        expect(summarizeLedger([...entries].reverse())).toEqual(s);
      }),
      { numRuns: 3000 },
    );
  });

  it('property: a simulated case (refund within limits, goodwill capped, credit per supplier capped at the claim) balances and never refunds more than was paid', () => {
    const claim = fc.record({ claimMinor: fc.integer({ min: 0, max: 500_000 }), grantedShare: fc.integer({ min: 0, max: 150 }) });
    fc.assert(
      fc.property(
        fc.array(claim, { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 3_000 }),
        (claims, shipping, alreadyRefunded, goodwillPct, returnShipping) => {
          const linesMinor = claims.reduce((a, c) => a + c.claimMinor, 0);
          const paid = linesMinor + shipping;
          const order = { totalPaidMinor: paid, refundedMinor: Math.min(alreadyRefunded, paid) };
          const entries: LedgerEntry[] = [];
          const plan = planRefund(order, { lines: claims.map((c) => ({ unitPriceMinor: c.claimMinor, quantity: 1 })), shippingMinor: shipping });
          const refund = plan.ok ? plan.amountMinor : capRefund(plan.requestedMinor, order); // an over-ask is cut to what is left
          if (refund > 0) entries.push({ kind: 'REFUND', amountMinor: refund });
          const goodwill = capRefund(Math.floor((paid * goodwillPct) / 100), { totalPaidMinor: paid, refundedMinor: order.refundedMinor + refund });
          if (goodwill > 0) entries.push({ kind: 'GOODWILL', amountMinor: goodwill });
          if (returnShipping > 0) entries.push({ kind: 'RETURN_SHIPPING', amountMinor: returnShipping });
          for (const c of claims) {
            entries.push({ kind: 'SUPPLIER_CREDIT_REQUESTED', amountMinor: c.claimMinor });
            // a supplier may answer with more than was asked; we record at most the claim (as interpret does)
            entries.push({ kind: 'SUPPLIER_CREDIT_GRANTED', amountMinor: Math.min(c.claimMinor, Math.floor((c.claimMinor * c.grantedShare) / 100)) });
          }
          const s = summarizeLedger(entries);
          expect(order.refundedMinor + s.refundedMinor + s.goodwillMinor).toBeLessThanOrEqual(paid);
          expect(s.netCostMinor).toBe(s.refundedMinor + s.goodwillMinor + s.returnShippingMinor - s.supplierCreditGrantedMinor);
          expect(s.supplierCreditGrantedMinor).toBeLessThanOrEqual(s.supplierCreditRequestedMinor);
          const rate = recoveryRate(s.supplierCreditRequestedMinor, s.supplierCreditGrantedMinor);
          expect(rate).toBeGreaterThanOrEqual(0);
          expect(rate).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('recovery rate: granted over requested, 1 when nothing was asked', () => {
    expect(recoveryRate(0, 0)).toBe(1);
    expect(recoveryRate(4000, 3000)).toBe(0.75);
    expect(recoveryRate(4000, 0)).toBe(0);
  });
});

describe('report statuses', () => {
  it('supplier credit status comes from the sums, with open claims pending', () => {
    expect(supplierCreditStatus({ requestedMinor: 0, grantedMinor: 0, claimStatuses: ['PENDING'] })).toBe('NOT_REQUESTED');
    expect(supplierCreditStatus({ requestedMinor: 4000, grantedMinor: 0, claimStatuses: ['REQUESTED'] })).toBe('PENDING');
    expect(supplierCreditStatus({ requestedMinor: 4000, grantedMinor: 1000, claimStatuses: ['APPROVED', 'NEEDS_EVIDENCE'] })).toBe('PENDING');
    expect(supplierCreditStatus({ requestedMinor: 4000, grantedMinor: 4000, claimStatuses: ['APPROVED', 'APPROVED'] })).toBe('GRANTED');
    expect(supplierCreditStatus({ requestedMinor: 4000, grantedMinor: 3000, claimStatuses: ['APPROVED', 'PARTIALLY_APPROVED'] })).toBe('PARTIAL');
    expect(supplierCreditStatus({ requestedMinor: 4000, grantedMinor: 2000, claimStatuses: ['APPROVED', 'REJECTED'] })).toBe('PARTIAL');
    expect(supplierCreditStatus({ requestedMinor: 4000, grantedMinor: 0, claimStatuses: ['REJECTED'] })).toBe('REJECTED');
    expect(supplierCreditStatus({ requestedMinor: 4000, grantedMinor: 0, claimStatuses: ['REPLACEMENT_SHIPPED'] })).toBe('REPLACED');
  });

  it('refund status over a case’s refunds', () => {
    expect(refundStatus([])).toBe('NONE');
    expect(refundStatus(['SUCCEEDED'])).toBe('REFUNDED');
    expect(refundStatus(['SUCCEEDED', 'PENDING'])).toBe('PENDING');
    expect(refundStatus(['PENDING', 'FAILED'])).toBe('FAILED');
  });
});
