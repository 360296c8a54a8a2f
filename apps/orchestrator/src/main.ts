import 'reflect-metadata';
import { bootstrapService, PlatformConfig } from '@app/platform';
import { OrchestratorAppModule } from './app.module';

void bootstrapService('orchestrator', PlatformConfig, (c) => OrchestratorAppModule.forRoot(c));
