import 'reflect-metadata';
import { bootstrapService } from '@app/platform';
import { SuppliersConfig } from '@app/suppliers';
import { SuppliersAppModule } from './app.module';

void bootstrapService('suppliers', SuppliersConfig, (c) => SuppliersAppModule.forRoot(c));
