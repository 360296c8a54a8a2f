import { DynamicModule, Module } from '@nestjs/common';
import { Clock, PlatformModule } from '@app/platform';
import { SuppliersConfig, SuppliersModule } from '@app/suppliers';

/** Sends signed webhooks to suppliers and reports delivery outcomes. */
@Module({})
export class SuppliersAppModule {
  static forRoot(config: SuppliersConfig, clock?: Clock): DynamicModule {
    return { module: SuppliersAppModule, imports: [PlatformModule.forService({ service: 'suppliers', config, clock }), SuppliersModule] };
  }
}
