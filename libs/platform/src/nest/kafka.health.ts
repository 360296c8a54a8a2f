import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { Messaging } from './messaging.service';

/** Terminus indicator: can this service reach the Kafka cluster (metadata of a known topic) within the timeout? */
@Injectable()
export class KafkaHealthIndicator {
  constructor(private readonly indicator: HealthIndicatorService, private readonly messaging: Messaging) {}

  async pingCheck<K extends string>(key: K, timeoutMs = 3_000): Promise<HealthIndicatorResult<K>> {
    const check = this.indicator.check(key);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.messaging.ping(),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timeout of ${timeoutMs}ms exceeded`)), timeoutMs))),
      ]);
      return check.up();
    } catch (err) {
      return check.down({ message: String(err?.message ?? err) });
    } finally {
      clearTimeout(timer);
    }
  }
}
