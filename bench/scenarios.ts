import type { EventType, TrackingStatus } from '@app/contracts';
import { sagaDefinitions } from '../libs/sagas/src/definitions';
import type { Order } from '../test/faults/support/world';

/**
 * The brief's field mix of return reasons (one returns platform's Shopify
 * data), mapped onto our five events. Size problems are a wrong item (wrong
 * size shipped or ordered off the supplier's size chart); changed mind, style,
 * not-as-described and defects are quality claims; "other" is split between
 * transit damage, lost parcels and late deliveries.
 */
export const REASON_MIX: { reason: string; share: number; eventType: EventType }[] = [
  { reason: 'Size too small', share: 30, eventType: 'WRONG_ITEM' },
  { reason: 'Size too large', share: 22, eventType: 'WRONG_ITEM' },
  { reason: 'Changed mind', share: 12, eventType: 'QUALITY_ISSUE' },
  { reason: 'Style', share: 8, eventType: 'QUALITY_ISSUE' },
  { reason: 'Not as described', share: 5, eventType: 'QUALITY_ISSUE' },
  { reason: 'Defective', share: 5, eventType: 'QUALITY_ISSUE' },
  { reason: 'Other: arrived broken', share: 8, eventType: 'DAMAGED' },
  { reason: 'Other: parcel lost', share: 5, eventType: 'LOST' },
  { reason: 'Other: late delivery', share: 5, eventType: 'LATE_DELIVERY' },
];

/** What the outside world does for one event type: the intake body and the scans that follow when the case waits for them. */
export interface Script {
  body: (order: Order, reason: string) => Record<string, unknown>;
  /** When the saga sits in `state`, the carrier/warehouse/customer sends `status` (as soon as the driver sees it). */
  followUps: { state: string; status: TrackingStatus }[];
  orderOpts?: { deliveredDaysAgo?: number | null; promisedDaysAgo?: number };
}

export const SCRIPTS: Record<EventType, Script> = {
  DAMAGED: {
    body: (o, reason) => ({ orderId: o.id, eventType: 'DAMAGED', reason, resolution: 'REFUND', evidenceUrls: ['https://photos.example.test/broken.jpg'] }),
    followUps: [],
  },
  WRONG_ITEM: {
    body: (o, reason) => ({ orderId: o.id, eventType: 'WRONG_ITEM', reason, resolution: 'REFUND' }),
    followUps: [],
  },
  QUALITY_ISSUE: {
    body: (o, reason) => ({ orderId: o.id, eventType: 'QUALITY_ISSUE', reason, resolution: 'REFUND' }),
    // The supplier wants the item back: the warehouse scans it in.
    followUps: [{ state: 'AWAITING_RETURN', status: 'RETURN_RECEIVED' }],
  },
  LOST: {
    body: (o, reason) => ({ orderId: o.id, eventType: 'LOST', reason, resolution: 'REFUND' }),
    followUps: [{ state: 'AWAITING_CARRIER', status: 'ORDER_LOST' }],
    orderOpts: { deliveredDaysAgo: null, promisedDaysAgo: 3 },
  },
  LATE_DELIVERY: {
    body: (o, reason) => ({ orderId: o.id, eventType: 'LATE_DELIVERY', reason, newEta: new Date(Date.now() + 3 * 86_400_000).toISOString() }),
    followUps: [{ state: 'AWAITING_DELIVERY', status: 'ORDER_DELIVERED' }],
    orderOpts: { deliveredDaysAgo: null, promisedDaysAgo: 4 },
  },
};

/** Event types with a saga definition in this build; the others fall back to DAMAGED. */
export function registeredTypes(): EventType[] {
  return Object.keys(sagaDefinitions) as EventType[];
}

/**
 * The mix to drive: BENCH_MIX ("DAMAGED=8,WRONG_ITEM=52,...") or the brief's,
 * with every unregistered event type's share moved to DAMAGED (its reasons kept).
 */
export function resolveMix(spec = process.env.BENCH_MIX): { reason: string; share: number; eventType: EventType; requested: EventType }[] {
  const registered = new Set(registeredTypes());
  const base = spec
    ? spec.split(',').map((part) => {
        const [type, share] = part.split('=');
        return { reason: `Bench ${type.trim()}`, share: Number(share), eventType: type.trim() as EventType };
      })
    : REASON_MIX;
  return base
    .filter((m) => m.share > 0)
    .map((m) => ({ ...m, requested: m.eventType, eventType: registered.has(m.eventType) ? m.eventType : ('DAMAGED' as EventType) }));
}

/** A deterministic sequence following the mix's shares (a low-discrepancy walk, so short runs match the mix too). */
export function mixSequence(mix: ReturnType<typeof resolveMix>, n: number) {
  const total = mix.reduce((s, m) => s + m.share, 0);
  const credit = mix.map(() => 0);
  const out: (typeof mix)[number][] = [];
  for (let i = 0; i < n; i++) {
    mix.forEach((m, k) => (credit[k] += m.share / total));
    let best = 0;
    credit.forEach((c, k) => (best = c > credit[best] ? k : best));
    credit[best] -= 1;
    out.push(mix[best]);
  }
  return out;
}
