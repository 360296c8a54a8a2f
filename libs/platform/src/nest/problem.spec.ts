import { BadRequestException, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { inspectInput, MAX_BODY_DEPTH, toProblem } from './problem';

describe('problem details (RFC 9457)', () => {
  it('a domain error: its status, a type and title per code, field errors, extensions', () => {
    const p = toProblem(new DomainError(ErrorCode.Invalid, 'cursor: not a cursor', { fields: ['cursor'], matched: '>1000' }), '/ops/cases');
    expect(p).toEqual({
      type: 'tag:returns-orchestrator,2026:problem:invalid', title: 'Invalid request', status: 400, detail: 'cursor: not a cursor', instance: '/ops/cases', code: 'INVALID',
      errors: [{ field: 'cursor', message: 'cursor: not a cursor' }], matched: '>1000',
    });
    expect(toProblem(new DomainError(ErrorCode.PolicyViolation, 'late', { reason: 'late' }))).toMatchObject({ status: 422, code: 'POLICY_VIOLATION', reason: 'late' });
  });

  it('extensions never overwrite a standard member', () => {
    const p = toProblem(new DomainError(ErrorCode.Conflict, 'busy', { status: 'PENDING', type: 'x', title: 'y' }));
    expect(p).toMatchObject({ status: 409, type: 'tag:returns-orchestrator,2026:problem:conflict', title: 'Conflict' });
  });

  it('Nest HTTP exceptions and body-parser errors keep their status with the same shape', () => {
    expect(toProblem(new NotFoundException('Cannot GET /x'))).toMatchObject({ status: 404, code: 'NOT_FOUND', detail: 'Cannot GET /x' });
    expect(toProblem(new BadRequestException(['a', 'b']))).toMatchObject({ status: 400, code: 'INVALID', detail: 'a; b' });
    expect(toProblem(Object.assign(new Error('request entity too large'), { status: 413, expose: true }))).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', title: 'Payload Too Large' });
  });

  it('keeps what else an HTTP exception says, e.g. which dependency /health found down', () => {
    const health = new ServiceUnavailableException({ status: 'error', info: { database: { status: 'up' } }, error: { kafka: { status: 'down' } } });
    expect(toProblem(health)).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', info: { database: { status: 'up' } }, error: { kafka: { status: 'down' } } });
    expect(toProblem(new BadRequestException('x'))).not.toHaveProperty('error');
    expect(toProblem(new BadRequestException('x'))).not.toHaveProperty('statusCode');
  });

  it('anything else is a 500 that tells nothing of the internals', () => {
    const p = toProblem(new TypeError("Cannot read properties of undefined (reading 'email')"));
    expect(p).toMatchObject({ status: 500, code: 'INTERNAL_SERVER_ERROR' });
    expect(JSON.stringify(p)).not.toMatch(/email|TypeError/);
  });
});

describe('inspectInput', () => {
  it('finds NUL and lone surrogates in values and keys, with the path', () => {
    expect(inspectInput({ lines: [{ title: 'a\u0000' }] }, 'body')).toMatchObject({ field: 'lines.0.title' });
    expect(inspectInput({ name: 'x\ud800' }, 'body')).toMatchObject({ field: 'name' });
    expect(inspectInput({ 'a\u0000': 1 }, 'body')).toMatchObject({ field: 'a\u0000' });
    expect(inspectInput({ name: '😀 ok' }, 'body')).toBeUndefined();
  });

  it('refuses prototype keys', () => {
    expect(inspectInput(JSON.parse('{"policy":{"__proto__":{"x":1}}}'), 'body')).toMatchObject({ field: 'policy.__proto__' });
  });

  it('refuses nesting past the limit without recursing (20,000 levels)', () => {
    const deep = JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    expect(inspectInput(deep, 'body')).toMatchObject({ message: `body nests deeper than ${MAX_BODY_DEPTH} levels` });
    const ok = JSON.parse(`${'['.repeat(MAX_BODY_DEPTH)}${']'.repeat(MAX_BODY_DEPTH)}`);
    expect(inspectInput(ok, 'body')).toBeUndefined();
  });
});
