import { ArgumentsHost, BadRequestException, Catch, ExceptionFilter, HttpException, INestApplication, SetMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import type { IncomingMessage } from 'http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Response } from 'express';
import { describeErrors } from '@app/contracts';
import helmet from 'helmet';
import { DomainError, ErrorCode } from '../errors/domain-error';
import type { PlatformConfig } from '../config/platform-config';
import { opsEndpointsGuard } from './ops-endpoints';
import { PLATFORM_CONFIG } from './tokens';

const STATUS: Record<ErrorCode, number> = {
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Invalid]: 400,
  [ErrorCode.Conflict]: 409,
  [ErrorCode.PolicyViolation]: 422,
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.Gone]: 410,
  [ErrorCode.IdempotencyKeyReused]: 422,
};

export const AUTH_AUDIENCE = 'auth:audience';
/** Marks a route or controller as needing no API key (health, metrics, sign-up). */
export const Public = () => SetMetadata(AUTH_AUDIENCE, 'public');

/** Maps domain errors to HTTP; the domain never throws HTTP exceptions itself. */
@Catch(DomainError)
export class DomainErrorFilter implements ExceptionFilter {
  catch(err: DomainError, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const status = STATUS[err.code];
    res.status(status).json({ statusCode: status, error: err.code, message: err.message, ...(err.details ?? {}) });
  }
}

/** 400 naming every bad field, e.g. `lines.0.quantity: quantity must not be less than 1`. */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors: ValidationError[]) => {
      const messages = describeErrors(errors);
      const fields = [...new Set(messages.map((m) => m.split(':')[0]))];
      return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: messages, fields });
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
  app.useGlobalPipes(strictValidationPipe());
  app.useGlobalFilters(new DomainErrorFilter());
  app.enableShutdownHooks();
}

export { HttpException };
