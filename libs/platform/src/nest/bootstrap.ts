import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, loadConfig } from '../config/load-config';
import { PlatformConfig } from '../config/platform-config';
import { createLogger, NestPinoLogger } from '../logging/logger';
import { configureHttp } from './http';

/**
 * Boots one service: validates the environment (exiting with every bad
 * variable named), builds its module, serves /health and /metrics.
 */
export async function bootstrapService<C extends PlatformConfig>(
  service: string,
  configClass: new () => C,
  moduleFor: (config: C) => DynamicModule,
  setup?: (app: INestApplication, config: C) => void | Promise<void>,
): Promise<INestApplication> {
  let config: C;
  try {
    config = loadConfig(configClass);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${service}: ${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const app = await NestFactory.create(moduleFor(config), { logger: new NestPinoLogger(createLogger(service, config.LOG_LEVEL)), bufferLogs: false });
  configureHttp(app);
  await setup?.(app, config);
  await app.listen(config.HTTP_PORT, config.HTTP_HOST);
  return app;
}
