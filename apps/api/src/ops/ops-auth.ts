import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { DomainError, ErrorCode } from '@app/platform';
import { TenantPrincipal } from '../auth/auth.guard';
import { parseApiKey } from '../auth/keys';

/** Who is calling the ops API: the tenant, the key's role, and a name for the audit trail. */
export interface OpsCaller {
  tenantId: string;
  role: TenantPrincipal['role'];
  /** `Ana <ops_1a2b3c4d5e6f>`: the X-Ops-Actor name the console sends, and always the key prefix. */
  actor: string;
  /** The key's public name, e.g. `ops_1a2b3c4d5e6f`: what per-key caps count by. */
  keyName: string;
}

/**
 * Resolves the caller from the principal the ApiKeyGuard set. Tenant and ops
 * keys may read; only ops keys may act (see requireOps).
 */
export const Caller = createParamDecorator((_: unknown, ctx: ExecutionContext): OpsCaller => {
  const req = ctx.switchToHttp().getRequest<Request & { principal?: TenantPrincipal | { kind: 'supplier' } }>();
  const p = req.principal;
  if (p?.kind !== 'tenant') throw new DomainError(ErrorCode.Unauthenticated, 'a tenant or ops key is required');
  const raw = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : String(req.headers['x-api-key'] ?? '');
  const key = parseApiKey(raw);
  const keyName = key ? `${key.kind}_${key.prefix}` : 'unknown-key';
  const name = String(req.headers['x-ops-actor'] ?? '').replace(/[^\p{L}\p{N} .@'_-]/gu, '').trim().slice(0, 80);
  return { tenantId: p.tenantId, role: p.role, actor: name ? `${name} <${keyName}>` : keyName, keyName };
});

export function requireOps(caller: OpsCaller): void {
  if (caller.role !== 'OPS') throw new DomainError(ErrorCode.Forbidden, 'this action needs an ops key (role OPS); tenant keys may only read');
}
