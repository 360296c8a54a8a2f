import { readFileSync } from 'fs';
import { join } from 'path';
import { buildSupplierOpenApi, renderOpenApi } from './openapi';

describe('supplier callback API OpenAPI document', () => {
  let rendered: string;
  beforeAll(async () => {
    rendered = renderOpenApi(await buildSupplierOpenApi());
  });

  it('docs/openapi-suppliers.json is current (regenerate: npm run docs:openapi)', () => {
    const committed = readFileSync(join(__dirname, '../../../../docs/openapi-suppliers.json'), 'utf8');
    expect(committed).toBe(rendered);
  });

  it('covers the callback endpoints, both ways to authenticate, and the strict answer schema', () => {
    const doc = JSON.parse(rendered);
    expect(Object.keys(doc.paths).sort()).toEqual(['/supplier-api/requests', '/supplier-api/requests/{requestId}/answer']);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['standard-webhooks', 'supplier-key']);
    const answer = doc.components.schemas.SupplierAnswerDto;
    expect(answer.additionalProperties).toBe(false);
    expect(answer.required).toEqual(['decision']);
    expect(answer.properties.decision.enum).toEqual(['APPROVED', 'PARTIALLY_APPROVED', 'REJECTED', 'NEEDS_EVIDENCE', 'REPLACEMENT_SHIPPED']);
    expect(Object.keys(doc.paths['/supplier-api/requests/{requestId}/answer'].post.responses).sort()).toEqual(['200', '400', '401', '404', '409']);
    expect(doc.components.schemas.RequestWebhookDto).toBeDefined();
  });
});
