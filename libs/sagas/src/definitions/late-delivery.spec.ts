import { cancelRefundMinor, lateDelivery, lateGoodwillMinor } from './late-delivery';
import { caseOf, SagaSim, T0 } from './spec-harness';

const DAY = 86_400_000;
const percent = (p: number) => ({ lateGoodwill: { kind: 'PERCENT' as const, percent: p }, lateCancelThresholdDays: 10 });
const code = { lateGoodwill: { kind: 'DISCOUNT_CODE' as const, discountCode: 'LATE15' }, lateCancelThresholdDays: 10 };

describe('LATE_DELIVERY saga', () => {
  it('new ETA e-mail at once, with a percentage goodwill refunded (purpose GOODWILL)', () => {
    const sim = new SagaSim(lateDelivery, caseOf('LATE_DELIVERY', { tenant: percent(10), promisedDaysAgo: 3, newEta: '2026-03-09T00:00:00Z' }));
    sim.start();
    expect(sim.state).toBe('AWAITING_DELIVERY');
    expect(sim.data.refunds.GOODWILL).toMatchObject({ amountMinor: 449, status: 'REQUESTED' }); // 10% of 44.93, half up
    expect(sim.of('refund')).toEqual([{ kind: 'refund', purpose: 'GOODWILL' }]);
    expect(sim.mail('NEW_ETA')).toMatchObject({ eta: '9 March 2026', goodwillAmount: '€4.49', discountCode: '' });
    sim.refund('issued', 'GOODWILL');
    expect(sim.state).toBe('AWAITING_DELIVERY');
    expect(sim.of('ledger')).toEqual([expect.objectContaining({ entry: 'GOODWILL', amountMinor: 449 })]);
  });

  it('goodwill as a discount code: in the e-mail, no money moves', () => {
    const sim = new SagaSim(lateDelivery, caseOf('LATE_DELIVERY', { tenant: code, promisedDaysAgo: 3 }));
    sim.start();
    expect(sim.mail('NEW_ETA')).toMatchObject({ discountCode: 'LATE15', goodwillAmount: '', eta: '' });
    expect(sim.of('refund')).toEqual([]);
  });

  it('goodwill never exceeds what is still refundable', () => {
    const c = caseOf('LATE_DELIVERY', { tenant: percent(100), promisedDaysAgo: 3 });
    expect(lateGoodwillMinor(new SagaSim(lateDelivery, { ...c, refundableMinor: 1000 }).data)).toBe(1000);
    expect(lateGoodwillMinor(new SagaSim(lateDelivery, c).data)).toBe(4493);
  });

  it('past the cancel threshold, the customer asks: CANCEL to the supplier, then a full refund less the goodwill', () => {
    const sim = new SagaSim(lateDelivery, caseOf('LATE_DELIVERY', { tenant: percent(10), promisedDaysAgo: 12 }));
    sim.start();
    sim.refund('issued', 'GOODWILL');
    sim.track('CUSTOMER_CANCEL_REQUESTED');
    expect(sim.state).toBe('CANCELLING');
    expect(sim.data.claims[0]).toMatchObject({ requestKind: 'CANCEL', status: 'REQUESTED' });
    expect(sim.of('ledger').map((l) => l.entry)).toContain('SUPPLIER_CREDIT_REQUESTED');
    sim.answer('APPROVED');
    expect(sim.state).toBe('REFUNDING');
    expect(sim.data.refunds.CANCEL_REFUND).toMatchObject({ amountMinor: 4493 - 449 });
    expect(cancelRefundMinor(sim.data) + sim.data.refunds.GOODWILL!.amountMinor).toBe(sim.reported.refundableMinor);
    sim.refund('issued', 'CANCEL_REFUND');
    expect(sim.state).toBe('COMPLETED');
    expect(sim.mail('REFUND_ISSUED').amount).toBe('€40.44');
  });

  it('a cancel asked for too early is remembered and acted on when the threshold passes', () => {
    const sim = new SagaSim(lateDelivery, caseOf('LATE_DELIVERY', { tenant: code, promisedDaysAgo: 3 }));
    sim.start();
    expect(sim.timers.get('LATE_CANCEL_THRESHOLD')).toEqual(new Date(T0.getTime() + 7 * DAY));
    sim.track('CUSTOMER_CANCEL_REQUESTED');
    expect(sim.state).toBe('AWAITING_DELIVERY');
    expect(sim.of('supplier.request')).toEqual([]);
    sim.advance(7 * DAY);
    expect(sim.state).toBe('CANCELLING');
    expect(sim.of('supplier.request')).toHaveLength(1);
  });

  it('the threshold passing without a request changes nothing', () => {
    const sim = new SagaSim(lateDelivery, caseOf('LATE_DELIVERY', { tenant: code, promisedDaysAgo: 3 }));
    sim.start();
    sim.advance(8 * DAY);
    expect(sim.state).toBe('AWAITING_DELIVERY');
    expect(sim.of('supplier.request')).toEqual([]);
  });

  it('delivered after all: the case closes', () => {
    const sim = new SagaSim(lateDelivery, caseOf('LATE_DELIVERY', { tenant: code, promisedDaysAgo: 3 }));
    sim.start();
    sim.track('ORDER_DELIVERED');
    expect(sim.state).toBe('DELIVERED');
    expect(sim.timers.size).toBe(0);
  });

  it('the supplier refusing to cancel escalates, and the customer hears we are reviewing', () => {
    const sim = new SagaSim(lateDelivery, caseOf('LATE_DELIVERY', { tenant: code, promisedDaysAgo: 12 }));
    sim.start();
    sim.track('CUSTOMER_CANCEL_REQUESTED');
    sim.answer('REJECTED', { reason: 'already shipped' });
    expect(sim.state).toBe('ESCALATED');
    expect(sim.mails).toContain('CLAIM_ESCALATED');
    expect(sim.of('refund')).toEqual([]);
  });

  it('a supplier silent on the cancel: one reminder, then ops', () => {
    const sim = new SagaSim(lateDelivery, caseOf('LATE_DELIVERY', { tenant: code, promisedDaysAgo: 12 }));
    sim.start();
    sim.track('CUSTOMER_CANCEL_REQUESTED');
    sim.advance(48 * 3_600_000);
    expect(sim.state).toBe('CANCELLING');
    expect(sim.of('supplier.remind')).toHaveLength(1);
    sim.advance(24 * 3_600_000);
    expect(sim.state).toBe('ESCALATED');
  });

  it('a goodwill refund settling during the cancel refund does not close the case early', () => {
    const sim = new SagaSim(lateDelivery, caseOf('LATE_DELIVERY', { tenant: percent(10), promisedDaysAgo: 12 }));
    sim.start();
    sim.track('CUSTOMER_CANCEL_REQUESTED');
    sim.answer('APPROVED');
    expect(sim.state).toBe('REFUNDING');
    sim.refund('issued', 'GOODWILL');
    expect(sim.state).toBe('REFUNDING');
    sim.refund('issued', 'CANCEL_REFUND');
    expect(sim.state).toBe('COMPLETED');
  });

  it('a failed cancel refund escalates; ops retry asks again with the same id', () => {
    const sim = new SagaSim(lateDelivery, caseOf('LATE_DELIVERY', { tenant: code, promisedDaysAgo: 12 }));
    sim.start();
    sim.track('CUSTOMER_CANCEL_REQUESTED');
    sim.answer('APPROVED');
    sim.refund('failed', 'CANCEL_REFUND');
    expect(sim.state).toBe('ESCALATED');
    sim.ops('RETRY');
    expect(sim.state).toBe('REFUNDING');
    expect(sim.of('refund')).toEqual([{ kind: 'refund', purpose: 'CANCEL_REFUND' }, { kind: 'refund', purpose: 'CANCEL_REFUND' }]);
  });
});
