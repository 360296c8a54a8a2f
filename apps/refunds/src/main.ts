import 'reflect-metadata';
import { bootstrapService } from '@app/platform';
import { RefundsConfig } from '@app/refunds';
import { RefundsAppModule } from './app.module';

void bootstrapService('refunds', RefundsConfig, (c) => RefundsAppModule.forRoot(c));
