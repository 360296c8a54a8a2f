import 'reflect-metadata';
import { randomUUID } from 'crypto';
import { plainToInstance } from 'class-transformer';
import { IsISO8601, IsObject, IsOptional, IsString, IsUUID, validateSync, ValidationError } from 'class-validator';
import type { TopicName } from './topics';

/** What travels on every topic: routing and tracing metadata around a typed payload. */
export class Envelope<P = unknown> {
  /** Message id; consumers dedupe on it. */
  @IsUUID() id!: string;
  @IsString() type!: string;
  /** Also the Kafka key: one return's messages stay ordered on one partition. */
  @IsUUID() returnId!: string;
  @IsUUID() tenantId!: string;
  @IsISO8601() occurredAt!: string;
  /** The first message of the chain (usually the intake); logged by every service. */
  @IsUUID() correlationId!: string;
  /** The message that caused this one. */
  @IsOptional() @IsUUID() causationId?: string;
  @IsString() producer!: string;
  @IsObject() payload!: P;
}

type Class<T> = new () => T;

interface MessageDef {
  topic: TopicName;
  cls: Class<object>;
}

const registry = new Map<string, MessageDef>();

/** Registers a message type on its topic; used once per payload class. */
export function registerMessage(type: string, topic: TopicName, cls: Class<object>): void {
  if (registry.has(type)) throw new Error(`message type ${type} registered twice`);
  registry.set(type, { topic, cls });
}

export function topicOf(type: string): TopicName {
  const def = registry.get(type);
  if (!def) throw new Error(`unknown message type ${type}`);
  return def.topic;
}

export function registeredTypes(): string[] {
  return [...registry.keys()];
}

export function describeErrors(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => `${path}: ${m}`);
    return [...own, ...describeErrors(e.children ?? [], path)];
  });
}

export const STRICT = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/** Validates a plain object against a contract class; returns the instance or the field errors. */
export function validateAs<T extends object>(cls: Class<T>, plain: unknown): { value: T } | { errors: string[] } {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) return { errors: ['body must be an object'] };
  const value = plainToInstance(cls, plain);
  const errors = validateSync(value, STRICT);
  return errors.length ? { errors: describeErrors(errors) } : { value };
}

export type Decoded = { ok: true; envelope: Envelope<object> } | { ok: false; reason: string };

/** Parses and validates a raw Kafka value: envelope, known type, right topic, valid payload. */
export function decodeMessage(topic: string, raw: Buffer | string | null): Decoded {
  if (raw == null) return { ok: false, reason: 'empty message' };
  let plain: Record<string, unknown>;
  try {
    plain = JSON.parse(raw.toString());
  } catch {
    return { ok: false, reason: 'value is not JSON' };
  }
  const env = plainToInstance(Envelope, plain);
  const envErrors = validateSync(env, { forbidUnknownValues: true });
  if (envErrors.length) return { ok: false, reason: `invalid envelope: ${describeErrors(envErrors).join('; ')}` };
  const def = registry.get(env.type);
  if (!def) return { ok: false, reason: `unknown message type ${env.type}` };
  if (def.topic !== topic) return { ok: false, reason: `type ${env.type} does not belong on ${topic}` };
  const payload = validateAs(def.cls, env.payload);
  if ('errors' in payload) return { ok: false, reason: `invalid ${env.type} payload: ${payload.errors.join('; ')}` };
  env.payload = payload.value;
  return { ok: true, envelope: env as Envelope<object> };
}

export interface EnvelopeMeta {
  returnId: string;
  tenantId: string;
  producer: string;
  correlationId?: string;
  causationId?: string;
  occurredAt?: Date;
}

/** Builds an envelope and validates its payload, so a producer can't emit what a consumer would reject. */
export function buildEnvelope<P extends object>(type: string, meta: EnvelopeMeta, payload: P): Envelope<P> {
  const def = registry.get(type);
  if (!def) throw new Error(`unknown message type ${type}`);
  const check = validateAs(def.cls, JSON.parse(JSON.stringify(payload)));
  if ('errors' in check) throw new Error(`refusing to emit invalid ${type}: ${check.errors.join('; ')}`);
  const id = randomUUID();
  return {
    id,
    type,
    returnId: meta.returnId,
    tenantId: meta.tenantId,
    occurredAt: (meta.occurredAt ?? new Date()).toISOString(),
    correlationId: meta.correlationId ?? id,
    causationId: meta.causationId,
    producer: meta.producer,
    payload,
  };
}
