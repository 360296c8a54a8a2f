import { applyDecorators, Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CurrentSupplier, ForSuppliers, SupplierPrincipal } from '../auth/auth.guard';
import { ListSupplierRequests, SupplierRequestsPage, SupplierRequestsQuery } from './open-requests';
import { AnswerRecordedDto, RecordSupplierAnswer, SupplierAnswerDto } from './supplier-answers';

/** The error body every 4xx of this API has. */
export class ApiErrorDto {
  @ApiProperty({ example: 401 }) statusCode!: number;
  @ApiProperty({ example: 'UNAUTHENTICATED', description: 'NOT_FOUND, INVALID, CONFLICT, UNAUTHENTICATED, or "Bad Request" for validation' }) error!: string;
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], example: 'webhook-timestamp is more than 300 s from our clock' }) message!: string | string[];
  @ApiPropertyOptional({
    enum: ['missing_credentials', 'bad_key', 'unknown_supplier', 'missing_headers', 'bad_id', 'bad_timestamp', 'stale_timestamp', 'bad_signature', 'replayed'],
    description: 'why a 401 was given',
  })
  reason?: string;
  @ApiPropertyOptional({ type: [String], example: ['decision', 'extra'], description: 'on 400: every field that was refused' }) fields?: string[];
  @ApiPropertyOptional({ format: 'date-time', description: 'on 409: when the first answer was recorded' }) answeredAt?: string;
}

/** Both ways a supplier authenticates, documented on each route. */
const SupplierAuth = () =>
  applyDecorators(
    ApiBearerAuth('supplier-key'),
    ApiSecurity('standard-webhooks'),
    ApiHeader({ name: 'X-Supplier-Id', required: false, description: 'Your supplier link id. Required when signing instead of sending the API key.' }),
    ApiHeader({ name: 'webhook-id', required: false, description: 'Signed requests: a new unique id per request (letters, digits, _ or -, at most 128). Reuse is refused as a replay.' }),
    ApiHeader({ name: 'webhook-timestamp', required: false, description: 'Signed requests: Unix seconds; must be within 5 minutes of our clock.' }),
    ApiHeader({ name: 'webhook-signature', required: false, description: 'Signed requests: v1,<base64 HMAC-SHA256 of "id.timestamp.body" with your whsec_ secret>.' }),
    ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'missing, wrong or replayed credentials; `reason` says which' }),
  );

/** The callback API suppliers use: answer a request, or list their requests (pull). Adapters only. */
@ApiTags('supplier-api')
@ForSuppliers()
@SupplierAuth()
@Controller('supplier-api')
export class SupplierApiController {
  constructor(private readonly record: RecordSupplierAnswer, private readonly list: ListSupplierRequests) {}

  @Post('requests/:requestId/answer')
  @HttpCode(200)
  @ApiOperation({ summary: 'Answer a request', description: 'Idempotent: the same answer again is 200 with duplicate: true; a different answer to an answered request is 409.' })
  @ApiParam({ name: 'requestId', format: 'uuid', description: 'data.requestId of the webhook (or of the pull API item)' })
  @ApiOkResponse({ type: AnswerRecordedDto })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'invalid or unknown fields; `fields` names each one. Nothing is stored.' })
  @ApiNotFoundResponse({ type: ApiErrorDto, description: 'no such request for this supplier link' })
  @ApiConflictResponse({ type: ApiErrorDto, description: 'already answered differently' })
  answer(@CurrentSupplier() s: SupplierPrincipal, @Param('requestId', ParseUUIDPipe) requestId: string, @Body() dto: SupplierAnswerDto) {
    return this.record.execute(s, requestId, dto);
  }

  @Get('requests')
  @ApiOperation({ summary: 'List your requests (pull API)', description: 'For suppliers that cannot receive webhooks: your own requests, oldest first; by default only open ones.' })
  @ApiOkResponse({ type: SupplierRequestsPage })
  @ApiBadRequestResponse({ type: ApiErrorDto, description: 'bad or unknown query parameters' })
  requests(@CurrentSupplier() s: SupplierPrincipal, @Query() q: SupplierRequestsQuery) {
    return this.list.execute(s, q);
  }
}
