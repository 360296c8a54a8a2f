import { Body, Controller, Get, Inject, Injectable, Optional, Post, Put } from '@nestjs/common';
import { Transform, Type } from 'class-transformer';
import { IsEmail, IsObject, IsOptional, IsString, IsUrl, Length, MaxLength, ValidateNested } from 'class-validator';
import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { IsCurrencyCode, MaxLen, TenantPolicy, upperCase } from '@app/contracts';
import { AllowList, DomainError, ErrorCode, HOST_RESOLVER, HostResolver, PLATFORM_CONFIG, SecretBox, secretContext, SsrfRefused, systemResolver } from '@app/platform';
import { assertStoreUrl } from '@app/refunds';
import { ApiConfig } from '../config';
import { CurrentTenant, Public, TenantPrincipal } from '../auth/auth.guard';
import { newApiKey } from '../auth/keys';
import { PolicyAlignment } from '../policies/policy-alignment';
import { PolicyBounds } from '../policies/policy-bounds';

export class StoreConnectionDto {
  /** The shop's origin, https://<shop>.myshopify.com (checked further at sign-up: docs/security.md) */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] }) @MaxLength(MaxLen.url) url!: string;
  @IsString() @Length(1, MaxLen.secret) accessToken!: string;
}

export class CreateTenantDto {
  @IsString() @Length(1, 200) name!: string;
  @IsString() @Length(1, 200) brandName!: string;
  @IsEmail() @MaxLength(MaxLen.email) senderEmail!: string;
  /** ISO 4217 currency the shop keeps its books in. */
  @Transform(upperCase) @IsCurrencyCode() shopCurrency!: string;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => StoreConnectionDto) store?: StoreConnectionDto;
  @IsOptional() @IsObject() @ValidateNested() @Type(() => TenantPolicy) policy?: TenantPolicy;
}

@Injectable()
export class TenantsService {
  private readonly storeAllow: AllowList;

  constructor(
    private readonly ds: DataSource,
    private readonly secrets: SecretBox,
    private readonly bounds: PolicyBounds,
    @Inject(PLATFORM_CONFIG) config: ApiConfig,
    @Optional() @Inject(HOST_RESOLVER) private readonly resolver: HostResolver = systemResolver,
  ) {
    this.storeAllow = AllowList.parse(config.STORE_ALLOW_HOSTS);
  }

  async create(dto: CreateTenantDto) {
    if (dto.store) {
      // The store token is sent to this URL at every refund: it must be the shop, never an inside address.
      try {
        await assertStoreUrl(dto.store.url, this.storeAllow, this.resolver);
      } catch (err) {
        if (err instanceof SsrfRefused) throw new DomainError(ErrorCode.Invalid, `store.url ${err.message}`, { fields: ['store.url'] });
        throw err;
      }
    }
    const id = randomUUID();
    const tenantKey = newApiKey('rk');
    const opsKey = newApiKey('ops');
    const policy = Object.assign(new TenantPolicy(), dto.policy ?? {});
    this.bounds.assert({ tenant: policy });
    await this.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO tenants (id, name, brand_name, sender_email, shop_currency, store_url, store_access_token) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, dto.name, dto.brandName, dto.senderEmail, dto.shopCurrency, dto.store?.url ?? null, dto.store ? this.secrets.seal(dto.store.accessToken, secretContext.storeToken(id)) : null],
      );
      await m.query(`INSERT INTO tenant_policies (tenant_id, version, policy) VALUES ($1, 1, $2)`, [id, JSON.stringify(policy)]);
      await m.query(`INSERT INTO api_keys (id, tenant_id, role, prefix, hash) VALUES ($1, $2, 'TENANT', $3, $4), ($5, $2, 'OPS', $6, $7)`,
        [randomUUID(), id, tenantKey.prefix, tenantKey.hash, randomUUID(), opsKey.prefix, opsKey.hash]);
    });
    return { tenantId: id, apiKey: tenantKey.key, opsApiKey: opsKey.key, policyVersion: 1, policy };
  }

  async policy(tenantId: string): Promise<{ version: number; policy: TenantPolicy }> {
    const [row] = await this.ds.query(
      `SELECT p.version, p.policy FROM tenants t JOIN tenant_policies p ON p.tenant_id = t.id AND p.version = t.policy_version WHERE t.id = $1`,
      [tenantId],
    );
    return { version: row.version, policy: Object.assign(new TenantPolicy(), row.policy) };
  }

  /** A new version; cases already open keep the version they started under. */
  async updatePolicy(tenantId: string, policy: TenantPolicy) {
    this.bounds.assert({ tenant: policy });
    return this.ds.transaction(async (m) => {
      // UPDATE … RETURNING comes back as [rows, affected]
      const [[{ policy_version }]] = await m.query(`UPDATE tenants SET policy_version = policy_version + 1 WHERE id = $1 RETURNING policy_version`, [tenantId]);
      await m.query(`INSERT INTO tenant_policies (tenant_id, version, policy) VALUES ($1, $2, $3)`, [tenantId, policy_version, JSON.stringify(policy)]);
      return { version: policy_version as number, policy };
    });
  }
}

@Controller()
export class TenantsController {
  constructor(private readonly tenants: TenantsService, private readonly alignment: PolicyAlignment) {}

  /** Sign-up: creates a tenant with a tenant key and an ops key (shown once). */
  @Public() @Post('tenants')
  create(@Body() dto: CreateTenantDto) {
    return this.tenants.create(dto);
  }

  @Get('tenant/policy')
  getPolicy(@CurrentTenant() t: TenantPrincipal) {
    return this.tenants.policy(t.tenantId);
  }

  /** A new version, with the gaps it leaves against every linked supplier. */
  @Put('tenant/policy')
  async putPolicy(@CurrentTenant() t: TenantPrincipal, @Body() policy: TenantPolicy) {
    const updated = await this.tenants.updatePolicy(t.tenantId, policy);
    return { ...updated, alignment: await this.alignment.forTenant(t.tenantId) };
  }
}
