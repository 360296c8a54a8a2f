import { SecretBox, SecretBoxError } from './secret-box';

describe('SecretBox (AES-256-GCM, key ring)', () => {
  const k1 = SecretBox.newKey('k1');
  const k2 = SecretBox.newKey('k2');

  it('seals to v1:<keyId>:iv:tag:ct, never the plain text, and opens it again', () => {
    const box = SecretBox.fromKeyRing(k1);
    const sealed = box.seal('whsec_supersecret', 'supplier:a');
    expect(sealed).toMatch(/^v1:k1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toContain('supersecret');
    expect(box.open(sealed, 'supplier:a')).toBe('whsec_supersecret');
    expect(box.seal('whsec_supersecret', 'supplier:a')).not.toBe(sealed); // fresh IV each time
  });

  it('refuses a tampered ciphertext, tag or IV', () => {
    const box = SecretBox.fromKeyRing(k1);
    const sealed = box.seal('shpat_token', 'tenant:t');
    const parts = sealed.split(':');
    for (const i of [2, 3, 4]) {
      const b = Buffer.from(parts[i], 'base64');
      b[0] ^= 1;
      const bad = [...parts.slice(0, i), b.toString('base64'), ...parts.slice(i + 1)].join(':');
      expect(() => box.open(bad, 'tenant:t')).toThrow(/failed authentication/);
    }
  });

  it("refuses another row's value (the context is authenticated)", () => {
    const box = SecretBox.fromKeyRing(k1);
    expect(() => box.open(box.seal('shpat_token', 'tenant:a'), 'tenant:b')).toThrow(SecretBoxError);
  });

  it('rotates: the first key seals, older keys still open, reseal moves a value to the active key', () => {
    const old = SecretBox.fromKeyRing(k1);
    const sealed = old.seal('s', 'c');
    const rotated = SecretBox.fromKeyRing(`${k2},${k1}`);
    expect(rotated.activeKeyId).toBe('k2');
    expect(rotated.open(sealed, 'c')).toBe('s');
    expect(rotated.isCurrent(sealed)).toBe(false);
    const resealed = rotated.reseal(sealed, 'c');
    expect(resealed).toMatch(/^v1:k2:/);
    expect(rotated.isCurrent(resealed)).toBe(true);
    expect(SecretBox.fromKeyRing(k2).open(resealed, 'c')).toBe('s');
    expect(rotated.reseal('plain-legacy', 'c')).toMatch(/^v1:k2:/);
  });

  it('names an unknown key id clearly', () => {
    const sealed = SecretBox.fromKeyRing(k1).seal('s', 'c');
    expect(() => SecretBox.fromKeyRing(k2).open(sealed, 'c')).toThrow(/sealed with key k1, which is not in SECRETS_KEYS \(keys: k2\)/);
  });

  it('refuses plain text where a sealed value is expected', () => {
    expect(() => SecretBox.fromKeyRing(k1).open('whsec_plain', 'c')).toThrow(/not a sealed secret/);
  });

  it('parses the key ring strictly', () => {
    expect(() => SecretBox.parseKeyRing('')).toThrow(/empty/);
    expect(() => SecretBox.parseKeyRing('nokey')).toThrow(/id:base64key/);
    expect(() => SecretBox.parseKeyRing(`k1:${Buffer.alloc(16).toString('base64')}`)).toThrow(/16 bytes; AES-256 needs 32/);
    expect(() => SecretBox.parseKeyRing(`${k1},${k1}`)).toThrow(/twice/);
    expect(SecretBox.parseKeyRing(` ${k2} , ${k1} `).map((k) => k.id)).toEqual(['k2', 'k1']);
  });

  it('needs SECRETS_KEYS in production; elsewhere falls back to the public dev key', () => {
    expect(() => SecretBox.fromEnv({ NODE_ENV: 'production' })).toThrow(/SECRETS_KEYS is required when NODE_ENV=production/);
    const dev = SecretBox.fromEnv({ NODE_ENV: 'test' });
    expect(dev.isDevKey).toBe(true);
    expect(SecretBox.fromEnv({}).open(dev.seal('x', 'c'), 'c')).toBe('x'); // every process of a local run agrees
    expect(SecretBox.fromEnv({ NODE_ENV: 'production', SECRETS_KEYS: k1 }).activeKeyId).toBe('k1');
  });
});
