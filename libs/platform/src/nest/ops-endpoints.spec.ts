import type { Request, Response } from 'express';
import { opsEndpointsGuard } from './ops-endpoints';

function call(guard: ReturnType<typeof opsEndpointsGuard>, url: string, from: string, authorization?: string) {
  let status = 0;
  let passed = false;
  const res = { setHeader: () => res, status: (s: number) => { status = s; return res; }, json: () => res } as unknown as Response;
  guard({ url, headers: { authorization }, socket: { remoteAddress: from } } as unknown as Request, res, () => { passed = true; });
  return passed ? 'next' : status;
}

describe('/metrics and /docs guard', () => {
  it('without METRICS_TOKEN: loopback callers only', () => {
    const g = opsEndpointsGuard(undefined);
    expect(call(g, '/metrics', '127.0.0.1')).toBe('next');
    expect(call(g, '/docs', '::1')).toBe('next');
    expect(call(g, '/docs-json', '::ffff:127.0.0.1')).toBe('next');
    expect(call(g, '/metrics', '10.0.0.5')).toBe(403);
    expect(call(g, '/docs/swagger-ui-init.js', '203.0.113.9')).toBe(403);
    expect(call(g, '/docs-json', '203.0.113.9')).toBe(403);
    expect(call(g, '/tenants', '203.0.113.9')).toBe('next'); // the API itself is not concerned
    expect(call(g, '/docsx', '203.0.113.9')).toBe('next');
  });

  it('with METRICS_TOKEN: the bearer token, from anywhere (loopback too)', () => {
    const g = opsEndpointsGuard('m3tr1cs-token-0123456789');
    expect(call(g, '/metrics', '10.0.0.5', 'Bearer m3tr1cs-token-0123456789')).toBe('next');
    expect(call(g, '/metrics', '127.0.0.1')).toBe(401);
    expect(call(g, '/metrics', '10.0.0.5', 'Bearer wrong')).toBe(401);
    expect(call(g, '/docs', '10.0.0.5', 'Bearer m3tr1cs-token-0123456789')).toBe('next');
  });
});
