import { Global, Module } from '@nestjs/common';
import { ProjectsModule } from '../projects/projects.module';
import { RegionsModule } from '../regions/regions.module';
import { AuditQueryService } from './audit-query.service';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

/** The audit log: every write records its rows through AuditService; the trail is read here. */
@Global()
@Module({
  imports: [RegionsModule, ProjectsModule],
  controllers: [AuditController],
  providers: [AuditService, AuditQueryService],
  exports: [AuditService],
})
export class AuditModule {}
