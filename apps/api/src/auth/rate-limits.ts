import { ExecutionContext, Injectable, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { createHash } from 'crypto';
import type { Request } from 'express';
import { PLATFORM_CONFIG } from '@app/platform';
import { API_LIMITS, ApiConfig } from '../config';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function presentedKey(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7);
  const k = req.headers['x-api-key'];
  return typeof k === 'string' ? k : undefined;
}

const isSignUp = (req: Request) => req.method === 'POST' && req.path === '/tenants';

/**
 * Who a request counts against: the API key it presents (tenant, ops or
 * supplier callback key), a signed supplier call's link id, or, for the
 * anonymous sign-up, the client address. Anything else (health, metrics, the
 * console's files) is not limited here.
 */
export function rateTracker(req: Request): string | undefined {
  if (isSignUp(req)) return `ip:${req.ip}`;
  const key = presentedKey(req);
  if (key) return `key:${sha(key)}`;
  const supplier = req.headers['x-supplier-id'];
  if (typeof supplier === 'string' && req.headers['webhook-signature']) return `supplier:${supplier}`;
  return undefined;
}

/**
 * Rate limits (issue 10): per key and per IP for sign-up, a fixed window
 * counted in this process (each api instance counts its own). Over the limit:
 * 429 with Retry-After (seconds).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected async shouldSkip(ctx: ExecutionContext): Promise<boolean> {
    return ctx.getType() !== 'http' || rateTracker(ctx.switchToHttp().getRequest<Request>()) === undefined;
  }
}

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [PLATFORM_CONFIG],
      useFactory: (c: ApiConfig) => {
        const windowMs = (c.RATE_LIMIT_WINDOW_SECONDS ?? API_LIMITS.RATE_LIMIT_WINDOW_SECONDS) * 1000;
        return {
          throttlers: [{
            name: 'default',
            ttl: windowMs,
            limit: (ctx: ExecutionContext) => isSignUp(ctx.switchToHttp().getRequest<Request>())
              ? c.RATE_LIMIT_SIGNUPS_PER_IP ?? API_LIMITS.RATE_LIMIT_SIGNUPS_PER_IP
              : c.RATE_LIMIT_PER_KEY ?? API_LIMITS.RATE_LIMIT_PER_KEY,
          }],
          getTracker: (req: Record<string, unknown>) => rateTracker(req as unknown as Request)!,
          // One counter per caller across every route (the default counts each route apart).
          generateKey: (_ctx: ExecutionContext, tracker: string) => tracker,
          errorMessage: 'rate limit exceeded: retry after the number of seconds in Retry-After',
        };
      },
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: RateLimitGuard }],
})
export class RateLimitModule {}
