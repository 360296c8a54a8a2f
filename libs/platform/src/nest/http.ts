import { HttpException, INestApplication, SetMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import type { IncomingMessage } from 'http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { DomainError, ErrorCode } from '../errors/domain-error';
import type { PlatformConfig } from '../config/platform-config';
import { opsEndpointsGuard } from './ops-endpoints';
import { inputGuard, ProblemDetailsFilter } from './problem';
import { PLATFORM_CONFIG } from './tokens';

export * from './problem';

export const AUTH_AUDIENCE = 'auth:audience';
/** Marks a route or controller as needing no API key (health, metrics, sign-up). */
export const Public = () => SetMetadata(AUTH_AUDIENCE, 'public');

/** Every refused field with its reasons, depth first: `lines.0.quantity` → `quantity must not be less than 1`. */
export function fieldErrors(errors: ValidationError[], prefix = ''): { field: string; message: string }[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...fieldErrors(e.children ?? [], field)];
  });
}

/** 400 naming every bad field (problem details with `errors`), e.g. `lines.0.quantity: quantity must not be less than 1`. */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors: ValidationError[]) => {
      const list = fieldErrors(errors);
      const detail = list.length ? list.map((e) => `${e.field}: ${e.message}`).join('; ') : 'the request is not valid';
      return new DomainError(ErrorCode.Invalid, detail, { errors: list });
    },
  });
}

/** Common HTTP set-up of every service. */
export function configureHttp(app: INestApplication): void {
  const config = app.get<PlatformConfig>(PLATFORM_CONFIG, { strict: false });
  const express = app as NestExpressApplication;
  if (config.TRUST_PROXY) express.set('trust proxy', /^\d+$/.test(config.TRUST_PROXY) ? Number(config.TRUST_PROXY) : config.TRUST_PROXY);
  // Security headers on every answer (no X-Powered-By); pages that need more (the console) set their own CSP.
  express.use(helmet({
    contentSecurityPolicy: { useDefaults: true, directives: { 'upgrade-insecure-requests': null } },
    crossOriginEmbedderPolicy: false,
  }));
  express.use(opsEndpointsGuard(config.METRICS_TOKEN || undefined));
  // JSON bodies keep their raw bytes as req.rawBody: signed supplier callbacks are verified over exactly what was sent.
  (app as NestExpressApplication).useBodyParser('json', { verify: (req: IncomingMessage & { rawBody?: Buffer }, _res: unknown, buf: Buffer) => { req.rawBody = buf; } });
  // Before any pipe walks the body: depth, NUL and header limits (400 naming the field).
  app.use(inputGuard);
  app.useGlobalPipes(strictValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();
}

export { HttpException };
