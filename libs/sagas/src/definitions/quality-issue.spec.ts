import { qualityIssue, qualityRestockingFeeMinor } from './quality-issue';
import { caseOf, SagaSim, T0 } from './spec-harness';

const DAY = 86_400_000;
const withReturn = { returnRequiredFor: ['QUALITY_ISSUE' as const] };
const label = { returnLabelUrl: 'https://labels.example.test/rma-5.pdf', rmaNumber: 'RMA-5', returnAddress: 'Returns NL, Keizersgracht 1, Amsterdam' };

describe('QUALITY_ISSUE saga', () => {
  describe('with the item going back (supplier policy returnRequiredFor)', () => {
    const started = (tenant: Record<string, unknown> = { refundTiming: 'ON_RETURN_RECEIVED' }, extra: Record<string, unknown> = {}) => {
      const sim = new SagaSim(qualityIssue, caseOf('QUALITY_ISSUE', { supplier: withReturn, tenant, deliveredDaysAgo: 4, ...extra }));
      sim.start();
      return sim;
    };

    it('approval carries the label; scans tell the customer; the refund follows the parcel', () => {
      const sim = started();
      expect(sim.state).toBe('AWAITING_SUPPLIER');
      sim.answer('APPROVED', label);
      expect(sim.state).toBe('AWAITING_RETURN');
      expect(sim.mail('RETURN_INSTRUCTIONS')).toMatchObject({ ...label, returnBy: '1 April 2026' });
      expect(sim.timers.get('PARCEL_DEADLINE')).toEqual(new Date(T0.getTime() + 30 * DAY));
      expect(sim.of('refund')).toEqual([]);

      sim.advance(2 * DAY);
      sim.track('RETURN_IN_TRANSIT', { carrier: 'DHL', trackingNumber: 'JVGL0001' });
      expect(sim.state).toBe('AWAITING_RETURN');
      expect(sim.mail('RETURN_IN_TRANSIT').trackingNumber).toBe('JVGL0001');

      sim.advance(3 * DAY);
      sim.track('RETURN_RECEIVED');
      expect(sim.state).toBe('REFUNDING');
      expect(sim.mails).toContain('RETURN_RECEIVED');
      expect(sim.timers.has('PARCEL_DEADLINE')).toBe(false);
      expect(sim.data.refunds.CUSTOMER_REFUND!.amountMinor).toBe(4493);
      sim.refund('issued');
      expect(sim.state).toBe('COMPLETED');
    });

    it('no parcel within 30 days: ABANDONED, without a refund', () => {
      const sim = started();
      sim.answer('APPROVED', label);
      sim.advance(30 * DAY - 1);
      expect(sim.state).toBe('AWAITING_RETURN');
      sim.advance(1);
      expect(sim.state).toBe('ABANDONED');
      expect(qualityIssue.terminal).toContain('ABANDONED');
      expect(sim.of('refund')).toEqual([]);
      expect(sim.timers.size).toBe(0);
    });

    it('a parcel still in transit at the deadline goes to ops; arriving after all, the case carries on', () => {
      const sim = started();
      sim.answer('APPROVED', label);
      sim.track('RETURN_IN_TRANSIT', { trackingNumber: 'SLOW-1' });
      sim.advance(30 * DAY);
      expect(sim.state).toBe('ESCALATED');
      expect(sim.data.escalation).toMatch(/SLOW-1 still in transit/);
      sim.track('RETURN_RECEIVED');
      expect(sim.state).toBe('REFUNDING');
    });

    it('refund timing ON_SUPPLIER_APPROVAL also waits for the item: the approval only authorises the return', () => {
      const sim = started({ refundTiming: 'ON_SUPPLIER_APPROVAL' });
      sim.answer('APPROVED', label);
      expect(sim.state).toBe('AWAITING_RETURN');
      expect(sim.of('refund')).toEqual([]);
    });

    it('IMMEDIATE pays first and still collects the item; nothing is paid twice', () => {
      const sim = started({ refundTiming: 'IMMEDIATE' });
      expect(sim.state).toBe('REFUNDING');
      sim.refund('issued');
      expect(sim.state).toBe('AWAITING_RECOVERY');
      sim.answer('APPROVED', label);
      expect(sim.state).toBe('AWAITING_RETURN');
      sim.track('RETURN_RECEIVED');
      expect(sim.state).toBe('COMPLETED');
      expect(sim.of('refund')).toHaveLength(1);
    });

    it('IMMEDIATE with the approval arriving while the refund is on its way', () => {
      const sim = started({ refundTiming: 'IMMEDIATE' });
      sim.answer('APPROVED', label);
      expect(sim.state).toBe('REFUNDING');
      sim.refund('issued');
      expect(sim.state).toBe('AWAITING_RETURN');
      expect(sim.mails).toEqual(expect.arrayContaining(['REFUND_ISSUED', 'RETURN_INSTRUCTIONS']));
    });

    it('a parcel that arrives before the approval is remembered: the approval then refunds at once', () => {
      const sim = started();
      sim.track('RETURN_RECEIVED');
      expect(sim.state).toBe('AWAITING_SUPPLIER');
      expect(sim.mails).toContain('RETURN_RECEIVED');
      sim.answer('APPROVED');
      expect(sim.state).toBe('REFUNDING');
      expect(sim.mails).not.toContain('RETURN_INSTRUCTIONS');
    });

    it('replacement: the supplier authorises the return, and reships (a new request) once the item is back', () => {
      const sim = started({}, { resolution: 'REPLACEMENT' });
      expect(sim.state).toBe('AWAITING_REPLACEMENT');
      const first = sim.data.claims[0].requestId;
      sim.answer('APPROVED', label);
      expect(sim.state).toBe('AWAITING_RETURN');
      sim.track('RETURN_RECEIVED');
      expect(sim.state).toBe('AWAITING_REPLACEMENT');
      expect(sim.data.claims[0]).toMatchObject({ requestKind: 'RESHIP', status: 'REQUESTED' });
      expect(sim.data.claims[0].requestId).not.toBe(first);
      sim.answer('REPLACEMENT_SHIPPED', { trackingNumber: 'NEW-5' });
      expect(sim.state).toBe('COMPLETED');
      expect(sim.of('refund')).toEqual([]);
      expect(sim.of('ledger').filter((l) => l.entry.startsWith('SUPPLIER_CREDIT'))).toEqual([]);
    });

    it('a rejection escalates and the customer hears we are reviewing', () => {
      const sim = started();
      sim.answer('REJECTED', { reason: 'wear and tear' });
      expect(sim.state).toBe('ESCALATED');
      expect(sim.mails).toContain('CLAIM_ESCALATED');
      expect(sim.of('refund')).toEqual([]);
    });
  });

  describe('without a return', () => {
    it('credited on evidence, like DAMAGED: approval → refund → completed, no return instructions', () => {
      const sim = new SagaSim(qualityIssue, caseOf('QUALITY_ISSUE', { deliveredDaysAgo: 4, evidenceUrls: ['https://photos.example.test/q.jpg'] }));
      sim.start();
      sim.answer('APPROVED');
      expect(sim.state).toBe('REFUNDING');
      sim.refund('issued');
      expect(sim.state).toBe('COMPLETED');
      expect(sim.mails).not.toContain('RETURN_INSTRUCTIONS');
      expect(sim.timers.has('PARCEL_DEADLINE')).toBe(false);
    });

    it('store credit on approval', () => {
      const sim = new SagaSim(qualityIssue, caseOf('QUALITY_ISSUE', { resolution: 'STORE_CREDIT', deliveredDaysAgo: 4 }));
      sim.start();
      sim.answer('APPROVED');
      // Issued in the store (exactly once, like a refund): the case waits for the store's answer.
      expect(sim.state).toBe('REFUNDING');
      expect(sim.of('refund')).toEqual([{ kind: 'refund', purpose: 'STORE_CREDIT' }]);
      sim.refund('issued', 'STORE_CREDIT');
      expect(sim.state).toBe('COMPLETED');
      expect(sim.data.storeCreditMinor).toBe(3998);
      expect(sim.mail('STORE_CREDIT_ISSUED').amount).toBe('€39.98');
      expect(sim.of('ledger').filter((l) => l.entry === 'STORE_CREDIT')).toEqual([expect.objectContaining({ amountMinor: 3998 })]);
    });

    it('IMMEDIATE store credit goes out at once, less the restocking fee for a non-defect, and the fee is booked', () => {
      const sim = new SagaSim(qualityIssue, caseOf('QUALITY_ISSUE', { resolution: 'STORE_CREDIT', defect: false, supplier: { restockingFeePercent: 20 }, tenant: { refundTiming: 'IMMEDIATE' } }));
      sim.start();
      expect(sim.state).toBe('REFUNDING');
      expect(sim.data.refunds.STORE_CREDIT).toMatchObject({ amountMinor: 3998 - 799, feeMinor: 799 });
      sim.refund('issued', 'STORE_CREDIT');
      expect(sim.state).toBe('AWAITING_RECOVERY');
      expect(sim.of('ledger').filter((l) => l.entry === 'STORE_CREDIT' || l.entry === 'RESTOCKING_FEE').map((l) => [l.entry, l.amountMinor])).toEqual([['STORE_CREDIT', 3199], ['RESTOCKING_FEE', 799]]);
      expect(sim.mail('STORE_CREDIT_ISSUED').restockingFee).toBe('€7.99');
      sim.answer('APPROVED');
      expect(sim.state).toBe('COMPLETED');
    });

    it('a case already stuck in REFUNDING with nothing asked for (before the fix) is repaired by an ops retry', () => {
      const c = { ...caseOf('QUALITY_ISSUE', { defect: false, supplier: { restockingFeePercent: 100 }, tenant: { refundTiming: 'IMMEDIATE' } }), shippingMinor: 0 };
      const sim = new SagaSim(qualityIssue, c);
      sim.start();
      // The state the old code left behind: REFUNDING, no refund recorded.
      sim.state = 'REFUNDING';
      sim.data.refunds = {};
      sim.ops('RETRY');
      expect(sim.state).toBe('AWAITING_RECOVERY');
      expect(sim.data.refunds.CUSTOMER_REFUND).toMatchObject({ amountMinor: 0, status: 'ISSUED' });
      sim.ops('RETRY');
      expect(sim.state).toBe('AWAITING_RECOVERY');
    });

    it('a restocking fee of 100% is a refund of nothing: done at once, booked, and the supplier still answers into a terminal state', () => {
      const c = { ...caseOf('QUALITY_ISSUE', { defect: false, supplier: { restockingFeePercent: 100 }, tenant: { refundTiming: 'IMMEDIATE' } }), shippingMinor: 0 };
      const sim = new SagaSim(qualityIssue, c);
      sim.start();
      expect(sim.of('refund')).toEqual([]);
      expect(sim.data.refunds.CUSTOMER_REFUND).toMatchObject({ amountMinor: 0, status: 'ISSUED', feeMinor: 3998 });
      expect(sim.state).toBe('AWAITING_RECOVERY');
      expect(sim.of('ledger').filter((l) => l.entry === 'REFUND' || l.entry === 'RESTOCKING_FEE').map((l) => [l.entry, l.amountMinor])).toEqual([['REFUND', 0], ['RESTOCKING_FEE', 3998]]);
      expect(sim.mail('REFUND_ISSUED')).toMatchObject({ amount: '€0.00', restockingFee: '€39.98' });
      sim.answer('APPROVED');
      expect(sim.state).toBe('COMPLETED');
    });
  });

  describe('restocking fee', () => {
    const fee15 = { restockingFeePercent: 15 };
    it('never for a defect (the default), even when the supplier charges one', () => {
      const sim = new SagaSim(qualityIssue, caseOf('QUALITY_ISSUE', { supplier: fee15, deliveredDaysAgo: 4 }));
      expect(qualityRestockingFeeMinor(sim.data)).toBe(0);
      sim.start();
      sim.answer('APPROVED');
      expect(sim.data.refunds.CUSTOMER_REFUND!.amountMinor).toBe(4493);
    });

    it('withheld from the refund when the item is not defective', () => {
      const sim = new SagaSim(qualityIssue, caseOf('QUALITY_ISSUE', { supplier: fee15, defect: false, deliveredDaysAgo: 4 }));
      expect(qualityRestockingFeeMinor(sim.data)).toBe(599); // 15% of 39.98, rounded down
      sim.start();
      sim.answer('APPROVED');
      expect(sim.data.refunds.CUSTOMER_REFUND!.amountMinor).toBe(4493 - 599);
    });
  });
});
