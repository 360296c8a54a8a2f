/**
 * Property: no saga waits for something that will never come. Cases are
 * generated at the edges of the money rules (prices of zero, a 100% restocking
 * fee, nothing left to refund, goodwill of 100%), and the world around the saga
 * (suppliers, the store, carriers, the clock, ops) answers at random, but only
 * what was asked of it. After every step, a state that waits on an effect must
 * have that effect outstanding.
 */
import fc from 'fast-check';
import { EventTypes, type EventType, type ReturnReported, type SupplierDecision, type TrackingStatus } from '@app/contracts';
import type { SagaData } from '../domain/saga-data';
import { sagaDefinitions } from './index';
import { caseOf, SagaSim } from './spec-harness';

const DAY = 86_400_000;

/** What each waiting state waits for, as a check on the saga data: something asked of the world and not yet answered. */
const WAITS: Record<string, { what: string; outstanding: (d: SagaData) => boolean }> = {
  REFUNDING: { what: 'a refund or store credit in flight', outstanding: (d) => Object.values(d.refunds).some((r) => r?.status === 'REQUESTED') },
  ...Object.fromEntries(
    ['AWAITING_SUPPLIER', 'AWAITING_RECOVERY', 'AWAITING_REPLACEMENT', 'CANCELLING'].map((s) => [
      s,
      { what: 'a supplier request awaiting its answer', outstanding: (d: SagaData) => d.claims.some((c) => c.status === 'REQUESTED' || c.status === 'DELIVERED') },
    ]),
  ),
  AWAITING_EVIDENCE: { what: 'a supplier asking for evidence', outstanding: (d) => d.claims.some((c) => c.status === 'NEEDS_EVIDENCE') },
};

const edgeCase = fc.record({
  resolution: fc.constantFrom('REFUND', 'STORE_CREDIT', 'REPLACEMENT' as const),
  refundTiming: fc.constantFrom('IMMEDIATE', 'ON_SUPPLIER_APPROVAL', 'ON_RETURN_RECEIVED' as const),
  restockingFeePercent: fc.constantFrom(0, 15, 100),
  defect: fc.boolean(),
  returnRequired: fc.boolean(),
  evidenceRequired: fc.boolean(),
  suppliers: fc.constantFrom(1, 2),
  unitPriceMinor: fc.constantFrom(0, 1, 1999, 2000),
  shippingMinor: fc.constantFrom(0, 495),
  /** What is still refundable on the order: nothing, a little, everything. */
  refundable: fc.constantFrom('NONE', 'SOME', 'ALL' as const),
  goodwillPercent: fc.constantFrom(0, 10, 100),
  autoApproveBelowMinor: fc.constantFrom(0, 1_000_000),
});
type Edge = typeof edgeCase extends fc.Arbitrary<infer T> ? T : never;

function reported(type: EventType, e: Edge): ReturnReported {
  const c = caseOf(type, {
    resolution: e.resolution, suppliers: e.suppliers, defect: e.defect, deliveredDaysAgo: 2, promisedDaysAgo: 20, newEta: '2026-03-20T00:00:00Z',
    tenant: {
      refundTiming: e.refundTiming, autoApproveBelowMinor: e.autoApproveBelowMinor,
      lateGoodwill: { kind: 'PERCENT', percent: e.goodwillPercent }, lateCancelThresholdDays: 10,
    },
    supplier: {
      restockingFeePercent: e.restockingFeePercent, returnRequiredFor: e.returnRequired ? [type] : [], evidenceRequiredFor: e.evidenceRequired ? [type] : [],
      claimWindowDays: 30,
    },
  });
  const claims = c.claims.map((k) => ({ ...k, lines: k.lines.map((l) => ({ ...l, unitPriceMinor: e.unitPriceMinor })), claimMinor: e.unitPriceMinor * 2 }));
  const total = claims.reduce((s, k) => s + k.claimMinor, 0) + e.shippingMinor;
  return { ...c, claims, shippingMinor: e.shippingMinor, refundableMinor: e.refundable === 'NONE' ? 0 : e.refundable === 'SOME' ? Math.floor(total / 3) : total };
}

