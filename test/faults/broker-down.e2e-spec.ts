import { Kafka, logLevel } from 'kafkajs';
import { SERVICES, startSystem, System, waitFor } from '../support/system';
import { reportFigures, sleep } from './support/figures';
import { AutoSupplier, createTenant, linkSupplier, registerOrders, reportReturn } from './support/world';

const RETURNS = 150;
const INTAKE_MS = 50_000;
const DOWN_AT_MS = 10_000;
const DOWN_FOR_MS = 30_000;

/**
 * Fault 3: the whole Kafka cluster refuses connections for 30 s in the middle
 * of a run. Intake goes on (it only writes Postgres); the outboxes fill up;
 * after the broker is back every case completes and every outbox drains.
 */
describe('fault: broker down for 30 s mid-run', () => {
  let sys: System;
  beforeAll(async () => {
    const fast = { KAFKA_SESSION_TIMEOUT_MS: 6000, KAFKA_FETCH_MAX_WAIT_MS: 20 };
    sys = await startSystem({ config: Object.fromEntries(SERVICES.map((s) => [s, fast])) });
  });
  afterAll(async () => {
    await sys?.kafka.brokerUp(-1).catch(() => undefined);
    await sys?.stop();
  });

  it(`${RETURNS} returns over ${INTAKE_MS / 1000} s, broker down ${DOWN_FOR_MS / 1000} s: none lost, outboxes drain, lag reported`, async () => {
    const tenant = await createTenant(sys);
    const supplier = await linkSupplier(sys, tenant);
    const orders = await registerOrders(sys, tenant, supplier, RETURNS, { now: sys.clock.now() });
    const auto = new AutoSupplier(sys, () => supplier.callbackApiKey).start();

    // Outbox lag: age of the oldest unpublished row, sampled through the run.
    let maxLagS = 0;
    let maxPending = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [row] = await sys.sql<{ n: string; lag: number | null }>(`SELECT count(*) AS n, extract(epoch FROM now() - min(created_at))::float AS lag FROM outbox`).catch(() => [{ n: '0', lag: 0 }]);
        maxPending = Math.max(maxPending, Number(row.n));
        maxLagS = Math.max(maxLagS, row.lag ?? 0);
        await sleep(250);
      }
    })();

    const started = Date.now();
    let downAt = 0;
    let upAt = 0;
    const outage = (async () => {
      await sleep(DOWN_AT_MS);
      await sys.kafka.brokerDown(-1);
      downAt = Date.now();
      await sleep(DOWN_FOR_MS);
      await sys.kafka.brokerUp(-1);
      upAt = Date.now();
    })();
    const returnIds = await Promise.all(orders.map(async (o, i) => {
      await sleep((i * INTAKE_MS) / RETURNS);
      return reportReturn(sys, tenant, { orderId: o.id, eventType: 'DAMAGED', resolution: 'REFUND', evidenceUrls: ['https://photos.example.test/b.jpg'] });
    }));
    await outage;
    const acceptedWhileDown = (await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM returns WHERE tenant_id = $1 AND created_at BETWEEN $2 AND $3`, [tenant.tenantId, new Date(downAt), new Date(upAt)]))[0].n;

    const closedCount = async () => Number((await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM sagas WHERE return_id = ANY($1::uuid[]) AND closed_at IS NOT NULL`, [returnIds]))[0].n);
    await waitFor(async () => (await closedCount()) === RETURNS, { timeoutMs: 120_000, intervalMs: 500, message: 'every case closed after the broker came back' })
      .catch(async (err) => {
        sampling = false;
        const open = await sys.sql(`SELECT state, count(*) FROM sagas WHERE return_id = ANY($1::uuid[]) AND closed_at IS NULL GROUP BY 1`, [returnIds]);
        const pending = await sys.sql(`SELECT producer, topic, count(*) FROM outbox GROUP BY 1, 2`);
        const sagas = await sys.sql(`SELECT count(*) FROM sagas WHERE return_id = ANY($1::uuid[])`, [returnIds]);
        throw new Error(`${err.message}; open: ${JSON.stringify(open)}; sagas: ${JSON.stringify(sagas)}; outbox: ${JSON.stringify(pending)}`);
      });
    const allClosedAfterUpS = (Date.now() - upAt) / 1000;
    await waitFor(async () => Number((await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM outbox`))[0].n) === 0, { timeoutMs: 30_000, message: 'every outbox drained' });
    const drainedAfterUpS = (Date.now() - upAt) / 1000;
    sampling = false;
    await sampler;
    await auto.stop();

    // 0 lost, nothing paid twice, nothing parked.
    const sagas = await sys.sql<{ state: string }>(`SELECT state FROM sagas WHERE return_id = ANY($1::uuid[])`, [returnIds]);
    expect(sagas).toHaveLength(RETURNS);
    expect(sagas.every((s) => s.state === 'COMPLETED')).toBe(true);
    expect(sys.shop.refunds).toHaveLength(RETURNS);
    expect(new Set(sys.shop.refunds.map((r) => r.orderId)).size).toBe(RETURNS);
    const admin = new Kafka({ clientId: 'fault-test', brokers: sys.kafka.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const dlq = await admin.fetchTopicOffsets('deadletter');
    await admin.disconnect();
    expect(dlq.reduce((n, p) => n + Number(p.high), 0)).toBe(0);
    // The outage really held messages back: intake went on while nothing could be published.
    expect(Number(acceptedWhileDown)).toBeGreaterThan(50);
    expect(maxLagS).toBeGreaterThan(DOWN_FOR_MS / 1000 - 5);

    reportFigures('3. Broker down 30 s mid-run', {
      returns: RETURNS,
      brokerDownSeconds: Math.round((upAt - downAt) / 1000),
      returnsAcceptedWhileDown: Number(acceptedWhileDown),
      maxOutboxLagSeconds: Math.round(maxLagS * 10) / 10,
      maxOutboxRowsPending: maxPending,
      outboxesDrainedSecondsAfterUp: Math.round(drainedAfterUpS * 10) / 10,
      allClosedSecondsAfterUp: Math.round(allClosedAfterUpS * 10) / 10,
      lost: RETURNS - sagas.length,
      refundsAtStore: sys.shop.refunds.length,
      deadLettered: 0,
      runSeconds: Math.round((Date.now() - started) / 1000),
    });
  }, 300_000);
});
