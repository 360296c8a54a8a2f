import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DataSource } from 'typeorm';
import type { Request } from 'express';
import { AUTH_AUDIENCE as AUDIENCE, DomainError, ErrorCode } from '@app/platform';
import { SupplierAuthenticator } from '../supplier-api/supplier-auth';
import { parseApiKey, secretMatches } from './keys';

export interface TenantPrincipal {
  kind: 'tenant';
  tenantId: string;
  role: 'TENANT' | 'OPS';
}

export interface SupplierPrincipal {
  kind: 'supplier';
  tenantId: string;
  supplierId: string;
}

type Principal = TenantPrincipal | SupplierPrincipal;

/** Told on every 401 of a tenant or ops route: a newcomer's first call usually lacks the key. */
export const API_KEY_HINT =
  'Send "Authorization: Bearer <key>". POST /tenants (no key needed) returns apiKey for the tenant routes and opsApiKey for /ops, once; see README "Using it".';

/** Which keys an endpoint takes: tenant/ops keys (default) or supplier callback keys. */
export const ForSuppliers = () => SetMetadata(AUDIENCE, 'supplier');
export { Public } from '@app/platform';

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7);
  const k = req.headers['x-api-key'];
  return typeof k === 'string' ? k : undefined;
}

/** Resolves the caller from its API key; every query below is then scoped to that tenant. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly ds: DataSource, private readonly reflector: Reflector, private readonly suppliers: SupplierAuthenticator) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const audience = this.reflector.getAllAndOverride<string>(AUDIENCE, [ctx.getHandler(), ctx.getClass()]) ?? 'tenant';
    if (audience === 'public') return true;
    const req = ctx.switchToHttp().getRequest<Request & { principal?: Principal }>();
    // Suppliers sign their calls (Standard Webhooks) or send their callback key.
    if (audience === 'supplier') {
      req.principal = await this.suppliers.authenticate(req);
      return true;
    }
    const raw = bearer(req);
    const key = raw ? parseApiKey(raw) : undefined;
    if (!key) throw new DomainError(ErrorCode.Unauthenticated, 'missing or malformed API key', { hint: API_KEY_HINT });
    if (key.kind === 'sk') throw new DomainError(ErrorCode.Unauthenticated, 'a tenant API key is required', { hint: API_KEY_HINT });
    const [k] = await this.ds.query(`SELECT tenant_id, role, hash FROM api_keys WHERE prefix = $1 AND revoked_at IS NULL`, [key.prefix]);
    if (!k || !secretMatches(key.secret, k.hash)) throw new DomainError(ErrorCode.Unauthenticated, 'invalid API key', { hint: API_KEY_HINT });
    req.principal = { kind: 'tenant', tenantId: k.tenant_id, role: k.role };
    return true;
  }
}

export const CurrentTenant = createParamDecorator((_: unknown, ctx: ExecutionContext): TenantPrincipal => {
  const p = ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal;
  if (p?.kind !== 'tenant') throw new DomainError(ErrorCode.Unauthenticated, 'tenant key required', { hint: API_KEY_HINT });
  return p;
});

export const CurrentSupplier = createParamDecorator((_: unknown, ctx: ExecutionContext): SupplierPrincipal => {
  const p = ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal;
  if (p?.kind !== 'supplier') throw new DomainError(ErrorCode.Unauthenticated, 'supplier key required');
  return p;
});
