import { ConfigError, loadConfig } from './load-config';
import { PlatformConfig } from './platform-config';

describe('loadConfig', () => {
  it('names every missing or bad variable at once', () => {
    let err: ConfigError | undefined;
    try {
      loadConfig(PlatformConfig, { KAFKA_BROKERS: 'no-port', HTTP_PORT: '99999' });
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.message).toMatch(/DATABASE_URL/);
    expect(err!.message).toMatch(/KAFKA_BROKERS/);
    expect(err!.message).toMatch(/HTTP_PORT/);
  });

  it('converts and defaults valid variables into the typed class', () => {
    const c = loadConfig(PlatformConfig, { DATABASE_URL: 'postgres://u@h:5432/d', KAFKA_BROKERS: 'a:9092,b:9093', HTTP_PORT: '8080' });
    expect(c.HTTP_PORT).toBe(8080);
    expect(c.OUTBOX_BATCH_SIZE).toBe(500);
    expect(c.KAFKA_BROKERS.split(',')).toEqual(['a:9092', 'b:9093']);
  });
});

describe('loadConfig: SECRETS_KEYS', () => {
  const base = { DATABASE_URL: 'postgres://u@h:5432/d', KAFKA_BROKERS: 'a:9092' };
  it('is required in production, naming the variable', () => {
    expect(() => loadConfig(PlatformConfig, { ...base, NODE_ENV: 'production' })).toThrow(/SECRETS_KEYS is required when NODE_ENV=production/);
  });
  it('must parse as a key ring when set', () => {
    expect(() => loadConfig(PlatformConfig, { ...base, SECRETS_KEYS: 'k1:c2hvcnQ=' })).toThrow(/SECRETS_KEYS key k1 is 5 bytes/);
    expect(loadConfig(PlatformConfig, { ...base, NODE_ENV: 'production', SECRETS_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}` }).SECRETS_KEYS).toMatch(/^k1:/);
  });
  it('is optional outside production', () => {
    expect(loadConfig(PlatformConfig, base).SECRETS_KEYS).toBeUndefined();
  });
});
