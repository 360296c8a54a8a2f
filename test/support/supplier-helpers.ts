import { randomUUID } from 'node:crypto';
import { SupplierReceiver } from '@app/testing';
import { auth, LinkedSupplier, registerOrder, Tenant } from './scenario';
import { System, waitFor } from './system';

/** Helpers for the supplier webhook and callback specs. */

export interface Delivery {
  id: string;
  request_id: string;
  status: string;
  attempts: number;
  next_attempt_at: Date | null;
  failed_at: Date | null;
  last_error: string | null;
}

export interface Attempt {
  at: Date;
  status_code: number | null;
  latency_ms: number;
  error: string | null;
  response_excerpt: string | null;
}

/** Links a supplier whose webhooks go to `receiver`; a long SLA keeps reminders out of the way. */
export async function linkTo(sys: System, t: Tenant, receiver: SupplierReceiver, name = 'Test Supplier'): Promise<LinkedSupplier & { webhookUrl: string }> {
  const res = await sys.http.post('/suppliers', {
    name, webhookUrl: receiver.url('/webhooks'), policy: { returnWindowDays: 30, evidenceRequiredFor: [], slaHours: 1440 },
  }, auth(t.apiKey));
  if (res.status !== 201) throw new Error(`link supplier: ${res.status} ${JSON.stringify(res.data)}`);
  receiver.secret = res.data.signingSecret;
  return res.data;
}

/** Reports a DAMAGED return for a fresh order of this supplier; resolves with the return id. */
export async function reportReturn(sys: System, t: Tenant, s: LinkedSupplier): Promise<string> {
  const order = await registerOrder(sys, t, [s], { deliveredDaysAgo: 1 });
  const res = await sys.http.post('/returns', { orderId: order.id, eventType: 'DAMAGED', reason: 'Arrived broken', evidenceUrls: ['https://photos.example.test/b.jpg'] }, auth(t.apiKey));
  if (res.status !== 202) throw new Error(`report return: ${res.status} ${JSON.stringify(res.data)}`);
  return res.data.returnId;
}

/** The (first) request webhook delivery of a return, once the suppliers service has created it. */
export function deliveryOf(sys: System, returnId: string): Promise<Delivery> {
  return waitFor<Delivery>(async () => (await sys.sql<Delivery>(
    `SELECT d.* FROM webhook_deliveries d JOIN supplier_requests r ON r.id = d.request_id WHERE r.return_id = $1 ORDER BY d.created_at LIMIT 1`, [returnId]))[0],
  { timeoutMs: 20_000, message: `webhook delivery of return ${returnId}` });
}

export async function delivery(sys: System, id: string): Promise<Delivery> {
  return (await sys.sql<Delivery>(`SELECT * FROM webhook_deliveries WHERE id = $1`, [id]))[0];
}

export const attemptsOf = (sys: System, deliveryId: string) =>
  sys.sql<Attempt>(`SELECT at, status_code, latency_ms, error, response_excerpt FROM webhook_attempts WHERE delivery_id = $1 ORDER BY id`, [deliveryId]);

/** Waits until the delivery has `n` attempts logged (and its row updated in the same transaction). */
export function waitForAttempts(sys: System, deliveryId: string, n: number, timeoutMs = 15_000): Promise<Attempt[]> {
  return waitFor(async () => {
    const a = await attemptsOf(sys, deliveryId);
    return a.length >= n ? a : undefined;
  }, { timeoutMs, message: `${n} attempts of ${deliveryId}` }) as Promise<Attempt[]>;
}

/** Moves the shared ManualClock forward to `at` (never back). */
export function advanceTo(sys: System, at: Date): void {
  const ms = at.getTime() - sys.clock.now().getTime();
  if (ms > 0) sys.clock.advance(ms);
}

/** Moves the clock to the delivery's next attempt, runs due tasks, and waits for that attempt to be logged. */
export async function nextAttempt(sys: System, deliveryId: string): Promise<Attempt[]> {
  const d = await delivery(sys, deliveryId);
  if (!d.next_attempt_at) throw new Error(`${deliveryId} has no next attempt (status ${d.status})`);
  const before = (await attemptsOf(sys, deliveryId)).length;
  advanceTo(sys, new Date(d.next_attempt_at.getTime() + 1));
  await sys.runDueTasks();
  return waitForAttempts(sys, deliveryId, before + 1);
}

/**
 * Runs `fn` with Date (only Date) showing `now`: the standardwebhooks and svix
 * verifiers check the timestamp against the real clock, and the system under
 * test runs on a ManualClock that tests move forward.
 */
export function atTime<T>(now: Date, fn: () => T): T {
  jest.useFakeTimers({
    now,
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback',
      'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  });
  try {
    return fn();
  } finally {
    jest.useRealTimers();
  }
}

/** A new Standard Webhooks message id for a supplier callback. */
export const callbackId = () => `cb_${randomUUID().replace(/-/g, '')}`;
