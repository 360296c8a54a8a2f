import { Module } from '@nestjs/common';
import { ListSupplierRequests } from './open-requests';
import { SupplierApiController } from './supplier-api.controller';
import { RecordSupplierAnswer } from './supplier-answers';
import { SupplierAuthenticator } from './supplier-auth';

/** The callback API for suppliers (its own module, so its OpenAPI document can be exported alone). */
@Module({
  controllers: [SupplierApiController],
  providers: [RecordSupplierAnswer, ListSupplierRequests, SupplierAuthenticator],
  exports: [SupplierAuthenticator, RecordSupplierAnswer],
})
export class SupplierApiModule {}
