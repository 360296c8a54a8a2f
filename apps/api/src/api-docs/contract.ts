/**
 * Completes the OpenAPI document Nest builds from the controllers:
 * - request bodies: every DTO schema from its class-validator rules (the same
 *   rules that validate requests, so the two cannot disagree), with an example;
 * - responses: each route's success body (response-schemas.ts) and every error
 *   status it can answer, with the error body.
 * test/openapi.e2e-spec.ts calls every route and checks the answers against
 * the served document; api-docs/contract.spec.ts checks nothing is left out.
 */
import type { OpenAPIObject, OperationObject, ReferenceObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { getMetadataStorage } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { REQUEST_EXAMPLES } from './request-examples';
import { RESPONSE_SCHEMAS } from './response-schemas';

// class-transformer keeps @Type() metadata here (nested DTOs); it ships no typings for this path
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defaultMetadataStorage } = require('class-transformer/cjs/storage') as typeof import('class-transformer/types/storage');

const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });

/** The success body of every operation ("METHOD /path"); null: no JSON body. */
export const SUCCESS: Record<string, string | null> = {
  'POST /tenants': 'TenantCreated',
  'GET /tenant/policy': 'TenantPolicyVersion',
  'PUT /tenant/policy': 'TenantPolicyUpdated',
  'GET /tenant/alignment': 'TenantAlignment',
  'POST /suppliers': 'SupplierLinked',
  'GET /suppliers/{id}': 'SupplierView',
  'PUT /suppliers/{id}/webhook': 'SupplierWebhookUpdated',
  'PUT /suppliers/{id}/policy': 'SupplierPolicyUpdated',
  'GET /suppliers/{id}/alignment': 'SupplierAlignment',
  'POST /suppliers/{id}/secret/rotate': 'SecretRotated',
  'GET /suppliers/{id}/endpoint': 'SupplierEndpoint',
  'POST /suppliers/{id}/endpoint/enable': 'EndpointEnabled',
  'GET /suppliers/{id}/deliveries': 'DeliveriesPage',
  'POST /suppliers/{id}/deliveries/redeliver': 'RedeliveriesQueued',
  'GET /suppliers/{id}/deliveries/{deliveryId}': 'DeliveryDetail',
  'POST /suppliers/{id}/deliveries/{deliveryId}/redeliver': 'RedeliveryQueued',
  'POST /orders': 'OrderView',
  'GET /orders/{id}': 'OrderView',
  'POST /returns': 'ReturnAccepted',
  'GET /returns/{id}': 'ReturnView',
  'POST /returns/{id}/events': 'TrackingEventAccepted',
  'GET /reports/ledger.csv': null,
  'GET /reports/recovery': 'RecoveryReport',
  'GET /tenant/templates/{template}/{locale}': 'TenantTemplateView',
  'PUT /tenant/templates/{template}/{locale}': 'TenantTemplateView',
  'DELETE /tenant/templates/{template}/{locale}': null,
  'GET /ops/cases': 'CasePage',
  'GET /ops/cases/{returnId}': 'CaseDetail',
  'GET /ops/cases/{returnId}/timeline': 'TimelinePage',
  'POST /ops/cases/{returnId}/retry': 'OpsActionResult',
  'POST /ops/cases/{returnId}/cancel': 'OpsActionResult',
  'POST /ops/cases/{returnId}/resolve': 'OpsActionResult',
  'POST /ops/cases/{returnId}/supplier-decision': 'OpsActionResult',
  'POST /ops/cases/{returnId}/redeliver': 'OpsActionResult',
  'POST /ops/cases/{returnId}/notes': 'OpsActionResult',
  'POST /ops/batch/preview': 'BatchPreview',
  'POST /ops/batch': 'BatchRun',
  'GET /ops/figures': 'OpsFigures',
  'GET /ops/suppliers/health': 'SupplierHealthList',
  'GET /ops/alerts': 'AlertList',
  'GET /ops/stream': null,
};

