import { Controller, Get, Injectable, Param } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SupplierPolicy, TenantPolicy } from '@app/contracts';
import { notFound, ParseUuid } from '@app/platform';
import { alignPolicies, PolicyGap } from '@app/returns';
import { CurrentTenant, TenantPrincipal } from '../auth/auth.guard';

export interface SupplierAlignment {
  supplierId: string;
  supplierName: string;
  supplierPolicyVersion: number;
  tenantPolicyVersion: number;
  gaps: PolicyGap[];
}

/**
 * The gaps between the tenant's promise and each linked supplier's policy,
 * both at the versions in force: asked for when a supplier is linked or any
 * policy changes, so the tenant sees the cost that will be theirs.
 */
@Injectable()
export class PolicyAlignment {
  constructor(private readonly ds: DataSource) {}

  /** Every linked supplier, by name. */
  async forTenant(tenantId: string): Promise<SupplierAlignment[]> {
    return this.load(tenantId);
  }

  async forSupplier(tenantId: string, supplierId: string): Promise<SupplierAlignment> {
    const [one] = await this.load(tenantId, supplierId);
    if (!one) throw notFound('supplier');
    return one;
  }

  private async load(tenantId: string, supplierId?: string): Promise<SupplierAlignment[]> {
    const rows: { id: string; name: string; supplier_version: number; supplier_policy: object; tenant_version: number; tenant_policy: object }[] = await this.ds.query(
      `SELECT s.id, s.name, s.policy_version AS supplier_version, sp.policy AS supplier_policy, t.policy_version AS tenant_version, tp.policy AS tenant_policy
       FROM suppliers s
       JOIN supplier_policies sp ON sp.supplier_id = s.id AND sp.version = s.policy_version
       JOIN tenants t ON t.id = s.tenant_id
       JOIN tenant_policies tp ON tp.tenant_id = t.id AND tp.version = t.policy_version
       WHERE s.tenant_id = $1 AND ($2::uuid IS NULL OR s.id = $2::uuid)
       ORDER BY s.name, s.id`,
      [tenantId, supplierId ?? null],
    );
    return rows.map((r) => ({
      supplierId: r.id,
      supplierName: r.name,
      supplierPolicyVersion: r.supplier_version,
      tenantPolicyVersion: r.tenant_version,
      // stored policies are plain JSON: defaults fill fields added since they were saved
      gaps: alignPolicies(Object.assign(new TenantPolicy(), r.tenant_policy), Object.assign(new SupplierPolicy(), r.supplier_policy)),
    }));
  }
}

@Controller()
export class PolicyAlignmentController {
  constructor(private readonly alignment: PolicyAlignment) {}

  /** Gaps between the tenant policy and this supplier's policy in force. */
  @Get('suppliers/:id/alignment')
  supplier(@CurrentTenant() t: TenantPrincipal, @Param('id', ParseUuid) id: string) {
    return this.alignment.forSupplier(t.tenantId, id);
  }

  /** Gaps against every linked supplier. */
  @Get('tenant/alignment')
  all(@CurrentTenant() t: TenantPrincipal) {
    return this.alignment.forTenant(t.tenantId);
  }
}
