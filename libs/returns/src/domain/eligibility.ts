import type { EventType } from '@app/contracts';

export interface EligibilityInput {
  eventType: EventType;
  deliveredAt?: Date;
  promisedAt?: Date;
  claimWindowDays: number;
  now: Date;
}

export type Eligibility = { ok: true } | { ok: false; reason: string };

const DAY = 86_400_000;

/** Whether the tenant's promise to the customer covers this claim today. */
export function checkEligibility(i: EligibilityInput): Eligibility {
  switch (i.eventType) {
    case 'DAMAGED':
    case 'WRONG_ITEM':
    case 'QUALITY_ISSUE': {
      if (!i.deliveredAt) return { ok: false, reason: `${i.eventType} can only be claimed for a delivered order` };
      const days = (i.now.getTime() - i.deliveredAt.getTime()) / DAY;
      if (days > i.claimWindowDays)
        return { ok: false, reason: `claim window of ${i.claimWindowDays} days after delivery has passed (delivered ${Math.floor(days)} days ago)` };
      return { ok: true };
    }
    case 'LOST':
      if (i.deliveredAt) return { ok: false, reason: 'order was delivered; it cannot be lost' };
      return { ok: true };
    case 'LATE_DELIVERY':
      if (i.deliveredAt) return { ok: false, reason: 'order was already delivered' };
      if (!i.promisedAt) return { ok: false, reason: 'order has no promised delivery date' };
      if (i.promisedAt.getTime() > i.now.getTime()) return { ok: false, reason: 'promised delivery date has not passed yet' };
      return { ok: true };
  }
}

export function daysLate(promisedAt: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - promisedAt.getTime()) / DAY));
}
