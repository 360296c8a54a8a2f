import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ApiModule } from '../app.module';
import { ApiConfig } from '../config';
import { withSupplierSecuritySchemes } from './security-schemes';
import { SupplierApiModule } from './supplier-api.module';
import { ReminderWebhookDto, RequestWebhookDto } from './webhook-schemas';

/** Request bodies and queries refuse unknown fields (400); say so in the schema. */
const STRICT_SCHEMAS = ['SupplierAnswerDto'];

/** The OpenAPI document of the supplier callback API only (docs/openapi-suppliers.json). */
export function supplierOpenApi(app: INestApplication): OpenAPIObject {
  const doc = SwaggerModule.createDocument(
    app,
    withSupplierSecuritySchemes(new DocumentBuilder()
      .setTitle('Returns orchestrator — supplier callback API')
      .setDescription('Answer the requests we send you by webhook, or pull them. Authenticate with your callback API key, or sign each request like our webhooks (Standard Webhooks). Guide: docs/suppliers.md.')
      .setVersion('1'))
      .build(),
    { include: [SupplierApiModule], extraModels: [RequestWebhookDto, ReminderWebhookDto] },
  );
  for (const name of STRICT_SCHEMAS) {
    const schema = doc.components?.schemas?.[name];
    if (schema && !('$ref' in schema)) schema.additionalProperties = false;
  }
  return doc;
}

/** Builds the document without a database or broker: preview mode wires the real api module but instantiates nothing. */
export async function buildSupplierOpenApi(): Promise<OpenAPIObject> {
  // Never connected to: preview mode creates no provider.
  const config = Object.assign(new ApiConfig(), { DATABASE_URL: 'postgres://preview.invalid/none', KAFKA_BROKERS: 'preview.invalid:9092', LOG_LEVEL: 'silent' });
  const app = await NestFactory.create(ApiModule.forRoot(config), { preview: true, logger: false, abortOnError: false });
  try {
    return supplierOpenApi(app);
  } finally {
    await app.close();
  }
}

export const renderOpenApi = (doc: OpenAPIObject) => `${JSON.stringify(doc, null, 2)}\n`;
