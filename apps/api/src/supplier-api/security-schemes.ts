import { DocumentBuilder } from '@nestjs/swagger';

/** The two ways a supplier authenticates, as OpenAPI security schemes. */
export function withSupplierSecuritySchemes(b: DocumentBuilder): DocumentBuilder {
  return b
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'sk_<prefix>_<secret>', description: 'Your callback API key (sk_...), given when the dropshipper linked you.' }, 'supplier-key')
    .addApiKey({
      type: 'apiKey', in: 'header', name: 'webhook-signature',
      description: 'Standard Webhooks signature with your whsec_ secret, sent with webhook-id, webhook-timestamp and X-Supplier-Id. See docs/suppliers.md.',
    }, 'standard-webhooks');
}
