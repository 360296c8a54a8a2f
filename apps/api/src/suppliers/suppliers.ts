import { Body, Controller, Get, Injectable, Param, Post, Put } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsObject, IsString, IsUrl, Length, MaxLength, ValidateNested } from 'class-validator';
import { randomUUID } from 'crypto';
import { DataSource } from 'typeorm';
import { MaxLen, SupplierPolicy } from '@app/contracts';
import { notFound, ParseUuid, SecretBox, secretContext } from '@app/platform';
import { alignPolicies, PolicyGap } from '@app/returns';
import { CurrentTenant, TenantPrincipal } from '../auth/auth.guard';
import { newApiKey, newSigningSecret } from '../auth/keys';
import { TenantsService } from '../tenancy/tenants';
import { WebhookUrlPolicy } from './webhook-url-policy';
import { PolicyBounds } from '../policies/policy-bounds';

export class WebhookUrlDto {
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) @MaxLength(MaxLen.url) webhookUrl!: string;
}

export class LinkSupplierDto {
  @IsString() @Length(1, 200) name!: string;
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true }) @MaxLength(MaxLen.url) webhookUrl!: string;
  @IsObject() @ValidateNested() @Type(() => SupplierPolicy) policy!: SupplierPolicy;
}

@Injectable()
export class SupplierLinks {
  constructor(private readonly ds: DataSource, private readonly tenants: TenantsService, private readonly urls: WebhookUrlPolicy, private readonly secrets: SecretBox, private readonly bounds: PolicyBounds) {}

  /** Links a supplier: its signing secret and callback key are returned once. */
  async link(tenantId: string, dto: LinkSupplierDto) {
    const policy = Object.assign(new SupplierPolicy(), dto.policy);
    this.bounds.assert({ supplier: policy });
    await this.urls.assertAllowed(dto.webhookUrl);
    const id = randomUUID();
    const secret = newSigningSecret();
    const key = newApiKey('sk');
    await this.ds.transaction(async (m) => {
      await m.query(
        `INSERT INTO suppliers (id, tenant_id, name, webhook_url, signing_secret, callback_key_prefix, callback_key_hash) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, tenantId, dto.name, dto.webhookUrl, this.secrets.seal(secret, secretContext.signingSecret(id)), key.prefix, key.hash],
      );
      await m.query(`INSERT INTO supplier_policies (supplier_id, version, policy) VALUES ($1, 1, $2)`, [id, JSON.stringify(policy)]);
    });
    return { id, name: dto.name, webhookUrl: dto.webhookUrl, signingSecret: secret, callbackApiKey: key.key, policyVersion: 1, gaps: await this.gaps(tenantId, policy) };
  }

  /** Points the link at a new endpoint (checked like at registration); pending retries go to it. */
  async updateWebhookUrl(tenantId: string, supplierId: string, dto: WebhookUrlDto) {
    await this.urls.assertAllowed(dto.webhookUrl);
    const [rows] = await this.ds.query(`UPDATE suppliers SET webhook_url = $3 WHERE id = $1 AND tenant_id = $2 RETURNING id`, [supplierId, tenantId, dto.webhookUrl]);
    if (!rows.length) throw notFound('supplier');
    return { id: supplierId, webhookUrl: dto.webhookUrl };
  }

  async updatePolicy(tenantId: string, supplierId: string, policy: SupplierPolicy) {
    this.bounds.assert({ supplier: policy });
    const version = await this.ds.transaction(async (m) => {
      const rows = await m.query(`UPDATE suppliers SET policy_version = policy_version + 1 WHERE id = $1 AND tenant_id = $2 RETURNING policy_version`, [supplierId, tenantId]);
      if (!rows[0].length) throw notFound('supplier');
      const v = rows[0][0].policy_version as number;
      await m.query(`INSERT INTO supplier_policies (supplier_id, version, policy) VALUES ($1, $2, $3)`, [supplierId, v, JSON.stringify(policy)]);
      return v;
    });
    return { id: supplierId, policyVersion: version, policy, gaps: await this.gaps(tenantId, policy) };
  }

  async get(tenantId: string, supplierId: string) {
    const [s] = await this.ds.query(
      `SELECT s.id, s.name, s.webhook_url, s.policy_version, p.policy FROM suppliers s
       JOIN supplier_policies p ON p.supplier_id = s.id AND p.version = s.policy_version WHERE s.id = $1 AND s.tenant_id = $2`,
      [supplierId, tenantId],
    );
    if (!s) throw notFound('supplier');
    return { id: s.id, name: s.name, webhookUrl: s.webhook_url, policyVersion: s.policy_version, policy: s.policy, gaps: await this.gaps(tenantId, s.policy) };
  }

  private async gaps(tenantId: string, supplier: SupplierPolicy): Promise<PolicyGap[]> {
    const { policy } = await this.tenants.policy(tenantId);
    return alignPolicies(policy, Object.assign(new SupplierPolicy(), supplier));
  }
}

@Controller('suppliers')
export class SuppliersController {
  constructor(private readonly links: SupplierLinks) {}

  @Post()
  link(@CurrentTenant() t: TenantPrincipal, @Body() dto: LinkSupplierDto) {
    return this.links.link(t.tenantId, dto);
  }

  @Get(':id')
  get(@CurrentTenant() t: TenantPrincipal, @Param('id', ParseUuid) id: string) {
    return this.links.get(t.tenantId, id);
  }

  @Put(':id/webhook')
  putWebhook(@CurrentTenant() t: TenantPrincipal, @Param('id', ParseUuid) id: string, @Body() dto: WebhookUrlDto) {
    return this.links.updateWebhookUrl(t.tenantId, id, dto);
  }

  @Put(':id/policy')
  putPolicy(@CurrentTenant() t: TenantPrincipal, @Param('id', ParseUuid) id: string, @Body() policy: SupplierPolicy) {
    return this.links.updatePolicy(t.tenantId, id, policy);
  }
}
