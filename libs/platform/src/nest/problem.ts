import { applyDecorators, ArgumentsHost, ArgumentMetadata, Catch, ExceptionFilter, HttpException, Injectable, Logger, PipeTransform } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath, OpenAPIObject } from '@nestjs/swagger';
import { isUUID } from 'class-validator';
import type { NextFunction, Request, Response } from 'express';
import { STATUS_CODES } from 'http';
import { DomainError, ErrorCode } from '../errors/domain-error';

/** RFC 9457 media type of every error answer. */
export const PROBLEM_JSON = 'application/problem+json';

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

const TITLE: Record<ErrorCode, string> = {
  [ErrorCode.NotFound]: 'Not found',
  [ErrorCode.Invalid]: 'Invalid request',
  [ErrorCode.Conflict]: 'Conflict',
  [ErrorCode.PolicyViolation]: 'Refused by policy',
  [ErrorCode.Unauthenticated]: 'Not authenticated',
  [ErrorCode.Forbidden]: 'Forbidden',
  [ErrorCode.Gone]: 'Gone',
  [ErrorCode.IdempotencyKeyReused]: 'Idempotency-Key reused with another request',
};

/** HTTP statuses that mean one of our codes, so `code` is the same whoever refused (a guard, a pipe, the router). */
// (422 stays POLICY_VIOLATION: IDEMPOTENCY_KEY_REUSED is only ever raised by name.)
const CODE_OF_STATUS: Record<number, ErrorCode> = Object.fromEntries(
  Object.entries(STATUS).filter(([code]) => code !== ErrorCode.IdempotencyKeyReused).map(([code, status]) => [status, code as ErrorCode]),
);

/**
 * Problem types are tag URIs (RFC 4151), as RFC 9457 §3.1.1 allows: stable
 * identifiers that are not meant to be fetched. docs/api.md lists them.
 */
export const problemType = (code: string) => `tag:returns-orchestrator,2026:problem:${code.toLowerCase().replace(/_/g, '-')}`;

export class FieldErrorDto {
  @ApiProperty({ example: 'lines.0.quantity', description: 'Path of the refused field in the body (dots and array indexes), or the query parameter, path parameter or header name' })
  field!: string;

  @ApiProperty({ example: 'quantity must not be greater than 2147483647' })
  message!: string;
}

/** The body of every 4xx and 5xx answer (RFC 9457 problem details), served as application/problem+json. */
export class ProblemDetailsDto {
  @ApiProperty({ example: problemType('INVALID'), description: 'Identifies the kind of problem; one per `code` (see docs/api.md, "Errors")' })
  type!: string;

  @ApiProperty({ example: 'Invalid request', description: 'Short summary of the kind of problem; the same for every problem of a type' })
  title!: string;

  @ApiProperty({ example: 400, description: 'The HTTP status code' })
  status!: number;

  @ApiProperty({ example: 'lines.0.quantity: quantity must not be greater than 2147483647', description: 'What went wrong with this request, for a human' })
  detail!: string;

  @ApiPropertyOptional({ example: '/orders', description: 'The path of the request' })
  instance?: string;

  @ApiProperty({
    example: 'INVALID',
    description: 'Machine-readable kind: INVALID, NOT_FOUND, CONFLICT, POLICY_VIOLATION, IDEMPOTENCY_KEY_REUSED, UNAUTHENTICATED, FORBIDDEN, GONE, or the HTTP reason in upper snake case (PAYLOAD_TOO_LARGE, TOO_MANY_REQUESTS, INTERNAL_SERVER_ERROR…)',
  })
  code!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'On 400: every refused field with its reason' })
  errors?: FieldErrorDto[];

  @ApiPropertyOptional({ example: 'replayed', description: 'On some 401/422: why (e.g. the supplier authentication failure, or the policy rule)' })
  reason?: string;
}

/** Documents an error answer of a route: `status`, as application/problem+json with the ProblemDetailsDto schema. */
export const ApiProblem = (status: number | 'default', description: string) =>
  applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ApiResponse({ status, description, content: { [PROBLEM_JSON]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } } }),
  );

/**
 * Every operation of the document gets a `default` response: any error it
 * answers is problem details (routes document their specific statuses with
 * ApiProblem). Pass ProblemDetailsDto and FieldErrorDto as extraModels.
 */
export function withProblemResponses(doc: OpenAPIObject): OpenAPIObject {
  const ref = { $ref: getSchemaPath(ProblemDetailsDto) };
  for (const item of Object.values(doc.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const op = item[method];
      if (op && !op.responses.default) op.responses.default = { description: 'An error, as RFC 9457 problem details', content: { [PROBLEM_JSON]: { schema: ref } } };
    }
  }
  return doc;
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: string;
  errors?: { field: string; message: string }[];
  [extension: string]: unknown;
}

const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'errors', 'fields', 'message']);

const httpCode = (status: number) => CODE_OF_STATUS[status] ?? (STATUS_CODES[status] ?? 'Error').toUpperCase().replace(/[^A-Z]+/g, '_');

