import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { FieldErrorDto, ProblemDetailsDto, withProblemResponses } from '@app/platform';
import { completeDocument } from './api-docs/contract';
import { withSupplierSecuritySchemes } from './supplier-api/security-schemes';

/** OpenAPI at /docs (UI) and /docs-json, for the api app and the test harness alike. Assets come from swagger-ui-dist, not a CDN. */
export function setupOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, buildApiDocument(app));
}

/** The whole api's document: what the controllers declare, completed by api-docs/contract.ts. */
export function buildApiDocument(app: INestApplication): OpenAPIObject {
  const doc = SwaggerModule.createDocument(
    app,
    withSupplierSecuritySchemes(new DocumentBuilder())
      .setTitle('Returns orchestrator API')
      .setDescription('Tenants, suppliers, orders and returns; the supplier callback API; and the ops API (`/ops`, see docs/api.md). Authenticate with `Authorization: Bearer <key>`: `POST /tenants` returns the tenant key (`apiKey`) and the ops key (`opsApiKey`). Money is integer minor units plus an ISO 4217 currency. Walkthrough: README.md "Using it"; reference: docs/api.md.')
      .addBearerAuth()
      .build(),
    { extraModels: [ProblemDetailsDto, FieldErrorDto] },
  );
  return completeDocument(withProblemResponses(doc));
}
