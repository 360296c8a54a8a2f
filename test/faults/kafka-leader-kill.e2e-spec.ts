import { Kafka, logLevel } from 'kafkajs';
import { KafkaCluster } from '@app/testing';
import { SERVICES, startSystem, System, waitFor } from '../support/system';
import { reportFigures, sleep } from './support/figures';
import { AutoSupplier, createTenant, linkSupplier, registerOrders, reportReturn } from './support/world';

const RETURNS = 200;
const INTAKE_MS = 40_000;
const KILL_AT_MS = 12_000;
const DOWN_FOR_MS = 20_000;

/**
 * Fault 10 (real Kafka only): a 3-node cluster, every topic with 3 copies and
 * min.insync.replicas 2. The node leading a `returns.reported` partition is
 * SIGKILLed in the middle of 200 returns, and started again 20 s later.
 * Leadership moves to an in-sync copy; producers (acks=all, idempotent) and
 * consumer groups follow it. Nothing may be lost or paid twice, and every case
 * must end terminal.
 */
describe('fault: a partition leader of a 3-node Kafka cluster is killed mid-run', () => {
  let sys: System;
  beforeAll(async () => {
    if (process.env.TEST_KAFKA === 'mock') return;
    const fast = { KAFKA_SESSION_TIMEOUT_MS: 6000, KAFKA_FETCH_MAX_WAIT_MS: 20 };
    sys = await startSystem({ kafkaNodes: 3, config: Object.fromEntries(SERVICES.map((s) => [s, fast])) });
  }, 180_000);
  afterAll(async () => {
    await sys?.stop();
  });

  (process.env.TEST_KAFKA === 'mock' ? it.skip : it)(`${RETURNS} returns, the leader of returns.reported/0 killed for ${DOWN_FOR_MS / 1000} s: none lost, no double refund, every case terminal`, async () => {
    const kafka = sys.kafka as KafkaCluster;
    const tenant = await createTenant(sys);
    const supplier = await linkSupplier(sys, tenant);
    const orders = await registerOrders(sys, tenant, supplier, RETURNS, { now: sys.clock.now() });
    const auto = new AutoSupplier(sys, () => supplier.callbackApiKey).start();

    let maxLagS = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [row] = await sys.sql<{ lag: number | null }>(`SELECT extract(epoch FROM now() - min(created_at))::float AS lag FROM outbox`).catch(() => [{ lag: 0 }]);
        maxLagS = Math.max(maxLagS, row.lag ?? 0);
        await sleep(250);
      }
    })();

    const started = Date.now();
    let killed = 0;
    let newLeader = 0;
    let killedAt = 0;
    let failoverMs = 0;
    let upAt = 0;
    const outage = (async () => {
      await sleep(KILL_AT_MS);
      killed = await kafka.leaderOf('returns.reported', 0);
      await kafka.brokerDown(killed);
      killedAt = Date.now();
      // Leadership moves once the controller fences the dead node (broker.session.timeout.ms).
      await waitFor(async () => {
        newLeader = await kafka.leaderOf('returns.reported', 0).catch(() => -1);
        return newLeader > 0 && newLeader !== killed;
      }, { timeoutMs: 30_000, intervalMs: 100, message: 'a new leader for returns.reported/0' });
      failoverMs = Date.now() - killedAt;
      await sleep(Math.max(0, DOWN_FOR_MS - failoverMs));
      await kafka.brokerUp(killed);
      upAt = Date.now();
    })();
    const returnIds = await Promise.all(orders.map(async (o, i) => {
      await sleep((i * INTAKE_MS) / RETURNS);
      return reportReturn(sys, tenant, { orderId: o.id, eventType: 'DAMAGED', resolution: 'REFUND', evidenceUrls: ['https://photos.example.test/l.jpg'] });
    }));
    await outage;
    const acceptedWhileDown = Number((await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM returns WHERE tenant_id = $1 AND created_at BETWEEN $2 AND $3`, [tenant.tenantId, new Date(killedAt), new Date(upAt)]))[0].n);

    const closedCount = async () => Number((await sys.sql<{ n: string }>(`SELECT count(*) AS n FROM sagas WHERE return_id = ANY($1::uuid[]) AND closed_at IS NOT NULL`, [returnIds]))[0].n);
    await waitFor(async () => (await closedCount()) === RETURNS, { timeoutMs: 180_000, intervalMs: 500, message: 'every case closed' })
      .catch(async (err) => {
        const open = await sys.sql(`SELECT state, count(*) FROM sagas WHERE return_id = ANY($1::uuid[]) AND closed_at IS NULL GROUP BY 1`, [returnIds]);
        const pending = await sys.sql(`SELECT producer, topic, count(*) FROM outbox GROUP BY 1, 2`);
        throw new Error(`${err.message}; open: ${JSON.stringify(open)}; outbox: ${JSON.stringify(pending)}`);
      });
    const allClosedAfterKillS = (Date.now() - killedAt) / 1000;
    sampling = false;
    await sampler;
    await auto.stop();

    const sagas = await sys.sql<{ state: string }>(`SELECT state FROM sagas WHERE return_id = ANY($1::uuid[])`, [returnIds]);
    expect(sagas).toHaveLength(RETURNS);
    expect(sagas.every((s) => s.state === 'COMPLETED')).toBe(true);
    const perOrder = new Map<string, number>();
    for (const r of sys.shop.refunds) perOrder.set(r.orderId, (perOrder.get(r.orderId) ?? 0) + 1);
    expect(sys.shop.refunds).toHaveLength(RETURNS);
    expect([...perOrder.values()].every((n) => n === 1)).toBe(true);
    const twice = await sys.sql(`SELECT message_id FROM saga_transitions WHERE message_id IS NOT NULL GROUP BY message_id HAVING count(*) > 1`);
    expect(twice).toEqual([]);
    const admin = new Kafka({ clientId: 'fault-test', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    const dlq = await admin.fetchTopicOffsets('deadletter');
    await admin.disconnect();
    expect(dlq.reduce((n, p) => n + Number(p.high), 0)).toBe(0);
    expect(newLeader).not.toBe(killed);
    expect(acceptedWhileDown).toBeGreaterThan(50);

    reportFigures('10. Kafka partition leader killed (3 nodes, RF 3, min ISR 2)', {
      returns: RETURNS,
      killedNode: killed,
      newLeader,
      leaderFailoverMs: failoverMs,
      nodeDownSeconds: Math.round((upAt - killedAt) / 1000),
      returnsAcceptedWhileDown: acceptedWhileDown,
      maxOutboxLagSeconds: Math.round(maxLagS * 10) / 10,
      allClosedSecondsAfterKill: Math.round(allClosedAfterKillS * 10) / 10,
      lost: RETURNS - sagas.length,
      refundsAtStore: sys.shop.refunds.length,
      doubleRefunds: [...perOrder.values()].filter((n) => n > 1).length,
      deadLettered: 0,
      runSeconds: Math.round((Date.now() - started) / 1000),
    });
  }, 420_000);
});
