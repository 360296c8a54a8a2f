import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiProblem, ParseUuid } from '@app/platform';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { CurrentSupplier, ForSuppliers, SupplierPrincipal } from '../auth/auth.guard';
import { ListSupplierRequests, SupplierRequestsPage, SupplierRequestsQuery } from './open-requests';
import { AnswerRecordedDto, RecordSupplierAnswer, SupplierAnswerDto } from './supplier-answers';

/** Both ways a supplier authenticates, documented on each route. */
const SupplierAuth = () =>
  applyDecorators(
    ApiBearerAuth('supplier-key'),
    ApiSecurity('standard-webhooks'),
    ApiHeader({ name: 'X-Supplier-Id', required: false, description: 'Your supplier link id. Required when signing instead of sending the API key.' }),
    ApiHeader({ name: 'webhook-id', required: false, description: 'Signed requests: a new unique id per request (letters, digits, _ or -, at most 128). Reuse is refused as a replay.' }),
    ApiHeader({ name: 'webhook-timestamp', required: false, description: 'Signed requests: Unix seconds; must be within 5 minutes of our clock.' }),
    ApiHeader({ name: 'webhook-signature', required: false, description: 'Signed requests: v1,<base64 HMAC-SHA256 of "id.timestamp.body" with your whsec_ secret>.' }),
    ApiProblem(401, 'missing, wrong or replayed credentials; `reason` says which'),
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
  @ApiProblem(400, 'invalid or unknown fields; `errors` names each one. Nothing is stored.')
  @ApiProblem(404, 'no such request for this supplier link')
  @ApiProblem(409, 'already answered differently; `answeredAt` says when')
  answer(@CurrentSupplier() s: SupplierPrincipal, @Param('requestId', ParseUuid) requestId: string, @Body() dto: SupplierAnswerDto) {
    return this.record.execute(s, requestId, dto);
  }

  @Get('requests')
  @ApiOperation({ summary: 'List your requests (pull API)', description: 'For suppliers that cannot receive webhooks: your own requests, oldest first; by default only open ones.' })
  @ApiOkResponse({ type: SupplierRequestsPage })
  @ApiProblem(400, 'bad or unknown query parameters; `errors` names each one')
  requests(@CurrentSupplier() s: SupplierPrincipal, @Query() q: SupplierRequestsQuery) {
    return this.list.execute(s, q);
  }
}
