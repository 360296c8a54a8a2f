import { lost } from './lost';
import { caseOf, SagaSim, T0 } from './spec-harness';

const DAY = 86_400_000;

describe('LOST saga', () => {
  it('waits for the carrier, with the silence threshold as a persisted timer', () => {
    const sim = new SagaSim(lost, caseOf('LOST', { tenant: { lostAfterSilentDays: 7 } }));
    sim.start();
    expect(sim.state).toBe('AWAITING_CARRIER');
    expect(sim.mails).toEqual(['CLAIM_RECEIVED']);
    expect(sim.timers.get('TRACKING_SILENT')).toEqual(new Date(T0.getTime() + 7 * DAY));
    expect(sim.of('supplier.request')).toEqual([]);
    expect(sim.of('refund')).toEqual([]);
  });

  it('carrier says lost: refund at once (whatever the refund timing) and a credit request; recovered on approval', () => {
    const sim = new SagaSim(lost, caseOf('LOST', { resolution: 'REFUND', tenant: { refundTiming: 'ON_SUPPLIER_APPROVAL' } }));
    sim.start();
    sim.track('ORDER_LOST', { carrier: 'PostNL' });
    expect(sim.state).toBe('REFUNDING');
    expect(sim.mail('ORDER_LOST')).toMatchObject({ refund: 'yes', reship: '' });
    expect(sim.data.refunds.CUSTOMER_REFUND).toMatchObject({ amountMinor: 4493 });
    expect(sim.data.claims[0]).toMatchObject({ requestKind: 'CREDIT', status: 'REQUESTED' });
    expect(sim.timers.has('TRACKING_SILENT')).toBe(false);
    sim.refund('issued');
    expect(sim.state).toBe('AWAITING_RECOVERY');
    expect(sim.mails).toContain('REFUND_ISSUED');
    sim.answer('APPROVED', { amountMinor: 3998 });
    expect(sim.state).toBe('COMPLETED');
    expect(sim.of('ledger').map((l) => l.entry)).toEqual(['SUPPLIER_CREDIT_REQUESTED', 'REFUND', 'SUPPLIER_CREDIT_GRANTED']);
  });

  it('tracking silent past the threshold declares it lost: a replacement is reshipped', () => {
    const sim = new SagaSim(lost, caseOf('LOST', { resolution: 'REPLACEMENT' }));
    sim.start();
    sim.advance(4 * DAY);
    expect(sim.state).toBe('AWAITING_CARRIER');
    sim.advance(1 * DAY);
    expect(sim.state).toBe('AWAITING_REPLACEMENT');
    expect(sim.mail('ORDER_LOST')).toMatchObject({ reship: 'yes' });
    expect(sim.data.claims[0].requestKind).toBe('RESHIP');
    sim.answer('REPLACEMENT_SHIPPED', { trackingNumber: 'NEW-1' });
    expect(sim.state).toBe('COMPLETED');
    expect(sim.of('refund')).toEqual([]);
  });

  it('delivered after all before it was declared lost: closes as DELIVERED, nothing paid or asked', () => {
    const sim = new SagaSim(lost, caseOf('LOST'));
    sim.start();
    sim.track('ORDER_DELIVERED');
    expect(sim.state).toBe('DELIVERED');
    expect(lost.terminal).toContain('DELIVERED');
    expect(sim.timers.size).toBe(0);
    sim.advance(10 * DAY);
    expect(sim.state).toBe('DELIVERED');
    expect(sim.of('refund')).toEqual([]);
    expect(sim.of('supplier.request')).toEqual([]);
  });

  it('store credit is granted at once; a parcel turning up later only alerts ops', () => {
    const sim = new SagaSim(lost, caseOf('LOST', { resolution: 'STORE_CREDIT' }));
    sim.start();
    sim.track('ORDER_LOST');
    expect(sim.state).toBe('REFUNDING');
    sim.refund('issued', 'STORE_CREDIT');
    expect(sim.state).toBe('AWAITING_RECOVERY');
    expect(sim.data.storeCreditMinor).toBe(3998);
    const effects = sim.track('ORDER_DELIVERED');
    expect(sim.state).toBe('AWAITING_RECOVERY');
    expect(effects).toEqual([expect.objectContaining({ kind: 'alert', reason: expect.stringMatching(/delivered after it was declared lost/) })]);
  });

  it('a refund the store refuses escalates; an ops retry asks again with the same refund id', () => {
    const sim = new SagaSim(lost, caseOf('LOST'));
    sim.start();
    sim.track('ORDER_LOST');
    const id = sim.data.refunds.CUSTOMER_REFUND!.refundId;
    sim.refund('failed');
    expect(sim.state).toBe('ESCALATED');
    sim.ops('RETRY');
    expect(sim.state).toBe('REFUNDING');
    expect(sim.of('refund')).toHaveLength(2);
    expect(sim.data.refunds.CUSTOMER_REFUND!.refundId).toBe(id);
    sim.refund('issued');
    expect(sim.state).toBe('AWAITING_RECOVERY');
  });

  it('a supplier rejecting the credit escalates without troubling the customer, who was already refunded', () => {
    const sim = new SagaSim(lost, caseOf('LOST'));
    sim.start();
    sim.track('ORDER_LOST');
    sim.refund('issued');
    sim.answer('REJECTED', { reason: 'carrier insured, claim with them' });
    expect(sim.state).toBe('ESCALATED');
    expect(sim.data.escalation).toContain('carrier insured');
    expect(sim.mails).not.toContain('CLAIM_ESCALATED');
  });

  it('a silent supplier after the refund: reminder, then escalation', () => {
    const sim = new SagaSim(lost, caseOf('LOST'));
    sim.start();
    sim.track('ORDER_LOST');
    sim.refund('issued');
    sim.advance(48 * 3_600_000);
    expect(sim.of('supplier.remind')).toHaveLength(1);
    expect(sim.state).toBe('AWAITING_RECOVERY');
    sim.advance(24 * 3_600_000);
    expect(sim.state).toBe('ESCALATED');
    sim.answer('APPROVED');
    expect(sim.state).toBe('COMPLETED');
  });
});
