import { randomUUID } from 'crypto';
import { waitFor } from '@app/testing';
import { reportFigures, sleep } from './support/figures';
import { ProcSystem, startProcSystem } from './support/proc-system';
import { AutoSupplier, createTenant, linkSupplier, registerOrders, reportReturn } from './support/world';

const RETURNS = 200;
const INTAKE_MS = 40_000;
const ADD_AT_MS = 8_000;
const REMOVE_AT_MS = 24_000;

/**
 * Fault 11: consumer-group rebalances under load. A second orchestrator joins
 * the group in the middle of 200 returns (partitions move to it), then the
 * first one leaves (SIGTERM: it finishes its batch, commits and leaves, and
 * its partitions move back). Every service is a real OS process. Nothing may
 * be lost, applied twice or paid twice, and every case must end terminal.
 */
describe('fault: consumer-group rebalance under load', () => {
  let sys: ProcSystem;
  beforeAll(async () => {
    sys = await startProcSystem();
  }, 120_000);
  afterAll(async () => {
    await sys?.stop();
  });

  it(`${RETURNS} returns; a second orchestrator joins, then the first leaves: none lost, none twice, every case terminal`, async () => {
    const tenant = await createTenant(sys);
    const supplier = await linkSupplier(sys, tenant);
    const orders = await registerOrders(sys, tenant, supplier, RETURNS);
    const auto = new AutoSupplier(sys, () => supplier.callbackApiKey).start();

    const started = Date.now();
    const events: Record<string, number> = {};
    const membership = (async () => {
      await sleep(ADD_AT_MS);
      const t = Date.now();
      await sys.addInstance('orchestrator');
      events.secondJoinedListeningMs = Date.now() - t;
      events.secondJoinedAtS = Math.round((Date.now() - started) / 1000);
      await sleep(Math.max(0, REMOVE_AT_MS - (Date.now() - started)));
      const first = sys.instances('orchestrator')[0];
      const t2 = Date.now();
      await first.kill('SIGTERM', 20_000);
      events.firstLeftShutdownMs = Date.now() - t2;
      events.firstLeftAtS = Math.round((Date.now() - started) / 1000);
    })();
    const returnIds = await Promise.all(orders.map(async (o, i) => {
      await sleep((i * INTAKE_MS) / RETURNS);
      return reportReturn(sys, tenant, { orderId: o.id, eventType: 'DAMAGED', resolution: 'REFUND', evidenceUrls: ['https://photos.example.test/r.jpg'] }, randomUUID());
    }));
    await membership;

    const closed = async () => Number((await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM sagas WHERE return_id = ANY($1::uuid[]) AND closed_at IS NOT NULL`, [returnIds]))[0].n);
    await waitFor(async () => (await closed()) === RETURNS, { timeoutMs: 180_000, intervalMs: 500, message: 'every case closed' })
      .catch(async (err) => {
        const open = await sys.sql(`SELECT state, count(*) FROM sagas WHERE return_id = ANY($1::uuid[]) AND closed_at IS NULL GROUP BY 1`, [returnIds]);
        throw new Error(`${err.message}; still open: ${JSON.stringify(open)}`);
      });
    await auto.stop();

    const byInstance = await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM saga_transitions t JOIN sagas s ON s.id = t.saga_id WHERE s.return_id = ANY($1::uuid[])`, [returnIds]);
    const sagas = await sys.sql<{ state: string }>(`SELECT state FROM sagas WHERE return_id = ANY($1::uuid[])`, [returnIds]);
    expect(sagas).toHaveLength(RETURNS);
    expect(sagas.every((s) => s.state === 'COMPLETED')).toBe(true);
    const perOrder = new Map<string, number>();
    for (const r of sys.shop.refunds) perOrder.set(r.orderId, (perOrder.get(r.orderId) ?? 0) + 1);
    expect(sys.shop.refunds).toHaveLength(RETURNS);
    expect([...perOrder.values()].every((n) => n === 1)).toBe(true);
    const twice = await sys.sql(`SELECT message_id FROM saga_transitions WHERE message_id IS NOT NULL GROUP BY message_id HAVING count(*) > 1`);
    expect(twice).toEqual([]);
    // The second orchestrator really took partitions: it made transitions (its own /metrics counter).
    const [second] = sys.instances('orchestrator').slice(1);
    expect(second.running).toBe(true);
    const metrics = String((await sys.http.get(`http://127.0.0.1:${second.port}/metrics`)).data);
    const secondTransitions = metrics.split('\n').filter((l) => l.startsWith('saga_transitions_total')).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    expect(secondTransitions).toBeGreaterThan(0);

    reportFigures('11. Consumer-group rebalance under load (orchestrator joins, then one leaves)', {
      returns: RETURNS,
      ...events,
      transitions: Number(byInstance[0].n),
      transitionsBySecondOrchestrator: secondTransitions,
      lost: RETURNS - sagas.length,
      refundsAtStore: sys.shop.refunds.length,
      doubleRefunds: [...perOrder.values()].filter((n) => n > 1).length,
      runSeconds: Math.round((Date.now() - started) / 1000),
    });
  }, 420_000);
});
