import 'reflect-metadata';
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import jestOpenAPI from 'jest-openapi';
import { tmpdir } from 'os';
import { join } from 'path';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject, SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ApiModule } from '../app.module';
import { ApiConfig } from '../config';
import { buildApiDocument } from '../openapi';
import { SUCCESS } from './contract';

/** The whole api's document, built without a database or broker (preview mode instantiates nothing). */
async function buildDocument(): Promise<OpenAPIObject> {
  const config = Object.assign(new ApiConfig(), { DATABASE_URL: 'postgres://preview.invalid/none', KAFKA_BROKERS: 'preview.invalid:9092', LOG_LEVEL: 'silent' });
  const app = await NestFactory.create(ApiModule.forRoot(config), { preview: true, logger: false, abortOnError: false });
  try {
    return buildApiDocument(app);
  } finally {
    await app.close();
  }
}

describe('the OpenAPI document', () => {
  let doc: OpenAPIObject;
  beforeAll(async () => {
    doc = await buildDocument();
    jestOpenAPI(doc as never);
  });
  const operations = () => Object.entries(doc.paths).flatMap(([path, item]) =>
    (['get', 'post', 'put', 'delete', 'patch'] as const).filter((m) => item[m]).map((m) => ({ op: `${m.toUpperCase()} ${path}`, operation: item[m]! })));

  it('names the success body of every route (and no route that is gone)', () => {
    const ops = operations().map((o) => o.op).filter((op) => !op.includes('/supplier-api/'));
    expect(ops.filter((op) => !(op in SUCCESS))).toEqual([]);
    expect(Object.keys(SUCCESS).filter((op) => !ops.includes(op))).toEqual([]);
  });

  it('has no empty schema, and an example for each that satisfies it', () => {
    const schemas = doc.components!.schemas as Record<string, SchemaObject>;
    const empty = Object.entries(schemas).filter(([, s]) => s.type === 'object' && !Object.keys(s.properties ?? {}).length && !s.additionalProperties).map(([n]) => n);
    expect(empty).toEqual([]);
    const withoutExample = Object.entries(schemas).filter(([, s]) => s.example === undefined).map(([n]) => n);
    expect(withoutExample).toEqual([]);
    for (const [name, s] of Object.entries(schemas)) {
      try {
        expect(s.example).toSatisfySchemaInApiSpec(name);
      } catch (err) {
        throw new Error(`the example of ${name} does not satisfy it: ${(err as Error).message.slice(0, 1500)}`);
      }
    }
  });

  it('documents a JSON body for every request that takes one, and the errors of every route', () => {
    const gaps: string[] = [];
    for (const { op, operation } of operations()) {
      const statuses = Object.keys(operation.responses);
      if (!statuses.some((s) => s.startsWith('2'))) gaps.push(`${op}: no success status`);
      if (op !== 'POST /tenants' && !statuses.includes('401')) gaps.push(`${op}: no 401`);
      if ((operation.requestBody || op.includes('{')) && !statuses.includes('400')) gaps.push(`${op}: no 400`);
    }
    expect(gaps).toEqual([]);
    // the request bodies the issue found empty
    const schemas = doc.components!.schemas as Record<string, SchemaObject>;
    for (const name of ['CreateTenantDto', 'LinkSupplierDto', 'RegisterOrderDto', 'ReportReturnDto', 'TenantPolicy', 'SupplierPolicy', 'WebhookUrlDto', 'TenantTemplateDto', 'TrackReturnDto']) {
      expect(Object.keys(schemas[name].properties ?? {}).length).toBeGreaterThan(0);
    }
    expect(schemas.RegisterOrderDto.required).toEqual(expect.arrayContaining(['externalId', 'currency', 'customer', 'lines', 'orderedAt']));
    expect(schemas.RegisterOrderDto.required).not.toContain('taxMinor'); // defaults to 0
  });

  it('generates a typed client that compiles (openapi-typescript + openapi-fetch)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'api-client-'));
    try {
      // the generator's own CLI, as a client author would run it (it is ESM: not loadable inside Jest)
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(doc));
      execFileSync(process.execPath, [join(process.cwd(), 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), join(dir, 'openapi.json'), '--default-non-nullable=false', '-o', join(dir, 'api.d.ts')], { stdio: 'pipe' });
      writeFileSync(join(dir, 'usage.ts'), CLIENT_USAGE);
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'commonjs', moduleResolution: 'node', skipLibCheck: true, lib: ['ES2022', 'DOM'],
          baseUrl: process.cwd(), typeRoots: [], types: [], paths: { 'openapi-fetch': ['node_modules/openapi-fetch'] } },
        files: ['api.d.ts', 'usage.ts'],
      }));
      execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { stdio: 'pipe' });
    } catch (err) {
      const e = err as { stdout?: Buffer; message: string };
      throw new Error(`the generated client does not compile:\n${e.stdout?.toString() ?? e.message}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** What a client author writes against the generated types: the README walkthrough, typed. */
const CLIENT_USAGE = `
import createClient from 'openapi-fetch';
import type { paths, components } from './api';

type Order = components['schemas']['RegisterOrderDto'];

export async function walkthrough(baseUrl: string, shopUrl: string, supplierWebhookUrl: string): Promise<string> {
  const api = createClient<paths>({ baseUrl });
  const { data: tenant, error } = await api.POST('/tenants', {
    body: { name: 'Acme', brandName: 'Acme', senderEmail: 'care@acme.test', shopCurrency: 'EUR', store: { url: shopUrl, accessToken: 'shpat_demo' } },
  });
  if (error) throw new Error(error.detail + ' ' + error.code);
  const headers = { authorization: 'Bearer ' + tenant.apiKey };
  const opsKey: string = tenant.opsApiKey;
  const { data: supplier } = await api.POST('/suppliers', {
    headers, body: { name: 'Demo Supplier', webhookUrl: supplierWebhookUrl, policy: { returnWindowDays: 30, slaHours: 48 } },
  });
  if (!supplier) throw new Error('no supplier');
  const secret: string = supplier.signingSecret;
  const order: Order = {
    externalId: 'gid://shopify/Order/1', currency: 'EUR', customer: { email: 'sam@example.test' }, orderedAt: new Date().toISOString(),
    deliveredAt: new Date().toISOString(), lines: [{ externalId: 'gid://shopify/LineItem/1', sku: 'VASE-01', title: 'Vase', quantity: 1, unitPriceMinor: 2495, supplierId: supplier.id }],
  };
  const { data: registered } = await api.POST('/orders', { headers, body: order });
  const { data: accepted } = await api.POST('/returns', {
    headers, body: { orderId: registered!.id, eventType: 'DAMAGED', evidenceUrls: ['https://photos.example.test/vase.jpg'] },
  });
  const { data: view } = await api.GET('/returns/{id}', { headers, params: { path: { id: accepted!.returnId } } });
  const refunded: number | undefined = view?.amounts?.refundedMinor;
  const { data: page } = await api.GET('/ops/cases', { headers: { authorization: 'Bearer ' + opsKey }, params: { query: { open: false } } });
  return [secret, view?.state, refunded, page?.items.length].join(' ');
}
`;
