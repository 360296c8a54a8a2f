import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { Clock, PlatformModule } from '@app/platform';
import { ApiKeyGuard } from './auth/auth.guard';
import { RateLimitModule } from './auth/rate-limits';
import { ApiConfig } from './config';
import { OrdersController, OrdersService } from './orders/orders';
import { OpsModule } from './ops/ops.module';
import { CaseView } from './returns/case-view';
import { ReportReturn } from './returns/report-return';
import { ReturnsController } from './returns/returns.controller';
import { ReturnTrackingModule } from './returns/track-return';
import { SupplierApiModule } from './supplier-api/supplier-api.module';
import { RotateSigningSecret } from './suppliers/rotate-secret';
import { SupplierWebhooksController } from './suppliers/supplier-webhooks.controller';
import { SupplierLinks, SuppliersController } from './suppliers/suppliers';
import { SupplierWebhooks } from './suppliers/webhook-deliveries';
import { WebhookUrlPolicy } from './suppliers/webhook-url-policy';
import { TenantsController, TenantsService } from './tenancy/tenants';
import { PolicyAlignment, PolicyAlignmentController } from './policies/policy-alignment';
import { PolicyBounds } from './policies/policy-bounds';
import { LedgerExport } from './reports/ledger-export';
import { RecoveryReport } from './reports/recovery-report';
import { ReportsController } from './reports/reports.controller';
import { TenantTemplates, TenantTemplatesController } from './templates/tenant-templates';

/** HTTP for tenants, ops and suppliers. Writes go through the outbox; nothing calls another service directly. */
@Module({})
export class ApiModule {
  static forRoot(config: ApiConfig, clock?: Clock): DynamicModule {
    return {
      module: ApiModule,
      // RateLimitModule first: its guard runs before the key lookup.
      imports: [PlatformModule.forService({ service: 'api', config, clock }), RateLimitModule, OpsModule, ReturnTrackingModule, SupplierApiModule],
      controllers: [TenantsController, SuppliersController, OrdersController, ReturnsController, SupplierWebhooksController, PolicyAlignmentController, ReportsController, TenantTemplatesController],
      providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }, TenantsService, SupplierLinks, OrdersService, ReportReturn, CaseView, WebhookUrlPolicy, RotateSigningSecret, SupplierWebhooks, PolicyAlignment, PolicyBounds, LedgerExport, RecoveryReport, TenantTemplates],
    };
  }
}
