import fc from 'fast-check';
import { percentOf } from './money';
import { capRefund, linesTotal, planRefund, refundableMinor, RefundableOrder } from './refund-limits';

describe('refund limits', () => {
  const order = (totalPaidMinor: number, refundedMinor = 0): RefundableOrder => ({ totalPaidMinor, refundedMinor });

  it('refunds up to what was paid minus what was already refunded', () => {
    expect(planRefund(order(4493), { lines: [{ unitPriceMinor: 1999, quantity: 2 }], shippingMinor: 495 })).toEqual({ ok: true, amountMinor: 4493 });
    expect(planRefund(order(4493, 1000), { lines: [{ unitPriceMinor: 1999, quantity: 2 }], shippingMinor: 495 })).toEqual({
      ok: false, reason: 'refund exceeds what was paid minus what was already refunded', requestedMinor: 4493, refundableMinor: 3493,
    });
    expect(planRefund(order(4493, 4493), { lines: [], shippingMinor: 1 })).toMatchObject({ ok: false, refundableMinor: 0 });
  });

  it('nothing to refund is refused, not a zero refund', () => {
    expect(planRefund(order(100), { lines: [], shippingMinor: 0 })).toMatchObject({ ok: false, reason: 'nothing to refund' });
    expect(planRefund(order(100), { lines: [{ unitPriceMinor: 50, quantity: 0 }], shippingMinor: 0 })).toMatchObject({ ok: false, reason: 'nothing to refund' });
  });

  it('refuses fractions and negatives instead of netting them', () => {
    expect(() => planRefund(order(100), { lines: [{ unitPriceMinor: 10.5, quantity: 1 }], shippingMinor: 0 })).toThrow(RangeError);
    expect(() => planRefund(order(100), { lines: [{ unitPriceMinor: -10, quantity: 1 }], shippingMinor: 50 })).toThrow(RangeError);
    expect(() => planRefund(order(100), { lines: [{ unitPriceMinor: 10, quantity: 1 }], shippingMinor: -5 })).toThrow(RangeError);
    expect(() => planRefund(order(100), { lines: [{ unitPriceMinor: 10, quantity: 1.5 }], shippingMinor: 0 })).toThrow(RangeError);
    expect(() => linesTotal([{ unitPriceMinor: 10, quantity: -1 }])).toThrow(RangeError);
    expect(() => refundableMinor(order(10.1))).toThrow(RangeError);
  });

  it('capRefund caps a goodwill amount at what is still refundable, never below zero', () => {
    expect(capRefund(500, order(1000, 800))).toBe(200);
    expect(capRefund(500, order(1000, 1200))).toBe(0);
    expect(capRefund(-5, order(1000))).toBe(0);
  });

  /** One step a case can take on an order: a partial refund by lines and shipping, a goodwill percentage, or "the rest". */
  type Step =
    | { kind: 'lines'; lines: { unitPriceMinor: number; quantity: number }[]; shippingMinor: number }
    | { kind: 'goodwill'; percent: number }
    | { kind: 'rest' };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      kind: fc.constant('lines' as const),
      lines: fc.array(fc.record({ unitPriceMinor: fc.integer({ min: 0, max: 500_000 }), quantity: fc.integer({ min: 0, max: 5 }) }), { maxLength: 4 }),
      shippingMinor: fc.integer({ min: 0, max: 2_000 }),
    }),
    fc.record({ kind: fc.constant('goodwill' as const), percent: fc.integer({ min: 0, max: 150 }) }),
    fc.constant({ kind: 'rest' as const }),
  );

  it('property: over any sequence of partial refunds and goodwill, the total refunded never exceeds what was paid', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000 }), fc.array(step, { maxLength: 25 }), (paid, steps) => {
        let refunded = 0;
        for (const s of steps) {
          const before = refundableMinor({ totalPaidMinor: paid, refundedMinor: refunded });
          expect(before).toBe(paid - refunded);
          let amount = 0;
          if (s.kind === 'lines') {
            const plan = planRefund({ totalPaidMinor: paid, refundedMinor: refunded }, s);
            const requested = linesTotal(s.lines) + s.shippingMinor;
            // accepted exactly when it is positive and fits
            expect(plan.ok).toBe(requested > 0 && requested <= before);
            if (plan.ok) {
              expect(plan.amountMinor).toBe(requested);
              amount = plan.amountMinor;
            } else {
              expect(plan.refundableMinor).toBe(before);
            }
          } else if (s.kind === 'goodwill') {
            // goodwill as a percentage of the order, in cash only as far as it fits; the rest would be store credit
            const wanted = percentOf(paid, s.percent);
            amount = capRefund(wanted, { totalPaidMinor: paid, refundedMinor: refunded });
            expect(amount).toBe(Math.min(wanted, before));
          } else {
            amount = capRefund(Number.MAX_SAFE_INTEGER, { totalPaidMinor: paid, refundedMinor: refunded });
            expect(amount).toBe(before);
          }
          expect(amount).toBeGreaterThanOrEqual(0);
          expect(amount).toBeLessThanOrEqual(before);
          refunded += amount;
          expect(refunded).toBeLessThanOrEqual(paid);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('property: two claims racing on one order can never both be paid beyond the total', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 1_000_000 }), (paid, a, b) => {
        const first = planRefund({ totalPaidMinor: paid, refundedMinor: 0 }, { lines: [{ unitPriceMinor: a, quantity: 1 }], shippingMinor: 0 });
        const afterFirst = first.ok ? first.amountMinor : 0;
        const second = planRefund({ totalPaidMinor: paid, refundedMinor: afterFirst }, { lines: [{ unitPriceMinor: b, quantity: 1 }], shippingMinor: 0 });
        expect(afterFirst + (second.ok ? second.amountMinor : 0)).toBeLessThanOrEqual(paid);
      }),
      { numRuns: 3000 },
    );
  });
});
