import { damaged } from './damaged';
import { caseOf, SagaSim, T0 } from './spec-harness';

const DAY = 86_400_000;

describe('DAMAGED saga: the supplier claim window', () => {
  const evidenceAsked = () => {
    const sim = new SagaSim(damaged, caseOf('DAMAGED', { supplier: { claimWindowDays: 15 }, deliveredDaysAgo: 10 }));
    sim.start();
    sim.answer('NEEDS_EVIDENCE', { reason: 'a photo of the box' });
    return sim;
  };

  it('waiting for evidence arms a deadline a day before the window closes', () => {
    const sim = evidenceAsked();
    expect(sim.state).toBe('AWAITING_EVIDENCE');
    expect(sim.timers.get('SUPPLIER_CLAIM_WINDOW')).toEqual(new Date(T0.getTime() + 4 * DAY));
  });

  it('evidence in time: the request is resent and the deadline dropped', () => {
    const sim = evidenceAsked();
    sim.track('EVIDENCE_ADDED', { evidenceUrls: ['https://photos.example.test/box.jpg'] });
    expect(sim.state).toBe('AWAITING_SUPPLIER');
    expect(sim.timers.has('SUPPLIER_CLAIM_WINDOW')).toBe(false);
    expect(sim.of('supplier.request')).toHaveLength(2);
  });

  it('no evidence before the window closes: ops are told in time, and late evidence still files the claim', () => {
    const sim = evidenceAsked();
    sim.advance(4 * DAY);
    expect(sim.state).toBe('ESCALATED');
    expect(sim.data.escalation).toMatch(/claim window/);
    sim.track('EVIDENCE_ADDED', { evidenceUrls: ['https://photos.example.test/box.jpg'] });
    expect(sim.state).toBe('AWAITING_SUPPLIER');
  });

  it('a window already past when evidence is asked fires at once', () => {
    const sim = new SagaSim(damaged, caseOf('DAMAGED', { supplier: { claimWindowDays: 15 }, deliveredDaysAgo: 20 }));
    sim.start();
    sim.answer('NEEDS_EVIDENCE', { reason: 'photos' });
    expect(sim.timers.get('SUPPLIER_CLAIM_WINDOW')).toEqual(T0);
    sim.advance(0);
    expect(sim.state).toBe('ESCALATED');
  });
});

describe('DAMAGED with a replacement or store credit', () => {
  it('asks the supplier to reship (not credit) and completes when the replacement ships, without a refund', () => {
    const sim = new SagaSim(damaged, caseOf('DAMAGED', { resolution: 'REPLACEMENT', deliveredDaysAgo: 2 }));
    sim.start();
    expect(sim.state).toBe('AWAITING_SUPPLIER');
    expect(sim.data.claims[0].requestKind).toBe('RESHIP');
    sim.answer('REPLACEMENT_SHIPPED', { trackingNumber: 'TRK-9' });
    expect(sim.state).toBe('COMPLETED');
    expect(sim.of('refund')).toHaveLength(0);
    expect(sim.mail('REPLACEMENT_SHIPPED')).toBeDefined();
  });

  it('an APPROVED answer to a reship request also completes the replacement', () => {
    const sim = new SagaSim(damaged, caseOf('DAMAGED', { resolution: 'REPLACEMENT', deliveredDaysAgo: 2 }));
    sim.start();
    sim.answer('APPROVED');
    expect(sim.state).toBe('COMPLETED');
    expect(sim.of('refund')).toHaveLength(0);
  });

  it('store credit approved after an escalation completes with the credit booked', () => {
    const sim = new SagaSim(damaged, caseOf('DAMAGED', { resolution: 'STORE_CREDIT', deliveredDaysAgo: 2 }));
    sim.start();
    sim.advance(48 * 3_600_000);
    sim.advance(24 * 3_600_000);
    expect(sim.state).toBe('ESCALATED');
    sim.answer('APPROVED');
    expect(sim.state).toBe('REFUNDING');
    sim.refund('issued', 'STORE_CREDIT');
    expect(sim.state).toBe('COMPLETED');
    expect(sim.data.storeCreditMinor).toBeGreaterThan(0);
  });

  it('IMMEDIATE store credit goes out at once, not after the supplier answers', () => {
    const sim = new SagaSim(damaged, caseOf('DAMAGED', { resolution: 'STORE_CREDIT', tenant: { refundTiming: 'IMMEDIATE' } }));
    sim.start();
    expect(sim.state).toBe('REFUNDING');
    expect(sim.of('refund')).toEqual([{ kind: 'refund', purpose: 'STORE_CREDIT' }]);
    expect(sim.data.refunds.STORE_CREDIT!.amountMinor).toBe(3998);
    sim.refund('issued', 'STORE_CREDIT');
    expect(sim.state).toBe('AWAITING_RECOVERY');
    expect(sim.mails).toEqual(['CLAIM_RECEIVED', 'STORE_CREDIT_ISSUED']);
    sim.answer('APPROVED');
    expect(sim.state).toBe('COMPLETED');
  });
});

describe('DAMAGED cancelled by ops', () => {
  it('stops every timer and withdraws the open supplier request; a paid refund is never undone', () => {
    const sim = new SagaSim(damaged, caseOf('DAMAGED', { deliveredDaysAgo: 2 }));
    sim.start();
    const effects = sim.ops('CANCEL');
    expect(sim.state).toBe('CANCELLED');
    expect(effects.filter((e) => e.kind === 'supplier.withdraw')).toHaveLength(1);
    expect(sim.data.claims[0].status).toBe('WITHDRAWN');
    expect(effects.some((e) => e.kind === 'refund')).toBe(false);
    expect(sim.timers.size).toBe(0);
  });

  it('withdraws nothing when the supplier already answered', () => {
    const sim = new SagaSim(damaged, caseOf('DAMAGED', { deliveredDaysAgo: 2 }));
    sim.start();
    sim.answer('REJECTED', { reason: 'no' });
    expect(sim.state).toBe('ESCALATED');
    expect(sim.ops('CANCEL').filter((e) => e.kind === 'supplier.withdraw')).toHaveLength(0);
  });
});
