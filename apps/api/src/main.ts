import 'reflect-metadata';
import { bootstrapService } from '@app/platform';
import { ApiModule } from './app.module';
import { ApiConfig } from './config';
import { setupOpenApi } from './openapi';

void bootstrapService('api', ApiConfig, (c) => ApiModule.forRoot(c), (app) => setupOpenApi(app));
