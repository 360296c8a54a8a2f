import { DomainError } from '../errors/domain-error';
import { assertSameRequest, canonicalJson, requestFingerprint } from './fingerprint';

describe('request fingerprint', () => {
  it('ignores key order at every level, not values or array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe('{"a":{"c":null,"d":[2,1]},"b":1}');
    expect(requestFingerprint({ a: 1, b: { c: 2, d: 3 } })).toBe(requestFingerprint({ b: { d: 3, c: 2 }, a: 1 }));
    expect(requestFingerprint({ a: [1, 2] })).not.toBe(requestFingerprint({ a: [2, 1] }));
    expect(requestFingerprint({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses another request under the same key, replays the same (and legacy rows without one)', () => {
    const fp = requestFingerprint({ orderId: 'x' });
    expect(() => assertSameRequest(fp, fp)).not.toThrow();
    expect(() => assertSameRequest(null, fp)).not.toThrow();
    expect(() => assertSameRequest(requestFingerprint({ orderId: 'y' }), fp)).toThrow(DomainError);
  });
});
