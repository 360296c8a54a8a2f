import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TerminusModule } from '@nestjs/terminus';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Metrics } from '../metrics/metrics';
import { KafkaHealthIndicator } from './kafka.health';
import { Messaging } from './messaging.service';
import { ObservabilityController } from './observability.controller';

/** /health through terminus with stand-ins for the two dependencies: up, Kafka down, Kafka hanging, database down. */
describe('ObservabilityController /health', () => {
  let app: INestApplication;
  let kafka: () => Promise<void>;
  let db: () => Promise<unknown>;

  beforeAll(async () => {
    const ref = await Test.createTestingModule({
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [ObservabilityController],
      providers: [
        KafkaHealthIndicator,
        { provide: Messaging, useValue: { ping: () => kafka() } },
        { provide: DataSource, useValue: { options: { type: 'postgres' }, query: () => db() } },
        { provide: Metrics, useValue: new Metrics('test', false) },
      ],
    }).compile();
    app = ref.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(() => app.close());

  beforeEach(() => {
    kafka = async () => undefined;
    db = async () => [{ '?column?': 1 }];
  });

  it('is 200 with both up', async () => {
    const res = await request(app.getHttpServer()).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, kafka: { status: 'up' } } });
  });

  it('is 503 naming Kafka when the broker cannot be reached', async () => {
    kafka = async () => { throw new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'); };
    const res = await request(app.getHttpServer()).get('/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'error', error: { kafka: { status: 'down', message: expect.stringContaining('ECONNREFUSED') } }, info: { database: { status: 'up' } } });
  });

  it('is 503 when Kafka does not answer in time', async () => {
    kafka = () => new Promise(() => undefined);
    const res = await request(app.getHttpServer()).get('/health');
    expect(res.status).toBe(503);
    expect(res.body.error.kafka).toEqual({ status: 'down', message: 'timeout of 3000ms exceeded' });
  }, 10_000);

  it('is 503 naming the database when it is down', async () => {
    db = async () => { throw new Error('the database system is shutting down'); };
    const res = await request(app.getHttpServer()).get('/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } }, info: { kafka: { status: 'up' } } });
  });

  it('serves the service\'s Prometheus registry at /metrics', async () => {
    const res = await request(app.getHttpServer()).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/plain/);
    expect(res.text).toContain('# TYPE messages_consumed_total counter');
  });
});
