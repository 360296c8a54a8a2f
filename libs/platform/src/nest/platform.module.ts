import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { Clock, SystemClock } from '../clock/clock';
import { usePreparedStatements } from '../database/prepared-statements';
import { PlatformConfig } from '../config/platform-config';
import { dataSourceOptions, runMigrations } from '../database/data-source';
import { createLogger } from '../logging/logger';
import { Metrics } from '../metrics/metrics';
import { Messaging } from './messaging.service';
import { TaskScheduler } from './task-scheduler.service';
import { LOGGER, PLATFORM_CONFIG, SERVICE_NAME } from './tokens';
import { ObservabilityController } from './observability.controller';
import { KafkaHealthIndicator } from './kafka.health';
import { migrationSecrets, SecretBox } from '../security/secret-box';

export interface PlatformOptions {
  service: string;
  config: PlatformConfig;
  clock?: Clock;
  /** Serve /metrics and /health over HTTP (the api app, or workers with a port). */
  http?: boolean;
}

class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

/** Database, Kafka, outbox, tasks, logging and metrics for one service. */
@Global()
@Module({})
export class PlatformModule {
  static forService(opts: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'json' })],
      controllers: opts.http === false ? [] : [ObservabilityController],
      providers: [
        { provide: SERVICE_NAME, useValue: opts.service },
        { provide: PLATFORM_CONFIG, useValue: opts.config },
        { provide: Clock, useValue: opts.clock ?? new SystemClock() },
        { provide: LOGGER, useValue: createLogger(opts.service, opts.config.LOG_LEVEL) },
        { provide: Metrics, useValue: new Metrics(opts.service) },
        { provide: SecretBox, useFactory: () => SecretBox.fromEnv({ SECRETS_KEYS: opts.config.SECRETS_KEYS, NODE_ENV: opts.config.NODE_ENV ?? process.env.NODE_ENV }) },
        {
          provide: DataSource,
          inject: [SecretBox],
          useFactory: async (box: SecretBox) => {
            if (opts.config.PG_PREPARED_STATEMENTS === 'true') usePreparedStatements(); // process-wide: it patches the pg client
            const ds = new DataSource(dataSourceOptions(opts.config.DATABASE_URL));
            await ds.initialize();
            if (opts.config.RUN_MIGRATIONS === 'true') {
              migrationSecrets.use(box); // a migration sealing secrets uses this service's key ring
              try {
                await runMigrations(ds);
              } finally {
                migrationSecrets.use(undefined);
              }
            }
            return ds;
          },
        },
        DataSourceCloser,
        Messaging,
        TaskScheduler,
        KafkaHealthIndicator,
      ],
      exports: [SERVICE_NAME, PLATFORM_CONFIG, Clock, LOGGER, Metrics, SecretBox, DataSource, Messaging, TaskScheduler],
    };
  }
}
