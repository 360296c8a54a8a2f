import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureHttp, PlatformConfig } from '@app/platform';
import { ApiModule } from '../../apps/api/src/app.module';
import { System } from './system';

/**
 * Another api process on the same host, as a rolling restart or a second
 * replica has it: same database, same brokers, same group prefix, same clock,
 * its own port. Close it with `app.close()`.
 */
export async function startSecondApi(sys: System, config: Record<string, unknown> = {}): Promise<{ app: INestApplication; url: string }> {
  const c = Object.assign(new PlatformConfig(), {
    DATABASE_URL: sys.db.url,
    KAFKA_BROKERS: sys.kafka.bootstrap,
    KAFKA_GROUP_PREFIX: 'test',
    KAFKA_IDEMPOTENT: process.env.TEST_KAFKA === 'mock' ? 'false' : 'true',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    POLL_INTERVAL_MS: 20,
    WEBHOOK_ALLOW_HOSTS: '127.0.0.1,localhost',
  }, config);
  const app = await NestFactory.create(ApiModule.forRoot(c, sys.clock), { logger: false });
  configureHttp(app);
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}
