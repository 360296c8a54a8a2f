import { caseOf, SagaSim, SUPPLIER_IDS, T0 } from './spec-harness';
import { wrongItem } from './wrong-item';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('WRONG_ITEM saga', () => {
  it('replacement: apology with the goodwill code and keep-item, a RESHIP request at the supplier\'s cost, completed when shipped', () => {
    const sim = new SagaSim(wrongItem, caseOf('WRONG_ITEM', { resolution: 'REPLACEMENT', tenant: { wrongItemDiscountCode: 'SORRY10' }, deliveredDaysAgo: 2 }));
    sim.start();
    expect(sim.state).toBe('AWAITING_REPLACEMENT');
    expect(sim.mail('WRONG_ITEM_APOLOGY')).toMatchObject({ reship: 'yes', refund: '', keepItem: 'yes', discountCode: 'SORRY10', items: '2 × Ceramic vase' });
    expect(sim.data.claims[0]).toMatchObject({ requestKind: 'RESHIP', status: 'REQUESTED' });
    expect(sim.of('supplier.request')).toHaveLength(1);
    expect(sim.of('ledger')).toEqual([]); // a reship asks for no credit
    expect(sim.timers.get(`SUPPLIER_SLA:${SUPPLIER_IDS[0]}`)).toEqual(new Date(T0.getTime() + 48 * HOUR));

    sim.answer('REPLACEMENT_SHIPPED', { trackingNumber: 'TRK-9' });
    expect(sim.state).toBe('COMPLETED');
    expect(sim.mail('REPLACEMENT_SHIPPED').trackingNumber).toBe('TRK-9');
    expect(sim.of('refund')).toEqual([]);
    expect(sim.mails).not.toContain('RETURN_INSTRUCTIONS');
    expect(sim.timers.has('FEEDBACK')).toBe(true);
  });

  it('an approved reship completes without booking supplier credit', () => {
    const sim = new SagaSim(wrongItem, caseOf('WRONG_ITEM', { resolution: 'REPLACEMENT', deliveredDaysAgo: 2 }));
    sim.start();
    sim.answer('APPROVED');
    expect(sim.state).toBe('COMPLETED');
    expect(sim.mails).toContain('REPLACEMENT_SHIPPED');
    expect(sim.of('ledger')).toEqual([]);
    expect(sim.data.claims[0].grantedMinor).toBe(0);
  });

  it('when the supplier wants the wrong item back, the customer is told to keep it ready and gets the label from the answer', () => {
    const sim = new SagaSim(wrongItem, caseOf('WRONG_ITEM', { resolution: 'REPLACEMENT', supplier: { returnRequiredFor: ['WRONG_ITEM'] }, deliveredDaysAgo: 2 }));
    sim.start();
    expect(sim.mail('WRONG_ITEM_APOLOGY')).toMatchObject({ keepItem: '', discountCode: '' });
    sim.answer('REPLACEMENT_SHIPPED', { trackingNumber: 'TRK-1', returnLabelUrl: 'https://labels.example.test/l1.pdf', rmaNumber: 'RMA-7' });
    expect(sim.state).toBe('COMPLETED');
    expect(sim.mail('RETURN_INSTRUCTIONS')).toMatchObject({ returnLabelUrl: 'https://labels.example.test/l1.pdf', rmaNumber: 'RMA-7', returnAddress: 'Return dock 0, Shenzhen', returnBy: '' });
  });

  it('refund: a credit request, the refund on approval (lines + shipping), then completed', () => {
    const sim = new SagaSim(wrongItem, caseOf('WRONG_ITEM', { resolution: 'REFUND', deliveredDaysAgo: 2 }));
    sim.start();
    expect(sim.state).toBe('AWAITING_SUPPLIER');
    expect(sim.mail('WRONG_ITEM_APOLOGY')).toMatchObject({ refund: 'yes', reship: '' });
    expect(sim.data.claims[0].requestKind).toBe('CREDIT');
    expect(sim.of('ledger')).toEqual([expect.objectContaining({ entry: 'SUPPLIER_CREDIT_REQUESTED', amountMinor: 3998 })]);
    sim.answer('PARTIALLY_APPROVED', { amountMinor: 2000 });
    expect(sim.state).toBe('REFUNDING');
    expect(sim.data.refunds.CUSTOMER_REFUND).toMatchObject({ amountMinor: 4493, status: 'REQUESTED' });
    sim.refund('issued');
    expect(sim.state).toBe('COMPLETED');
    expect(sim.of('ledger').map((l) => [l.entry, l.amountMinor])).toEqual([['SUPPLIER_CREDIT_REQUESTED', 3998], ['SUPPLIER_CREDIT_GRANTED', 2000], ['REFUND', 4493]]);
  });

  it('refund IMMEDIATE: paid first, recovered after', () => {
    const sim = new SagaSim(wrongItem, caseOf('WRONG_ITEM', { resolution: 'REFUND', tenant: { refundTiming: 'IMMEDIATE' }, deliveredDaysAgo: 2 }));
    sim.start();
    expect(sim.state).toBe('REFUNDING');
    sim.refund('issued');
    expect(sim.state).toBe('AWAITING_RECOVERY');
    sim.answer('APPROVED');
    expect(sim.state).toBe('COMPLETED');
    expect(sim.of('refund')).toHaveLength(1);
  });

  it('a rejected reship escalates with the reason and tells the customer we are reviewing', () => {
    const sim = new SagaSim(wrongItem, caseOf('WRONG_ITEM', { resolution: 'REPLACEMENT', deliveredDaysAgo: 2 }));
    sim.start();
    sim.answer('REJECTED', { reason: 'we shipped the right size' });
    expect(sim.state).toBe('ESCALATED');
    expect(sim.data.escalation).toContain('we shipped the right size');
    expect(sim.mails).toContain('CLAIM_ESCALATED');
  });

  it('a silent supplier gets one reminder at the SLA, then the case escalates', () => {
    const sim = new SagaSim(wrongItem, caseOf('WRONG_ITEM', { resolution: 'REPLACEMENT', deliveredDaysAgo: 2 }));
    sim.start();
    sim.advance(48 * HOUR);
    expect(sim.state).toBe('AWAITING_REPLACEMENT');
    expect(sim.of('supplier.remind')).toHaveLength(1);
    sim.advance(24 * HOUR);
    expect(sim.state).toBe('ESCALATED');
    expect(sim.data.escalation).toMatch(/did not answer within its SLA/);
    sim.answer('REPLACEMENT_SHIPPED', { trackingNumber: 'LATE-1' });
    expect(sim.state).toBe('COMPLETED');
  });

  it('evidence asked for: the supplier claim window becomes a deadline; evidence in time resends the request', () => {
    const sim = new SagaSim(wrongItem, caseOf('WRONG_ITEM', { resolution: 'REPLACEMENT', supplier: { claimWindowDays: 15 }, deliveredDaysAgo: 3 }));
    sim.start();
    const first = sim.data.claims[0].requestId;
    sim.answer('NEEDS_EVIDENCE', { reason: 'photo of the label please' });
    expect(sim.state).toBe('AWAITING_EVIDENCE');
    // Delivered 3 days ago, window of 15 days, a day's margin: 11 days from now.
    expect(sim.timers.get('SUPPLIER_CLAIM_WINDOW')).toEqual(new Date(T0.getTime() + 11 * DAY));
    sim.track('EVIDENCE_ADDED', { evidenceUrls: ['https://photos.example.test/label.jpg'] });
    expect(sim.state).toBe('AWAITING_REPLACEMENT');
    expect(sim.data.claims[0].requestId).not.toBe(first);
    expect(sim.data.claims[0]).toMatchObject({ requestKind: 'RESHIP', status: 'REQUESTED' });
    expect(sim.timers.has('SUPPLIER_CLAIM_WINDOW')).toBe(false);
    expect(sim.of('supplier.request')).toHaveLength(2);
  });

  it('evidence still missing when the claim window is about to close: escalated, and late evidence files the claim', () => {
    const sim = new SagaSim(wrongItem, caseOf('WRONG_ITEM', { resolution: 'REFUND', supplier: { claimWindowDays: 15 }, deliveredDaysAgo: 3 }));
    sim.start();
    sim.answer('NEEDS_EVIDENCE', { reason: 'photos' });
    sim.advance(11 * DAY);
    expect(sim.state).toBe('ESCALATED');
    expect(sim.data.escalation).toMatch(/claim window/);
    sim.track('EVIDENCE_ADDED', { evidenceUrls: ['https://photos.example.test/1.jpg'] });
    expect(sim.state).toBe('AWAITING_SUPPLIER');
    expect(sim.data.evidenceUrls).toContain('https://photos.example.test/1.jpg');
  });

  it('two suppliers: the case waits for both answers', () => {
    const sim = new SagaSim(wrongItem, caseOf('WRONG_ITEM', { resolution: 'REPLACEMENT', suppliers: 2, deliveredDaysAgo: 1 }));
    sim.start();
    expect(sim.of('supplier.request').map((e) => e.supplierId)).toEqual(SUPPLIER_IDS);
    sim.answer('REPLACEMENT_SHIPPED', { trackingNumber: 'A' }, 0);
    expect(sim.state).toBe('AWAITING_REPLACEMENT');
    sim.answer('REPLACEMENT_SHIPPED', { trackingNumber: 'B' }, 1);
    expect(sim.state).toBe('COMPLETED');
    expect(sim.mail('REPLACEMENT_SHIPPED').trackingNumber).toBe('A, B');
  });
});
