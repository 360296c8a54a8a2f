import { EventType, EventTypes, SupplierPolicy, TenantPolicy } from '@app/contracts';
import fc from 'fast-check';
import { alignPolicies, notRecoverableReason, PolicyGap, PolicyGapCodes, RecoverabilityInput, restockingFeeMinor } from './alignment';

const tenant = (p: Partial<TenantPolicy> = {}): TenantPolicy => Object.assign(new TenantPolicy(), { claimWindowDays: 30, refundTiming: 'ON_SUPPLIER_APPROVAL', ...p });
const supplier = (p: Partial<SupplierPolicy> = {}): SupplierPolicy => Object.assign(new SupplierPolicy(), { returnWindowDays: 30, ...p });
const codes = (gaps: PolicyGap[]) => gaps.map((g) => g.code);
const gap = (gaps: PolicyGap[], code: string) => gaps.find((g) => g.code === code);

describe('alignPolicies', () => {
  it('finds no gap when the supplier covers everything the tenant promises', () => {
    expect(alignPolicies(tenant(), supplier())).toEqual([]);
    expect(alignPolicies(tenant({ claimWindowDays: 14 }), supplier({ returnWindowDays: 14, claimWindowDays: 14 }))).toEqual([]);
  });

  describe('window', () => {
    it('tenant promises longer than the supplier accepts', () => {
      const gaps = alignPolicies(tenant({ claimWindowDays: 30 }), supplier({ returnWindowDays: 14 }));
      expect(codes(gaps)).toEqual(['WINDOW']);
      expect(gap(gaps, 'WINDOW')!.message).toBe('tenant promises 30 days, supplier accepts 14');
    });

    it('equal windows are no gap; one day more is', () => {
      expect(codes(alignPolicies(tenant({ claimWindowDays: 14 }), supplier({ returnWindowDays: 14 })))).toEqual([]);
      expect(codes(alignPolicies(tenant({ claimWindowDays: 15 }), supplier({ returnWindowDays: 14 })))).toEqual(['WINDOW']);
    });

    it("the supplier's claim window (e.g. 15 days for photos) is its own gap", () => {
      const gaps = alignPolicies(tenant({ claimWindowDays: 30 }), supplier({ returnWindowDays: 30, claimWindowDays: 15 }));
      expect(codes(gaps)).toEqual(['CLAIM_WINDOW']);
      expect(gap(gaps, 'CLAIM_WINDOW')!.message).toContain('15 days');
    });
  });

  describe('refund timing against the return requirement', () => {
    it('IMMEDIATE refunds with a supplier that needs the item back first', () => {
      const gaps = alignPolicies(tenant({ refundTiming: 'IMMEDIATE' }), supplier({ returnRequiredFor: ['QUALITY_ISSUE'], paysReturnShippingFor: ['QUALITY_ISSUE'] }));
      expect(codes(gaps)).toEqual(['REFUND_BEFORE_RETURN']);
      expect(gap(gaps, 'REFUND_BEFORE_RETURN')!.eventTypes).toEqual(['QUALITY_ISSUE']);
    });

    it.each(['ON_SUPPLIER_APPROVAL', 'ON_RETURN_RECEIVED'] as const)('%s waits, so no gap', (refundTiming) => {
      const gaps = alignPolicies(tenant({ refundTiming }), supplier({ returnRequiredFor: ['QUALITY_ISSUE'], paysReturnShippingFor: ['QUALITY_ISSUE'] }));
      expect(codes(gaps)).toEqual([]);
    });

    it('a return requirement for events where nothing can come back (LOST, LATE_DELIVERY) is ignored', () => {
      const gaps = alignPolicies(tenant({ refundTiming: 'IMMEDIATE' }), supplier({ returnRequiredFor: ['LOST', 'LATE_DELIVERY'] }));
      expect(codes(gaps)).toEqual([]);
    });

    it('a supplier that wants returns but accepts none can never credit those events', () => {
      const gaps = alignPolicies(tenant(), supplier({ acceptsReturns: false, returnRequiredFor: ['DAMAGED'], paysReturnShippingFor: ['DAMAGED'] }));
      expect(codes(gaps)).toEqual(['NO_RETURNS']);
      expect(gap(gaps, 'NO_RETURNS')!.eventTypes).toEqual(['DAMAGED']);
    });

    it('tenant refunds on return received, supplier takes no returns: the items stay with the tenant', () => {
      const gaps = alignPolicies(tenant({ refundTiming: 'ON_RETURN_RECEIVED' }), supplier({ acceptsReturns: false }));
      expect(codes(gaps)).toEqual(['NO_RETURNS']);
      expect(gap(gaps, 'NO_RETURNS')!.message).toContain('stay with the tenant');
    });

    it('a supplier that takes no returns and needs none is no gap for a tenant that does not wait for returns', () => {
      expect(alignPolicies(tenant({ refundTiming: 'IMMEDIATE' }), supplier({ acceptsReturns: false }))).toEqual([]);
    });
  });

  describe('evidence', () => {
    it('lists the event types the supplier needs evidence for', () => {
      const gaps = alignPolicies(tenant(), supplier({ evidenceRequiredFor: ['DAMAGED', 'QUALITY_ISSUE'] }));
      expect(codes(gaps)).toEqual(['EVIDENCE']);
      expect(gap(gaps, 'EVIDENCE')!.eventTypes).toEqual(['DAMAGED', 'QUALITY_ISSUE']);
      expect(gap(gaps, 'EVIDENCE')!.message).toContain('DAMAGED, QUALITY_ISSUE');
    });
  });

  describe('return-shipping payer', () => {
    it('damage and wrong items: the customer never pays, so what the supplier does not cover is the tenant’s', () => {
      for (const payer of ['CUSTOMER', 'TENANT'] as const) {
        const gaps = alignPolicies(tenant({ returnShippingPayer: payer }), supplier({ returnRequiredFor: ['DAMAGED', 'WRONG_ITEM'], paysReturnShippingFor: ['WRONG_ITEM'] }));
        expect(codes(gaps)).toEqual(['RETURN_SHIPPING']);
        expect(gap(gaps, 'RETURN_SHIPPING')!.eventTypes).toEqual(['DAMAGED']);
      }
    });

    it('quality issues: defects always, the rest only when the tenant pays return shipping', () => {
      const customerPays = alignPolicies(tenant({ returnShippingPayer: 'CUSTOMER' }), supplier({ returnRequiredFor: ['QUALITY_ISSUE'] }));
      expect(gap(customerPays, 'RETURN_SHIPPING')!.message).toContain('defects only');
      const tenantPays = alignPolicies(tenant({ returnShippingPayer: 'TENANT' }), supplier({ returnRequiredFor: ['QUALITY_ISSUE'] }));
      expect(gap(tenantPays, 'RETURN_SHIPPING')!.message).not.toContain('defects only');
      expect(gap(tenantPays, 'RETURN_SHIPPING')!.eventTypes).toEqual(['QUALITY_ISSUE']);
    });

    it('no gap when the supplier pays for every return it requires', () => {
      expect(alignPolicies(tenant({ returnShippingPayer: 'TENANT' }), supplier({ returnRequiredFor: ['QUALITY_ISSUE', 'DAMAGED'], paysReturnShippingFor: ['DAMAGED', 'QUALITY_ISSUE'] }))).toEqual([]);
    });
  });

  it('restocking fee and claim limit are reported as costs the tenant carries', () => {
    const gaps = alignPolicies(tenant(), supplier({ restockingFeePercent: 15, claimLimitMinor: 10_000 }));
    expect(codes(gaps)).toEqual(['RESTOCKING_FEE', 'CLAIM_LIMIT']);
    expect(gap(gaps, 'RESTOCKING_FEE')!.message).toContain('15%');
    expect(gap(gaps, 'CLAIM_LIMIT')!.message).toContain('10000');
  });

  it('reports every gap at once, in a stable order', () => {
    const gaps = alignPolicies(
      tenant({ claimWindowDays: 60, refundTiming: 'IMMEDIATE', returnShippingPayer: 'TENANT' }),
      supplier({ returnWindowDays: 14, claimWindowDays: 7, acceptsReturns: false, returnRequiredFor: ['QUALITY_ISSUE'], evidenceRequiredFor: ['DAMAGED'], restockingFeePercent: 10, claimLimitMinor: 5000 }),
    );
    expect(codes(gaps)).toEqual(['WINDOW', 'CLAIM_WINDOW', 'REFUND_BEFORE_RETURN', 'NO_RETURNS', 'EVIDENCE', 'RETURN_SHIPPING', 'RESTOCKING_FEE', 'CLAIM_LIMIT']);
    expect(new Set(codes(gaps))).toEqual(new Set(PolicyGapCodes));
  });

  it('property: every claim intake would flag as not recoverable on policy grounds falls under a reported gap', () => {
    const eventType = fc.constantFrom(...EventTypes);
    const events = fc.uniqueArray(eventType, { maxLength: 5 });
    fc.assert(
      fc.property(
        fc.record({ claimWindowDays: fc.integer({ min: 0, max: 90 }), refundTiming: fc.constantFrom('IMMEDIATE', 'ON_SUPPLIER_APPROVAL', 'ON_RETURN_RECEIVED' as const), returnShippingPayer: fc.constantFrom('CUSTOMER', 'TENANT' as const) }),
        fc.record({
          returnWindowDays: fc.integer({ min: 0, max: 90 }), claimWindowDays: fc.option(fc.integer({ min: 0, max: 90 }), { nil: undefined }), acceptsReturns: fc.boolean(),
          evidenceRequiredFor: events, returnRequiredFor: fc.uniqueArray(fc.constantFrom<EventType>('DAMAGED', 'WRONG_ITEM', 'QUALITY_ISSUE'), { maxLength: 3 }),
          paysReturnShippingFor: events, claimLimitMinor: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: undefined }),
        }),
        eventType,
        fc.integer({ min: 0, max: 90 }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.boolean(),
        (t, s, ev, days, claimMinor, hasEvidence) => {
          const tp = tenant(t as Partial<TenantPolicy>);
          const sp = supplier(s as Partial<SupplierPolicy>);
          // Only claims the tenant's own window admits reach this check at intake.
          fc.pre(days <= tp.claimWindowDays);
          const reason = notRecoverableReason({ eventType: ev, daysSinceDelivery: days, claimMinor, hasEvidence, tenant: tp, supplier: sp });
          if (!reason) return;
          const gaps = codes(alignPolicies(tp, sp));
          const covering: Record<string, string[]> = {
            'return window': ['WINDOW'], 'claim window': ['CLAIM_WINDOW'], 'does not accept returns': ['NO_RETURNS'],
            'refunds before the item is back': ['REFUND_BEFORE_RETURN'], 'requires evidence': ['EVIDENCE'], 'exceeds the supplier': ['CLAIM_LIMIT'],
          };
          const key = Object.keys(covering).find((k) => reason.includes(k));
          expect(key).toBeDefined();
          expect(gaps).toEqual(expect.arrayContaining(covering[key!]));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('notRecoverableReason', () => {
  const base = (p: Partial<RecoverabilityInput> = {}): RecoverabilityInput => ({
    eventType: 'DAMAGED', daysSinceDelivery: 3, claimMinor: 3998, hasEvidence: true, tenant: tenant(), supplier: supplier(), ...p,
  });

  it('recoverable when inside every window, with evidence, under the limit', () => {
    expect(notRecoverableReason(base())).toBeUndefined();
  });

  it('outside the return window (day 15 of a 14-day window; day 14 still fine)', () => {
    expect(notRecoverableReason(base({ daysSinceDelivery: 15, supplier: supplier({ returnWindowDays: 14 }) }))).toBe("outside the supplier's 14-day return window");
    expect(notRecoverableReason(base({ daysSinceDelivery: 14, supplier: supplier({ returnWindowDays: 14 }) }))).toBeUndefined();
  });

  it("outside the supplier's claim window", () => {
    expect(notRecoverableReason(base({ daysSinceDelivery: 8, supplier: supplier({ claimWindowDays: 7 }) }))).toBe("outside the supplier's 7-day claim window");
  });

  it('no delivery date (lost, late): windows do not apply', () => {
    expect(notRecoverableReason(base({ eventType: 'LOST', daysSinceDelivery: undefined, supplier: supplier({ returnWindowDays: 0, claimWindowDays: 0 }) }))).toBeUndefined();
  });

  it('return required but the supplier accepts no returns', () => {
    expect(notRecoverableReason(base({ supplier: supplier({ acceptsReturns: false, returnRequiredFor: ['DAMAGED'] }) }))).toBe('supplier does not accept returns');
  });

  it('refund before return: only for a cash refund under IMMEDIATE timing, and only for events needing the return', () => {
    const s = supplier({ returnRequiredFor: ['QUALITY_ISSUE'] });
    const immediate = tenant({ refundTiming: 'IMMEDIATE' });
    expect(notRecoverableReason(base({ eventType: 'QUALITY_ISSUE', tenant: immediate, supplier: s }))).toMatch(/refunds before the item is back/);
    expect(notRecoverableReason(base({ eventType: 'QUALITY_ISSUE', tenant: immediate, supplier: s, resolution: 'REFUND' }))).toMatch(/refunds before the item is back/);
    expect(notRecoverableReason(base({ eventType: 'QUALITY_ISSUE', tenant: immediate, supplier: s, resolution: 'REPLACEMENT' }))).toBeUndefined();
    expect(notRecoverableReason(base({ eventType: 'QUALITY_ISSUE', tenant: tenant({ refundTiming: 'ON_RETURN_RECEIVED' }), supplier: s }))).toBeUndefined();
    expect(notRecoverableReason(base({ eventType: 'DAMAGED', tenant: immediate, supplier: s }))).toBeUndefined();
  });

  it('evidence required and missing', () => {
    const s = supplier({ evidenceRequiredFor: ['DAMAGED'] });
    expect(notRecoverableReason(base({ hasEvidence: false, supplier: s }))).toBe('supplier requires evidence for DAMAGED');
    expect(notRecoverableReason(base({ hasEvidence: true, supplier: s }))).toBeUndefined();
    expect(notRecoverableReason(base({ eventType: 'WRONG_ITEM', hasEvidence: false, supplier: s }))).toBeUndefined();
  });

  it('claim above the supplier limit (equal is fine)', () => {
    expect(notRecoverableReason(base({ claimMinor: 5001, supplier: supplier({ claimLimitMinor: 5000 }) }))).toBe("claim exceeds the supplier's limit of 5000 minor units");
    expect(notRecoverableReason(base({ claimMinor: 5000, supplier: supplier({ claimLimitMinor: 5000 }) }))).toBeUndefined();
  });

  it('the first reason wins: window before evidence before limit', () => {
    const s = supplier({ returnWindowDays: 5, evidenceRequiredFor: ['DAMAGED'], claimLimitMinor: 1 });
    expect(notRecoverableReason(base({ daysSinceDelivery: 6, hasEvidence: false, supplier: s }))).toMatch(/return window/);
    expect(notRecoverableReason(base({ daysSinceDelivery: 5, hasEvidence: false, supplier: s }))).toMatch(/evidence/);
    expect(notRecoverableReason(base({ daysSinceDelivery: 5, hasEvidence: true, supplier: s }))).toMatch(/limit/);
  });
});

describe('restockingFeeMinor', () => {
  const s = supplier({ restockingFeePercent: 15 });

  it.each(['DAMAGED', 'WRONG_ITEM', 'LOST', 'LATE_DELIVERY'] as const)('never charged for %s', (eventType) => {
    expect(restockingFeeMinor(eventType, s, 10_000)).toBe(0);
  });

  it('never for a defect; a non-defect quality return pays the percentage, rounded down', () => {
    expect(restockingFeeMinor('QUALITY_ISSUE', s, 10_000)).toBe(0);
    expect(restockingFeeMinor('QUALITY_ISSUE', s, 10_000, { defect: true })).toBe(0);
    expect(restockingFeeMinor('QUALITY_ISSUE', s, 10_000, { defect: false })).toBe(1500);
    expect(restockingFeeMinor('QUALITY_ISSUE', s, 1999, { defect: false })).toBe(299);
  });

  it('property: the fee is zero for supplier faults and never exceeds the amount', () => {
    fc.assert(
      fc.property(fc.constantFrom(...EventTypes), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 10 ** 12 }), fc.boolean(), (ev, pct, amount, defect) => {
        const fee = restockingFeeMinor(ev, supplier({ restockingFeePercent: pct }), amount, { defect });
        expect(Number.isSafeInteger(fee)).toBe(true);
        expect(fee).toBeGreaterThanOrEqual(0);
        expect(fee).toBeLessThanOrEqual(amount);
        if (ev !== 'QUALITY_ISSUE' || defect) expect(fee).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects a non-integer amount', () => {
    expect(() => restockingFeeMinor('QUALITY_ISSUE', s, 12.5, { defect: false })).toThrow(RangeError);
  });
});