/** The problem document for any error: our domain errors, Nest's HTTP exceptions, body-parser errors, and anything else (500). */
export function toProblem(err: unknown, instance?: string): Problem {
  if (err instanceof DomainError) {
    const status = STATUS[err.code];
    const details = err.details ?? {};
    const errors = Array.isArray(details.errors)
      ? (details.errors as { field: string; message: string }[])
      : Array.isArray(details.fields)
        ? (details.fields as string[]).map((field) => ({ field, message: err.message }))
        : undefined;
    const extensions = Object.fromEntries(Object.entries(details).filter(([k]) => !RESERVED.has(k)));
    return { type: problemType(err.code), title: TITLE[err.code], status, detail: err.message, instance, code: err.code, ...(errors ? { errors } : {}), ...extensions };
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const body = err.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    const detail = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : err.message;
    // What else the exception says stays, e.g. which dependency a 503 of /health found down (terminus: info, error, details).
    const extensions = typeof body === 'object' && body !== null
      ? Object.fromEntries(Object.entries(body).filter(([k, v]) => !RESERVED.has(k) && k !== 'statusCode' && !(k === 'error' && typeof v === 'string')))
      : {};
    return { ...generic(status, detail, instance), ...extensions };
  }
  // body-parser and other http-errors: a client error with a message meant for the caller (413, 415, 400)
  const e = err as { status?: unknown; statusCode?: unknown; expose?: boolean; message?: string };
  const status = Number(e?.status ?? e?.statusCode);
  if (Number.isInteger(status) && status >= 400 && status < 500) return generic(status, e.expose && e.message ? e.message : STATUS_CODES[status] ?? 'client error', instance);
  return generic(500, 'something went wrong on our side; it has been logged', instance);
}

function generic(status: number, detail: string, instance?: string): Problem {
  const code = httpCode(status);
  const known = Object.values(ErrorCode).includes(code as ErrorCode);
  return { type: problemType(code), title: known ? TITLE[code as ErrorCode] : STATUS_CODES[status] ?? 'Error', status, detail, instance, code };
}

/**
 * One error format for the whole HTTP API: every 4xx and 5xx is RFC 9457
 * problem details, whoever raised it (use case, validation pipe, guard,
 * router, body parser). Unknown errors become a 500 that says nothing of the
 * internals; the error itself is logged.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly log = new Logger('http');

  catch(err: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw err;
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const problem = toProblem(err, (req.originalUrl ?? req.url ?? '').split('?')[0].slice(0, 2048) || undefined);
    if (problem.status >= 500) {
      const e = err as { message?: string; stack?: string } | undefined;
      this.log.error(`${req.method} ${problem.instance} failed: ${e?.message ?? String(err)}`, e?.stack);
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(problem.status).type(PROBLEM_JSON).send(JSON.stringify(problem));
  }
}

/** `@Param('id', ParseUuid)`: a 400 that names the path parameter, in the one error format. */
@Injectable()
export class ParseUuid implements PipeTransform<string, string> {
  transform(value: string, meta: ArgumentMetadata): string {
    const field = meta.data ?? 'id';
    if (!isUUID(value)) throw new DomainError(ErrorCode.Invalid, `${field}: must be a UUID`, { fields: [field] });
    return value;
  }
}

/** Deepest JSON a body may nest: ours need 4; deeper ones only serve to exhaust the stack of whatever walks them. */
export const MAX_BODY_DEPTH = 32;

/** Longest value of the headers we read; others are bounded by Node's 16 KB header limit. */
export const HEADER_MAX_LENGTH: Record<string, number> = { 'Idempotency-Key': 255, 'X-Ops-Actor': 200, 'X-Supplier-Id': 100 };

// A UTF-16 half without its other half: not Unicode, and Postgres refuses it in json/jsonb.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// Keys that reach an object's prototype when a library assigns them (class-transformer does): never a field of ours.
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function badText(s: string): string | undefined {
  if (s.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(s)) return 'must be valid Unicode (no lone surrogate)';
  return undefined;
}

/**
 * Finds the first thing in a parsed body or query that no handler should
 * see: nesting deeper than MAX_BODY_DEPTH (class-transformer and
 * class-validator recurse, and a 20,000-deep body overflowed the stack), a
 * NUL character or a lone surrogate (Postgres text and jsonb refuse both,
 * in values and keys alike), a prototype key (`__proto__`). Iterative, so the
 * check itself cannot overflow.
 */
export function inspectInput(root: unknown, label: 'body' | 'query'): { field: string; message: string } | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const bad = badText(value);
      if (bad) return { field: path || label, message: `${path || label} ${bad}` };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) return { field: path || label, message: `${label} nests deeper than ${MAX_BODY_DEPTH} levels` };
    for (const [k, v] of Object.entries(value)) {
      const child = path ? `${path}.${k}` : k;
      const bad = PROTOTYPE_KEYS.has(k) ? 'is not a field name we take' : badText(k);
      if (bad) return { field: child, message: `${child}: key ${bad}` };
      stack.push({ value: v, path: child, depth: depth + 1 });
    }
  }
  return undefined;
}

/** Express middleware run after the body parser: refuses bodies, queries and headers that fail inspectInput or a header limit (400). */
export function inputGuard(req: Request, _res: Response, next: NextFunction): void {
  for (const [name, max] of Object.entries(HEADER_MAX_LENGTH)) {
    const v = req.headers[name.toLowerCase()];
    const s = Array.isArray(v) ? v.join(',') : v;
    if (s !== undefined && s.length > max) return next(new DomainError(ErrorCode.Invalid, `${name}: at most ${max} characters`, { errors: [{ field: name, message: `${name} must be at most ${max} characters` }] }));
  }
  const bad = inspectInput(req.body, 'body') ?? inspectInput(req.query, 'query');
  if (bad) return next(new DomainError(ErrorCode.Invalid, bad.message, { errors: [bad] }));
  next();
}
