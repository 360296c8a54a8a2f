import { randomUUID } from 'crypto';
import { waitFor } from '@app/testing';
import { pct, reportFigures, sleep } from './support/figures';
import { ServiceName } from './support/processes';
import { ProcSystem, startProcSystem } from './support/proc-system';
import { AutoSupplier, createTenant, linkSupplier, registerOrders, reportReturn } from './support/world';

const RETURNS = 200;
const MIN_KILLS = 20;
const ORDER: ServiceName[] = ['orchestrator', 'suppliers', 'refunds', 'notifications', 'api'];

/**
 * Fault 1: every service is a real OS process; each in turn is SIGKILLed at a
 * random moment and started again, 20+ times while 200 returns go through.
 * Nothing may be lost or paid twice, and every case must end in a terminal state.
 */
describe('fault: SIGKILL each service in turn', () => {
  let sys: ProcSystem;
  beforeAll(async () => {
    // A killed instance's claimed tasks come back after the lease: short here, as every fake answers at once.
    sys = await startProcSystem({ env: { TASK_LEASE_MS: '8000' } });
  }, 120_000);
  let abandoned = false; // the test failed: the killer must not go on killing (and restarting) into the next test
  afterAll(async () => {
    abandoned = true;
    await sys?.stop();
  });

  it(`${RETURNS} returns, ${MIN_KILLS}+ kills at random points: none lost, no refund paid twice, every case terminal`, async () => {
    const tenant = await createTenant(sys);
    const supplier = await linkSupplier(sys, tenant);
    const orders = await registerOrders(sys, tenant, supplier, RETURNS);
    const auto = new AutoSupplier(sys, () => supplier.callbackApiKey).start();

    // Round robin, a random 1-3.5 s apart: a kill may hit a service busy or idle, while the previous ones are still starting.
    const kills: { service: ServiceName; at: number; upMs?: number }[] = [];
    let intakeDone = false;
    const killer = (async () => {
      for (let i = 0; !intakeDone || kills.length < MIN_KILLS; i++) {
        await sleep(1_000 + Math.random() * 2_500);
        if (abandoned) return;
        const p = sys.instances(ORDER[i % ORDER.length])[0];
        // Still starting since its last kill? It comes up first: a service whose restart (about 9 s, most
        // of it the consumer-group rejoin) outlasts a round of kills would otherwise never serve again.
        // Kills still land while other services start.
        await p.waitReady().catch(() => undefined);
        const kill = { service: p.service, at: Date.now(), upMs: undefined as number | undefined };
        await p.kill('SIGKILL');
        p.start();
        kills.push(kill);
        p.waitReady().then(() => (kill.upMs = Date.now() - kill.at), () => undefined); // killed again before it was up
      }
      await Promise.all(sys.procs.map((p) => p.waitReady()));
    })();

    const started = Date.now();
    const sent = new Map<string, number>();
    const returnIds = await Promise.all(orders.map(async (o, i) => {
      await sleep(i * 225); // ~45 s of intake, spread over the kills
      const t = Date.now();
      // Same Idempotency-Key on every retry: a POST the api crashed under comes back as the same return.
      const id = await reportReturn(sys, tenant, { orderId: o.id, eventType: 'DAMAGED', resolution: 'REFUND', evidenceUrls: ['https://photos.example.test/k.jpg'] }, randomUUID());
      sent.set(id, t);
      return id;
    }));
    intakeDone = true;
    await killer;
    const lastKill = Date.now();

    const closed = () => sys.sql<{ return_id: string; state: string; closed_at: Date }>(
      `SELECT s.return_id, s.state, s.closed_at FROM sagas s JOIN returns r ON r.id = s.return_id WHERE r.tenant_id = $1 AND s.closed_at IS NOT NULL`, [tenant.tenantId]);
    await waitFor(async () => (await closed()).length === RETURNS, { timeoutMs: 180_000, intervalMs: 500, message: 'every case closed after the last restart' })
      .catch(async (err) => {
        const open = await sys.sql(`SELECT s.state, count(*) FROM sagas s JOIN returns r ON r.id = s.return_id WHERE r.tenant_id = $1 AND s.closed_at IS NULL GROUP BY 1`, [tenant.tenantId]);
        throw new Error(`${err.message}; still open: ${JSON.stringify(open)}`);
      });
    const recoveredMs = Date.now() - lastKill;
    await auto.stop();

    // 0 lost: every intake is one return with one saga, and each ended COMPLETED.
    expect(new Set(returnIds).size).toBe(RETURNS);
    const [{ n: stored }] = await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM returns WHERE tenant_id = $1`, [tenant.tenantId]);
    expect(Number(stored)).toBe(RETURNS);
    const done = await closed();
    expect(done.map((c) => c.state).every((s) => s === 'COMPLETED')).toBe(true);

    // 0 double refunds, counted where the money moves: the store.
    const perOrder = new Map<string, number>();
    for (const r of sys.shop.refunds) perOrder.set(r.orderId, (perOrder.get(r.orderId) ?? 0) + 1);
    expect(sys.shop.refunds).toHaveLength(RETURNS);
    expect([...perOrder.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(orders.map((o) => o.externalId))).toEqual(new Set(perOrder.keys()));

    // Each consumed message changed its saga once, however often it was redelivered.
    const twice = await sys.sql(`SELECT message_id FROM saga_transitions WHERE message_id IS NOT NULL GROUP BY message_id HAVING count(*) > 1`);
    expect(twice).toEqual([]);
    expect(kills.length).toBeGreaterThanOrEqual(MIN_KILLS);
    for (const s of ORDER) expect(kills.filter((k) => k.service === s).length).toBeGreaterThanOrEqual(4);

    // At-least-once deliveries to the outside (webhooks, e-mails) may repeat after a crash; counted, not hidden.
    const webhookIds = sys.supplier.requests.map((r) => r.headers['webhook-id']);
    const mails = sys.smtp.messages.map((m) => `${m.headers['x-return-id']}:${m.headers['x-template']}`);
    const latencies = done.map((c) => c.closed_at.getTime() - (sent.get(c.return_id) ?? started));
    reportFigures('1. SIGKILL each service in turn', {
      returns: RETURNS,
      kills: kills.length,
      killsByService: Object.fromEntries(ORDER.map((s) => [s, kills.filter((k) => k.service === s).length])),
      // Listening means booted and joined to its consumer group (Nest awaits the join before it listens).
      restartToListeningMsP50: pct(kills.filter((k) => k.upMs).map((k) => k.upMs!), 50),
      killedAgainBeforeUp: kills.filter((k) => !k.upMs).length,
      lost: RETURNS - done.length,
      refundsAtStore: sys.shop.refunds.length,
      doubleRefunds: [...perOrder.values()].filter((n) => n > 1).length,
      allClosedSecondsAfterLastKill: Math.round(recoveredMs / 1000),
      caseLatencyP50s: Math.round(pct(latencies, 50) / 100) / 10,
      caseLatencyMaxS: Math.round(Math.max(...latencies) / 100) / 10,
      webhooksRedelivered: webhookIds.length - new Set(webhookIds).size,
      emailsResent: mails.length - new Set(mails).size,
      runSeconds: Math.round((Date.now() - started) / 1000),
    });
  }, 420_000);
});
