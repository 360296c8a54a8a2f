import { IsIn, IsInt, IsIP, IsOptional, IsString, Matches, Max, Min, ValidateBy, ValidateIf } from 'class-validator';
import { SecretBox } from '../security/secret-box';

/** SECRETS_KEYS must parse as a key ring; in production it must be set. */
const KeyRing = () =>
  ValidateBy({
    name: 'keyRing',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && (() => { try { SecretBox.parseKeyRing(v); return true; } catch { return false; } })(),
      defaultMessage: (a) => {
        if (typeof a?.value !== 'string' || !a.value.trim()) return 'SECRETS_KEYS is required when NODE_ENV=production: id:base64key[,id:base64key] (see docs/security.md)';
        try { SecretBox.parseKeyRing(a.value); return ''; } catch (e) { return (e as Error).message; }
      },
    },
  });

/** Variables every service reads. Each service extends this with its own. */
export class PlatformConfig {
  /** postgres://user@host:port/db */
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL!: string;

  /** Comma-separated bootstrap servers, e.g. kafka:9092 */
  @Matches(/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port...]' })
  KAFKA_BROKERS!: string;

  @IsOptional() @IsString()
  KAFKA_CLIENT_ID?: string;

  /** Consumer-group prefix; lets several deployments (or tests) share a cluster. */
  @IsString()
  KAFKA_GROUP_PREFIX: string = 'returns';

  @IsIn(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])
  LOG_LEVEL: string = 'info';

  @IsInt() @Min(0) @Max(65535)
  HTTP_PORT: number = 3000;

  /** Address the HTTP server binds: 127.0.0.1 for local runs, 0.0.0.0 in containers. */
  @IsIP()
  HTTP_HOST: string = '0.0.0.0';

  @IsOptional() @IsString()
  NODE_ENV?: string;

  /** Key ring sealing secrets at rest, `id:base64key[,…]`, first active (docs/security.md). Required in production. */
  @ValidateIf((c: PlatformConfig) => c.NODE_ENV === 'production' || !!c.SECRETS_KEYS) @KeyRing()
  SECRETS_KEYS?: string;

  /** Bearer token for /metrics and /docs; unset: they answer loopback callers only. */
  @ValidateIf((c: PlatformConfig) => !!c.METRICS_TOKEN) @Matches(/^\S{16,}$/, { message: 'METRICS_TOKEN must be at least 16 characters without spaces' })
  METRICS_TOKEN?: string;

  /** Express `trust proxy` (e.g. `loopback` or a hop count) when behind a reverse proxy, so per-IP limits see the client. */
  @IsOptional() @IsString()
  TRUST_PROXY?: string;

  @IsInt() @Min(1) @Max(10000)
  OUTBOX_BATCH_SIZE: number = 500;

  /** Consumer session timeout: how long a dead member holds its partitions before the group moves on. */
  @IsInt() @Min(4000) @Max(300000)
  KAFKA_SESSION_TIMEOUT_MS: number = 10000;

  /**
   * Longest a consumer's fetch waits for data. Kafka answers a waiting fetch as
   * soon as data arrives, so this only paces empty fetches: a longer wait is
   * fewer wake-ups when idle at no cost in latency. (The librdkafka mock
   * answers only after the wait: tests on it set it low, e.g. 20.)
   */
  @IsInt() @Min(1) @Max(10000)
  KAFKA_FETCH_MAX_WAIT_MS: number = 500;

  /**
   * The idempotent producer (on by default): the broker drops a batch the
   * producer retried after it was already written, and keeps each partition's
   * order across retries. Off only for the librdkafka mock broker, which cannot
   * give a producer id (docs/adr/008-real-kafka.md).
   */
  @IsIn(['true', 'false'])
  KAFKA_IDEMPOTENT: string = 'true';

  /**
   * How long a claimed task is reserved for the instance running it without a
   * renewal; a crashed instance's tasks come back after this. A live instance
   * renews its leases every third of it while its handlers run, so it need not
   * exceed the longest handler.
   */
  @IsInt() @Min(1000) @Max(3600000)
  TASK_LEASE_MS: number = 10000;

  /**
   * How often pollers (outbox relay, task queue) look for work when idle. New
   * work wakes them at once (writers nudge after commit, standby relays NOTIFY),
   * so the poll only finds retries and timers coming due, and another
   * instance's scheduled tasks: a second is plenty, and idle costs little.
   */
  @IsInt() @Min(5) @Max(60000)
  POLL_INTERVAL_MS: number = 1000;

  /**
   * Send parameterised queries as named prepared statements (parsed once per
   * connection). Off for a connection pooler in transaction mode that cannot keep them.
   */
  @IsIn(['true', 'false'])
  PG_PREPARED_STATEMENTS: string = 'true';

  /** Run migrations at start-up (under an advisory lock). */
  @IsIn(['true', 'false'])
  RUN_MIGRATIONS: string = 'true';
}
