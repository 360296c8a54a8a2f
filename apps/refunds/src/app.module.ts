import { DynamicModule, Module } from '@nestjs/common';
import { Clock, PlatformConfig, PlatformModule } from '@app/platform';
import { RefundsModule } from '@app/refunds';

/** Pays customers back through the store (Shopify), exactly once per refund id. */
@Module({})
export class RefundsAppModule {
  static forRoot(config: PlatformConfig, clock?: Clock): DynamicModule {
    return { module: RefundsAppModule, imports: [PlatformModule.forService({ service: 'refunds', config, clock }), RefundsModule] };
  }
}
