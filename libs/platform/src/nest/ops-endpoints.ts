import { timingSafeEqual, createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** Paths for operators, not tenants: Prometheus metrics and the OpenAPI UI/JSON. */
export const OPS_PATHS = /^\/(metrics|docs(-json|-yaml)?)(\/|$|\?)/;

const isLoopback = (address: string | undefined) => !!address && (/^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address));
const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Guards /metrics and /docs. With METRICS_TOKEN set they need
 * `Authorization: Bearer <METRICS_TOKEN>` (Prometheus: `authorization:
 * credentials`); without it they answer loopback callers only (the socket's
 * address, never X-Forwarded-For), so a bare deployment does not publish
 * them. Everything else passes through.
 */
export function opsEndpointsGuard(token: string | undefined) {
  const want = token ? digest(token) : undefined;
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!OPS_PATHS.test(req.url)) return next();
    if (want) {
      const h = req.headers.authorization ?? '';
      if (h.startsWith('Bearer ') && timingSafeEqual(digest(h.slice(7)), want)) return next();
      res.setHeader('WWW-Authenticate', 'Bearer realm="ops"');
      res.status(401).json({ statusCode: 401, error: 'UNAUTHENTICATED', message: 'this endpoint needs Authorization: Bearer <METRICS_TOKEN>' });
      return;
    }
    if (isLoopback(req.socket.remoteAddress)) return next();
    res.status(403).json({ statusCode: 403, error: 'FORBIDDEN', message: 'served to loopback only; set METRICS_TOKEN to reach it from elsewhere' });
  };
}
