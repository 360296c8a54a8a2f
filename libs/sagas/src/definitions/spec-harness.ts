/**
 * Test helper for the saga tables: drives a definition the way SagaRunner does
 * (interpret, then decide), keeping state, data, effects and live timers in
 * memory. Pure and fast; used by the definitions' unit specs only.
 */
import { EventType, Resolution, ReturnReported, SupplierDecision, SupplierPolicy, TenantPolicy, TrackingStatus } from '@app/contracts';
import { decideAll, SagaDefinition } from '../domain/engine';
import { interpret } from '../domain/interpret';
import type { Effect, SagaData } from '../domain/saga-data';
import { initialData } from '../domain/steps';

export const SAGA_ID = '6f1c2b7e-3d4a-5b6c-8d9e-0a1b2c3d4e5f';
export const SUPPLIER_IDS = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
const DAY = 86_400_000;
export const T0 = new Date('2026-03-02T09:00:00Z');

export interface CaseOptions {
  resolution?: Resolution;
  tenant?: Partial<TenantPolicy>;
  supplier?: Partial<SupplierPolicy>;
  suppliers?: number;
  deliveredDaysAgo?: number;
  promisedDaysAgo?: number;
  newEta?: string;
  defect?: boolean;
  evidenceUrls?: string[];
}

/** A case like the api would report: per supplier two lines of 19.99 EUR; shipping 4.95 with the whole order. */
export function caseOf(eventType: EventType, o: CaseOptions = {}): ReturnReported {
  const n = o.suppliers ?? 1;
  const claims = SUPPLIER_IDS.slice(0, n).map((supplierId, i) => ({
    supplierId, supplierName: `Supplier ${i}`, policyVersion: 1,
    policy: Object.assign(new SupplierPolicy(), { returnAddress: `Return dock ${i}, Shenzhen`, ...o.supplier }),
    lines: [{ lineId: `0000000${i}-0000-4000-8000-000000000000`, externalLineId: `gid://shopify/LineItem/${i}`, sku: `SKU-${i}`, title: i ? `Item ${i}` : 'Ceramic vase', quantity: 2, unitPriceMinor: 1999 }],
    claimMinor: 2 * 1999,
  }));
  const at = (days?: number) => (days === undefined ? undefined : new Date(T0.getTime() - days * DAY).toISOString());
  return {
    orderId: '99999999-9999-4999-8999-999999999999', externalOrderId: 'gid://shopify/Order/1001', eventType, resolution: o.resolution ?? 'REFUND',
    currency: 'EUR', shopCurrency: 'EUR', locale: 'en', customer: { email: 'sam@example.test', name: 'Sam' }, brand: { name: 'Acme', senderEmail: 'care@acme.test' },
    claims, shippingMinor: 495, refundableMinor: n * 2 * 1999 + 495, evidenceUrls: o.evidenceUrls ?? [],
    tenantPolicyVersion: 1, tenantPolicy: Object.assign(new TenantPolicy(), o.tenant ?? {}),
    deliveredAt: at(o.deliveredDaysAgo), promisedAt: at(o.promisedDaysAgo), newEta: o.newEta, defect: o.defect,
  };
}

export class SagaSim {
  state: string;
  data: SagaData;
  now = new Date(T0);
  /** Every effect so far, in order. */
  readonly effects: Effect[] = [];
  /** Timers currently armed: name → when. */
  readonly timers = new Map<string, Date>();
  /** The path: one entry per transition taken. */
  readonly path: string[] = [];

  constructor(readonly def: SagaDefinition, readonly reported: ReturnReported) {
    this.state = def.initial;
    this.data = initialData(SAGA_ID, reported);
  }

  /** Applies one message or timer; returns the effects of this step. */
  send(type: string, payload: unknown): Effect[] {
    const fact = interpret(this.data, type, payload, this.now);
    const effects = [...fact.effects];
    this.data = fact.data;
    for (const decision of decideAll(this.def, this.state, fact.data, fact.event, { sagaId: SAGA_ID, now: this.now })) {
      if (decision.kind !== 'transition') continue;
      effects.push(...decision.effects);
      this.state = decision.to;
      this.data = decision.data;
      this.path.push(decision.to);
    }
    for (const e of effects) {
      if (e.kind === 'timer.set') this.timers.set(e.timer, e.at);
      if (e.kind === 'timer.cancel') this.timers.delete(e.timer);
    }
    this.effects.push(...effects);
    return effects;
  }

  start(): Effect[] {
    return this.send('ReturnReported', this.reported);
  }

  answer(decision: SupplierDecision, extra: Record<string, unknown> = {}, claim = 0): Effect[] {
    const c = this.data.claims[claim];
    return this.send('SupplierAnswered', { sagaId: SAGA_ID, requestId: c.requestId, supplierId: c.supplierId, decision, via: 'CALLBACK', answeredAt: this.now.toISOString(), ...extra });
  }

  track(status: TrackingStatus, extra: Record<string, unknown> = {}): Effect[] {
    return this.send('ReturnTracked', { status, at: this.now.toISOString(), ...extra });
  }

  refund(outcome: 'issued' | 'failed', purpose: 'CUSTOMER_REFUND' | 'GOODWILL' | 'CANCEL_REFUND' | 'STORE_CREDIT' = 'CUSTOMER_REFUND'): Effect[] {
    const r = this.data.refunds[purpose];
    if (!r) throw new Error(`no ${purpose} refund was asked for`);
    return outcome === 'issued'
      ? this.send('RefundIssued', { sagaId: SAGA_ID, refundId: r.refundId, purpose, amountMinor: r.amountMinor, currency: 'EUR', providerRefundId: 'gid://shopify/Refund/1' })
      : this.send('RefundFailed', { sagaId: SAGA_ID, refundId: r.refundId, purpose, reason: 'store said no', permanent: true });
  }

  ops(action: 'RETRY' | 'CANCEL' | 'RESOLVE'): Effect[] {
    return this.send('OpsActionRequested', { sagaId: SAGA_ID, action, actor: 'ops@acme.test', reason: 'test' });
  }

  /** Moves the clock and fires every timer now due, earliest first (as the task worker would). */
  advance(ms: number): Effect[] {
    this.now = new Date(this.now.getTime() + ms);
    const fired: Effect[] = [];
    for (;;) {
      const due = [...this.timers].filter(([, at]) => at <= this.now).sort((a, b) => a[1].getTime() - b[1].getTime())[0];
      if (!due) return fired;
      this.timers.delete(due[0]);
      fired.push(...this.send('TimerFired', { timer: due[0] }));
    }
  }

  /** Templates of the customer e-mails asked for so far. */
  get mails(): string[] {
    return this.effects.flatMap((e) => (e.kind === 'notify' ? [e.template] : []));
  }

  mail(template: string): Record<string, string> {
    const e = this.effects.find((x) => x.kind === 'notify' && x.template === template);
    if (!e || e.kind !== 'notify') throw new Error(`no ${template} e-mail; sent: ${this.mails.join(', ')}`);
    return e.vars;
  }

  of<K extends Effect['kind']>(kind: K): Extract<Effect, { kind: K }>[] {
    return this.effects.filter((e): e is Extract<Effect, { kind: K }> => e.kind === kind);
  }
}
