import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { Metrics } from '../metrics/metrics';
import { KafkaHealthIndicator } from './kafka.health';
import { Public } from './http';

/** /metrics (Prometheus) and /health (terminus: database and Kafka; 503 when either is down) for every service. */
@ApiExcludeController()
@Public()
@Controller()
export class ObservabilityController {
  constructor(
    @Inject(Metrics) private readonly metrics: Metrics,
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly kafka: KafkaHealthIndicator,
    private readonly ds: DataSource,
  ) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }

  @Get('health')
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.db.pingCheck('database', { connection: this.ds, timeout: 2_000 }),
      () => this.kafka.pingCheck('kafka', 3_000),
    ]);
  }
}
