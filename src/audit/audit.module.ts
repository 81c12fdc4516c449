import { Global, Module } from '@nestjs/common';
import { AuditService } from './audit.service';

/** The audit log's writer: every write records its rows through AuditService, in its transaction. */
@Global()
@Module({ providers: [AuditService], exports: [AuditService] })
export class AuditModule {}
