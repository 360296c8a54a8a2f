import { randomUUID } from 'crypto';
import { waitFor } from '@app/testing';
import { pct, reportFigures, sleep } from './support/figures';
import { ProcSystem, startProcSystem } from './support/proc-system';
import { AutoSupplier, createTenant, linkSupplier, registerOrders, reportReturn } from './support/world';

const RETURNS = 60;
const KILLS = 3;

/**
 * Fault 12: two instances each of notifications and refunds; one of each is
 * SIGKILLed mid-run (while e-mails and refunds are in flight) and started
 * again 2 s later, three times during 60 DAMAGED returns with IMMEDIATE
 * refunds, under the default task lease. An e-mail the SMTP server accepted
 * just before a kill may be sent again, but always as the same message (same
 * Message-ID); the e-mails the dead instance held are taken over by the live
 * one within seconds (one lease), not a minute; refunds stay exactly once.
 */
describe('fault: notifications and refunds killed while e-mails are in flight', () => {
  let sys: ProcSystem;
  beforeAll(async () => {
    // Default TASK_LEASE_MS: what production gets.
    sys = await startProcSystem({ instances: { notifications: 2, refunds: 2 } });
  }, 120_000);
  afterAll(async () => {
    await sys?.stop();
  });

  it(`${RETURNS} returns, ${KILLS} kills of notifications+refunds: no e-mail twice under two Message-IDs, e-mails held by a dead instance go out within seconds, one refund per order`, async () => {
    const tenant = await createTenant(sys, { refundTiming: 'IMMEDIATE' });
    const supplier = await linkSupplier(sys, tenant);
    const orders = await registerOrders(sys, tenant, supplier, RETURNS);
    const auto = new AutoSupplier(sys, () => supplier.callbackApiKey).start();
    const victims = () => [sys.instances('notifications')[0], sys.instances('refunds')[0]];

    const started = Date.now();
    const intake = Promise.all(orders.map(async (o, i) => {
      await sleep(i * 400); // ~24 s of intake: the kills land while e-mails are being sent
      return reportReturn(sys, tenant, { orderId: o.id, eventType: 'DAMAGED', resolution: 'REFUND', evidenceUrls: ['https://photos.example.test/k.jpg'] }, randomUUID());
    }));
    const kills: { at: number; heldEmails: string[]; upMs?: number }[] = [];
    for (let k = 0; k < KILLS; k++) {
      await sleep(k === 0 ? 1_500 : 3_000);
      // At a moment when e-mails are claimed (by either instance: the live one's go out at once anyway).
      let held: { id: string }[] = [];
      for (const until = Date.now() + 10_000; !held.length && Date.now() < until; await sleep(50))
        held = await sys.sql<{ id: string }>(`SELECT dedupe_key AS id FROM tasks WHERE queue = 'email' AND status = 'PENDING' AND lease_until > now()`);
      await Promise.all(victims().map((p) => p.kill('SIGKILL')));
      const kill: (typeof kills)[number] = { at: Date.now(), heldEmails: held.map((h) => h.id) };
      kills.push(kill);
      await sleep(2_000);
      for (const p of victims()) p.start();
      void victims()[0].waitReady().then(() => (kill.upMs = Date.now() - kill.at), () => undefined);
    }
    const returnIds = await intake;
    await Promise.all(victims().map((p) => p.waitReady()));

    const closed = async () => Number((await sys.sql<{ n: string }>(
      `SELECT count(*) AS n FROM sagas s JOIN returns r ON r.id = s.return_id WHERE r.tenant_id = $1 AND s.closed_at IS NOT NULL`, [tenant.tenantId]))[0].n);
    await waitFor(async () => (await closed()) === RETURNS, { timeoutMs: 180_000, intervalMs: 500, message: 'every case closed' });
    const unsent = async () => Number((await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM notifications WHERE tenant_id = $1 AND status <> 'SENT'`, [tenant.tenantId]))[0].n);
    await waitFor(async () => (await unsent()) === 0, { timeoutMs: 60_000, intervalMs: 500, message: 'every e-mail sent' });
    await auto.stop();

    // Every copy the customers' mail servers got, by notification (return + contact moment).
    const notifications = await sys.sql<{ id: string; return_id: string; template: string; created_at: Date }>(
      `SELECT id, return_id, template, created_at FROM notifications WHERE tenant_id = $1`, [tenant.tenantId]);
    const mails = sys.smtp.messages.filter((m) => returnIds.includes(m.headers['x-return-id']));
    const byNotification = new Map<string, typeof mails>();
    for (const m of mails) {
      const key = `${m.headers['x-return-id']}:${m.headers['x-template']}`;
      byNotification.set(key, [...(byNotification.get(key) ?? []), m]);
    }
    const distinctIds = (key: string) => new Set((byNotification.get(key) ?? []).map((m) => m.messageId)).size;
    // Same Message-ID counts as one: a duplicate is a second message for one notification.
    const duplicates = [...byNotification.keys()].filter((k) => distinctIds(k) > 1);
    const resentCopies = mails.length - byNotification.size;
    const firstCopy = (n: { return_id: string; template: string }) => byNotification.get(`${n.return_id}:${n.template}`)?.[0]?.receivedAt.getTime() ?? Infinity;
    const delays = notifications.map((n) => firstCopy(n) - new Date(n.created_at).getTime());
    // Taken over: how long after each kill the last e-mail claimed at that moment reached the customer.
    const byId = new Map(notifications.map((n) => [n.id, n]));
    const takeoverMs = kills.map((k) => Math.max(0, ...k.heldEmails.map((id) => firstCopy(byId.get(id)!) - k.at)));

    const perOrder = new Map<string, number>();
    for (const r of sys.shop.refunds) perOrder.set(r.orderId, (perOrder.get(r.orderId) ?? 0) + 1);
    // The slowest e-mails, against the kills: when each was created and sent, seconds after the nearest earlier kill.
    const sinceKill = (t: number) => { const k = kills.filter((x) => x.at <= t).pop(); return k ? Math.round((t - k.at) / 100) / 10 : null; };
    const slowest = notifications.map((n, i) => ({ n, d: delays[i] })).sort((a, b) => b.d - a.d).slice(0, 3)
      .map(({ n, d }) => ({ delayMs: d, template: n.template, createdSAfterKill: sinceKill(new Date(n.created_at).getTime()), sentSAfterKill: sinceKill(new Date(n.created_at).getTime() + d) }));
    reportFigures('12. SIGKILL notifications and refunds with e-mails in flight', {
      returns: RETURNS,
      kills: kills.length,
      emailsClaimedAtKills: kills.map((k) => k.heldEmails.length),
      claimedEmailsOutWithinMs: takeoverMs,
      notifications: notifications.length,
      smtpMessages: mails.length,
      resentSameMessageId: resentCopies,
      duplicatesUnderNewMessageId: duplicates.length,
      emailDelayP50Ms: pct(delays, 50),
      emailDelayMaxMs: Math.max(...delays),
      slowest,
      killedInstanceRestartToListeningMs: kills.map((k) => k.upMs ?? null),
      refundsAtStore: sys.shop.refunds.length,
      doubleRefunds: [...perOrder.values()].filter((n) => n > 1).length,
      runSeconds: Math.round((Date.now() - started) / 1000),
    });

    expect(notifications.length).toBeGreaterThanOrEqual(RETURNS * 2); // at least claim received + refund issued per case
    expect(byNotification.size).toBe(notifications.length); // every notification reached the customer
    for (const n of notifications) expect(byNotification.get(`${n.return_id}:${n.template}`)!.map((m) => m.messageId)).toContain(`<${n.id}@bench.test>`);
    expect(duplicates).toEqual([]);
    // A dead instance's e-mails are taken over by the live one after one lease (10 s by default, from its last renewal), not a minute.
    expect(kills.some((k) => k.heldEmails.length > 0)).toBe(true);
    expect(Math.max(...takeoverMs)).toBeLessThan(15_000);
    // Not asserted: the overall delay also holds the consumer-group rebalances after each kill (broker-bound).

    expect(sys.shop.refunds).toHaveLength(RETURNS);
    expect([...perOrder.values()].every((n) => n === 1)).toBe(true);
  }, 420_000);
});
