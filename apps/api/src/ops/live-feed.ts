import { BeforeApplicationShutdown, Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'crypto';
import { hostname } from 'os';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { SagaTransitioned, SupplierEndpointDisabled, Topics } from '@app/contracts';
import { Clock, LOGGER, Messaging, PLATFORM_CONFIG } from '@app/platform';
import { API_LIMITS, ApiConfig } from '../config';
import { OpsMetrics } from './ops-metrics';
import { ENDPOINT_DISABLED_ALERT, endpointAlertReason } from './alert-kinds';

export interface LiveEvent {
  tenantId: string;
  /** `case`: a saga changed state; `alert`: a case became stuck (or stopped being stuck), or its supplier's endpoint was disabled. */
  type: 'case' | 'alert';
  data: Record<string, unknown>;
}

/**
 * The live feed's consumer group: one of its own per api process (host, pid
 * and a random part), so every instance gets every partition. One group per
 * host let a second api on the same host take half the partitions and drop
 * what its own (possibly absent) browsers did not watch.
 */
export function liveFeedGroup(host = hostname(), pid = process.pid, nonce = randomBytes(4).toString('hex')): string {
  return `ops-live.${host}.${pid}.${nonce}`;
}

/**
 * Live updates for the console: every api instance reads `saga.events` in a
 * consumer group of its own, from the latest offset on (news, not history),
 * and fans the events out, filtered by tenant, to its open streams. The group
 * commits no offsets, so it keeps no state on the broker: Kafka forgets it once
 * its only member has left (or its session timed out after a crash).
 */
@Injectable()
export class LiveFeed implements OnModuleInit, BeforeApplicationShutdown {
  private readonly listeners = new Set<(e: LiveEvent) => void>();
  private readonly streams = new Set<Response>();
  /** Open streams per key: a leaked or hostile key cannot hold every socket of the api. */
  private readonly perKey = new Map<string, number>();
  private readonly maxPerKey: number;
  readonly group = liveFeedGroup();

  constructor(
    private readonly messaging: Messaging,
    private readonly clock: Clock,
    private readonly metrics: OpsMetrics,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(PLATFORM_CONFIG) config: ApiConfig,
  ) {
    this.maxPerKey = config.OPS_STREAMS_PER_KEY ?? API_LIMITS.OPS_STREAMS_PER_KEY;
  }

  onModuleInit(): void {
    this.messaging.consume({
      group: this.group,
      // supplier.events for the alerts among them (a disabled endpoint): every instance's streams must hear them.
      topics: [Topics.SagaEvents, Topics.SupplierEvents],
      ephemeral: true, // fan-out to browsers only: no inbox, no transaction, no committed offsets
      fromBeginning: false, // a new group per process: start at the end, not with the topic's history
      idle: () => this.listeners.size === 0, // nobody watching: not even decoded
      handle: async (env) => {
        if (env.type === 'SupplierEndpointDisabled') {
          const a = env.payload as SupplierEndpointDisabled;
          this.publish({ tenantId: env.tenantId, type: 'alert', data: {
            alert: ENDPOINT_DISABLED_ALERT, returnId: env.returnId, sagaId: a.sagaId, supplierId: a.supplierId, state: 'DISABLED', reason: endpointAlertReason(a), at: a.disabledAt } });
          return;
        }
        if (env.type !== 'SagaTransitioned') return;
        const p = env.payload as SagaTransitioned;
        this.publish({ tenantId: env.tenantId, type: 'case', data: { returnId: env.returnId, sagaId: p.sagaId, eventType: p.eventType, from: p.from, to: p.to, cause: p.cause, at: p.at } });
      },
    });
  }

  publish(e: LiveEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** Serves one SSE stream of the tenant's events until the client goes away; 429 past the per-key cap. */
  open(tenantId: string, res: Response, keyName: string): void {
    const open = this.perKey.get(keyName) ?? 0;
    if (open >= this.maxPerKey) {
      res.setHeader('Retry-After', '30');
      res.status(429).json({ statusCode: 429, error: 'TOO_MANY_STREAMS', message: `this key already has ${open} live streams open (limit ${this.maxPerKey})` });
      return;
    }
    this.perKey.set(keyName, open + 1);
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    res.write('retry: 3000\n\n');
    send('hello', { at: this.clock.now().toISOString() });
    const listener = (e: LiveEvent) => {
      if (e.tenantId === tenantId) send(e.type, e.data);
    };
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    this.listeners.add(listener);
    this.streams.add(res);
    this.metrics.liveClients.set(this.streams.size);
    res.on('close', () => {
      const left = (this.perKey.get(keyName) ?? 1) - 1;
      if (left > 0) this.perKey.set(keyName, left);
      else this.perKey.delete(keyName);
      clearInterval(ping);
      this.listeners.delete(listener);
      this.streams.delete(res);
      this.metrics.liveClients.set(this.streams.size);
    });
    this.log.debug({ tenantId, clients: this.streams.size }, 'live stream opened');
  }

  /** Open streams would keep the HTTP server from closing. */
  beforeApplicationShutdown(): void {
    for (const res of this.streams) res.end();
  }
}
