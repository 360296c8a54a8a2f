import 'reflect-metadata';
import { bootstrapService, PlatformConfig } from '@app/platform';
import { RefundsAppModule } from './app.module';

void bootstrapService('refunds', PlatformConfig, (c) => RefundsAppModule.forRoot(c));
