import { DynamicModule, Module } from '@nestjs/common';
import { Clock, PlatformConfig, PlatformModule } from '@app/platform';
import { OrchestratorModule } from '@app/sagas';

/** Runs one saga per return, driven by Kafka messages and persisted deadlines. */
@Module({})
export class OrchestratorAppModule {
  static forRoot(config: PlatformConfig, clock?: Clock): DynamicModule {
    return { module: OrchestratorAppModule, imports: [PlatformModule.forService({ service: 'orchestrator', config, clock }), OrchestratorModule] };
  }
}