const OPS_ACTION_ERRORS = { 403: 'an action needs an ops key', 409: 'the case is not in a state that allows the action (or it moved on)' };
/** Error statuses beyond the ones every route of its kind has (see errorsOf). */
const EXTRA_ERRORS: Record<string, Record<number, string>> = {
  'POST /suppliers': { 400: 'invalid fields, or a webhook URL that is not public (SSRF guard)' },
  'PUT /suppliers/{id}/webhook': { 400: 'not a public http(s) URL' },
  'POST /suppliers/{id}/secret/rotate': { 403: 'not allowed for this key' },
  'POST /suppliers/{id}/endpoint/enable': { 403: 'needs an ops key' },
  'POST /suppliers/{id}/deliveries/redeliver': { 403: 'needs an ops key' },
  'POST /suppliers/{id}/deliveries/{deliveryId}/redeliver': { 403: 'needs an ops key', 409: 'the delivery cannot be sent again now' },
  'POST /orders': { 409: 'an order with this externalId is already registered' },
  'POST /returns': { 409: 'the Idempotency-Key was used for a different return', 422: 'not eligible: outside the claim window, not delivered, …' },
  'POST /returns/{id}/events': { 409: 'the case is closed' },
  'POST /ops/cases/{returnId}/retry': OPS_ACTION_ERRORS,
  'POST /ops/cases/{returnId}/cancel': OPS_ACTION_ERRORS,
  'POST /ops/cases/{returnId}/resolve': OPS_ACTION_ERRORS,
  'POST /ops/cases/{returnId}/supplier-decision': OPS_ACTION_ERRORS,
  'POST /ops/cases/{returnId}/redeliver': OPS_ACTION_ERRORS,
  'POST /ops/cases/{returnId}/notes': { 403: 'needs an ops key' },
  'POST /ops/batch/preview': { 403: 'needs an ops key' },
  'POST /ops/batch': { 403: 'needs an ops key', 409: 'the filter now selects a different number of cases than expectedCount: preview again' },
};

const ERROR_TEXT: Record<number, string> = {
  400: 'invalid request: unknown or invalid fields (each one named), or a malformed id',
  401: 'missing or invalid API key; the body says where keys come from',
  404: 'no such resource for this key (another tenant\'s resources are not found either)',
};

/** Which errors an operation can answer: 401 unless public, 400 for input, 404 for ids in the path, plus its own. */
export function errorsOf(op: string, operation: OperationObject): Record<number, string> {
  const errors: Record<number, string> = {};
  const isPublic = !operation.security?.length && op === 'POST /tenants';
  const hasInput = !!operation.requestBody || (operation.parameters ?? []).some((p) => !('$ref' in p) && (p.in === 'query' || p.in === 'path'));
  if (hasInput) errors[400] = ERROR_TEXT[400];
  if (!isPublic) errors[401] = ERROR_TEXT[401];
  if (op.includes('{') && op !== 'POST /tenants') errors[404] = ERROR_TEXT[404];
  return { ...errors, ...(EXTRA_ERRORS[op] ?? {}) };
}

