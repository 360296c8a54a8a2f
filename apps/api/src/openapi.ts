import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { FieldErrorDto, ProblemDetailsDto, withProblemResponses } from '@app/platform';
import { withSupplierSecuritySchemes } from './supplier-api/security-schemes';

/** OpenAPI at /docs (UI) and /docs-json, for the api app and the test harness alike. Assets come from swagger-ui-dist, not a CDN. */
export function setupOpenApi(app: INestApplication): void {
  const doc = SwaggerModule.createDocument(
    app,
    withSupplierSecuritySchemes(new DocumentBuilder())
      .setTitle('Returns orchestrator API')
      .setDescription('Tenants, suppliers, orders and returns; the supplier callback API; and the ops API (`/ops`, see docs/api.md). Authenticate with `Authorization: Bearer <key>`.')
      .addBearerAuth()
      .build(),
    { extraModels: [ProblemDetailsDto, FieldErrorDto] },
  );
  SwaggerModule.setup('docs', app, withProblemResponses(doc));
}