/** One move of the world: it answers only what was asked of it. */
const move = fc.oneof(
  fc.record({ kind: fc.constant('answer' as const), claim: fc.nat(1), decision: fc.constantFrom<SupplierDecision>('APPROVED', 'PARTIALLY_APPROVED', 'REJECTED', 'NEEDS_EVIDENCE', 'REPLACEMENT_SHIPPED'), zero: fc.boolean() }),
  fc.record({ kind: fc.constant('refund' as const), issued: fc.boolean() }),
  fc.record({ kind: fc.constant('track' as const), status: fc.constantFrom<TrackingStatus>('RETURN_IN_TRANSIT', 'RETURN_RECEIVED', 'ORDER_DELIVERED', 'ORDER_LOST', 'CUSTOMER_CANCEL_REQUESTED', 'EVIDENCE_ADDED') }),
  fc.record({ kind: fc.constant('wait' as const), days: fc.constantFrom(1, 3, 10, 31) }),
  fc.record({ kind: fc.constant('retry' as const) }),
  fc.record({ kind: fc.constant('undelivered' as const), claim: fc.nat(1) }),
);
type Move = typeof move extends fc.Arbitrary<infer T> ? T : never;

function play(sim: SagaSim, m: Move): void {
  const asked = (i: number) => sim.data.claims[i] && ['REQUESTED', 'DELIVERED'].includes(sim.data.claims[i].status);
  switch (m.kind) {
    case 'answer':
      if (asked(m.claim)) sim.answer(m.decision, m.zero && m.decision === 'PARTIALLY_APPROVED' ? { amountMinor: 0 } : { evidenceUrls: [] }, m.claim);
      return;
    case 'refund': {
      const purpose = (['CUSTOMER_REFUND', 'STORE_CREDIT', 'CANCEL_REFUND', 'GOODWILL'] as const).find((p) => sim.data.refunds[p]?.status === 'REQUESTED');
      if (purpose) sim.refund(m.issued ? 'issued' : 'failed', purpose);
      return;
    }
    case 'track':
      sim.track(m.status, m.status === 'EVIDENCE_ADDED' ? { evidenceUrls: ['https://evidence.example.test/1.jpg'] } : {});
      return;
    case 'wait':
      sim.advance(m.days * DAY);
      return;
    case 'retry':
      sim.ops('RETRY');
      return;
    case 'undelivered': {
      const c = sim.data.claims[m.claim];
      if (asked(m.claim)) sim.send('SupplierRequestFailed', { requestId: c.requestId, reason: 'HTTP 410' });
      return;
    }
  }
}

function deadWait(sim: SagaSim): string | undefined {
  const w = WAITS[sim.state];
  if (!w || sim.def.terminal.includes(sim.state) || w.outstanding(sim.data)) return undefined;
  return `${sim.def.eventType} waits in ${sim.state} for ${w.what}, but none is outstanding (path ${['RECEIVED', ...sim.path].join(' → ')})`;
}

describe('no dead waits', () => {
  it.each(EventTypes.map((t) => [t]))('%s: every waiting state has its effect outstanding, whatever the amounts', (type) => {
    const def = sagaDefinitions[type]!;
    fc.assert(
      fc.property(edgeCase, fc.array(move, { maxLength: 14 }), (edge, moves) => {
        const sim = new SagaSim(def, reported(type, edge));
        sim.start();
        expect(deadWait(sim)).toBeUndefined();
        for (const m of moves) {
          play(sim, m);
          expect(deadWait(sim)).toBeUndefined();
        }
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 400) },
    );
  });

  it('issue 16: a 100% restocking fee on an IMMEDIATE refund (4000) is a refund of nothing, done at once, and the case completes', () => {
    const sim = new SagaSim(sagaDefinitions.QUALITY_ISSUE!, reported('QUALITY_ISSUE', {
      resolution: 'REFUND', refundTiming: 'IMMEDIATE', restockingFeePercent: 100, defect: false, returnRequired: false, evidenceRequired: false,
      suppliers: 1, unitPriceMinor: 2000, shippingMinor: 0, refundable: 'ALL', goodwillPercent: 0, autoApproveBelowMinor: 0,
    }));
    sim.start();
    expect(deadWait(sim)).toBeUndefined();
    expect(sim.state).toBe('AWAITING_RECOVERY');
    sim.answer('APPROVED');
    expect(sim.state).toBe('COMPLETED');
  });
});