/** Request DTO schemas from their class-validator rules, keeping what @ApiProperty says on top. */
function completeRequestSchemas(schemas: Record<string, SchemaObject | ReferenceObject>): void {
  // @IsISO8601 comes out as oneOf [date, date-time], which a date-time also matches twice: anyOf says it
  const derived = JSON.parse(JSON.stringify(validationMetadatasToSchemas({ refPointerPrefix: '#/components/schemas/', classTransformerMetadataStorage: defaultMetadataStorage }))
    .replace(/"oneOf":(\[\{"format":"date","type":"string"\},\{"format":"date-time","type":"string"\}\])/g, '"anyOf":$1')) as Record<string, SchemaObject>;
  const classes = new Map<string, new () => object>();
  for (const m of (getMetadataStorage() as unknown as { validationMetadatas: Map<Function, unknown> }).validationMetadatas.keys()) classes.set(m.name, m as new () => object);
  const queue = Object.keys(schemas).filter((n) => derived[n]);
  const done = new Set<string>();
  while (queue.length) {
    const name = queue.shift()!;
    if (done.has(name)) continue;
    done.add(name);
    const fromRules = derived[name];
    const current = (schemas[name] ?? {}) as SchemaObject;
    const properties: Record<string, SchemaObject | ReferenceObject> = { ...(fromRules.properties as Record<string, SchemaObject>) };
    for (const [p, s] of Object.entries(current.properties ?? {})) {
      const merged = { ...(properties[p] ?? {}), ...s } as SchemaObject & ReferenceObject;
      // a reference stands alone in OpenAPI 3.0: a nested DTO keeps its $ref, described by its own schema
      properties[p] = merged.$ref ? { $ref: ('$ref' in s ? s : properties[p] as ReferenceObject).$ref } : merged;
    }
    // a field the class initialises (e.g. `taxMinor = 0`) may be left out: it takes that default
    const defaults = defaultsOf(classes.get(name));
    for (const [p, value] of Object.entries(defaults)) if (properties[p] && !('$ref' in properties[p])) properties[p] = { ...properties[p], default: value } as SchemaObject;
    // a $ref stands alone in OpenAPI 3.0; one to a class without rules (e.g. a plain object) is any object
    const clean = (node: SchemaObject | ReferenceObject): SchemaObject | ReferenceObject => {
      const r = (node as ReferenceObject).$ref;
      if (r) return derived[r.split('/').pop()!] || schemas[r.split('/').pop()!] ? { $ref: r } : { type: 'object', additionalProperties: true };
      const n = node as SchemaObject;
      return { ...n, ...(n.items ? { items: clean(n.items) } : {}), ...(n.anyOf ? { anyOf: n.anyOf.map(clean) } : {}), ...(n.oneOf ? { oneOf: n.oneOf.map(clean) } : {}) };
    };
    for (const [p, prop] of Object.entries(properties)) properties[p] = clean(prop);
    const required = [...new Set([...(fromRules.required ?? []), ...(current.required ?? [])])].filter((p) => !(p in defaults));
    const complete = { ...fromRules, ...current, type: 'object', properties } as SchemaObject;
    if (required.length) complete.required = required;
    else delete complete.required;
    schemas[name] = complete;
    for (const nested of JSON.stringify(fromRules).matchAll(/#\/components\/schemas\/(\w+)/g)) if (derived[nested[1]] && !done.has(nested[1])) queue.push(nested[1]);
  }
}

function defaultsOf(cls: (new () => object) | undefined): Record<string, unknown> {
  if (!cls) return {};
  try {
    return Object.fromEntries(Object.entries(new cls()).filter(([, v]) => v !== undefined));
  } catch {
    return {};
  }
}

export function completeDocument(doc: OpenAPIObject): OpenAPIObject {
  doc.components ??= {};
  const schemas = (doc.components.schemas ??= {});
  completeRequestSchemas(schemas);
  for (const [name, schema] of Object.entries(RESPONSE_SCHEMAS)) schemas[name] = schema;
  for (const [name, example] of Object.entries(REQUEST_EXAMPLES)) {
    const s = schemas[name] as SchemaObject | undefined;
    if (s && !('$ref' in s)) s.example = example;
  }

  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of ['get', 'post', 'put', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const op = `${method.toUpperCase()} ${path}`;
      if (path.startsWith('/supplier-api/')) continue; // documented on the controller (docs/openapi-suppliers.json)
      const success = Object.keys(operation.responses).find((s) => s.startsWith('2'));
      const body = SUCCESS[op];
      if (success && body) {
        operation.responses[success] = { description: (operation.responses[success] as { description?: string }).description || 'OK', content: { 'application/json': { schema: ref(body) } } };
      } else if (success && op === 'GET /reports/ledger.csv') {
        operation.responses[success] = { description: 'The ledger as CSV, one row per entry', content: { 'text/csv': { schema: { type: 'string' } } } };
      }
      for (const [status, description] of Object.entries(errorsOf(op, operation))) {
        operation.responses[status] = { description, content: { 'application/problem+json': { schema: ref('ProblemDetailsDto') } } };
      }
    }
  }
  return doc;
}
