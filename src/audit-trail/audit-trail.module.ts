import { Module } from '@nestjs/common';
import { ProjectsModule } from '../projects/projects.module';
import { RegionsModule } from '../regions/regions.module';
import { AuditQueryService } from './audit-query.service';
import { AuditController } from './audit-trail.controller';

/** The audit trail as users read it: searched within their scope (GET /api/audit…). */
@Module({
  imports: [RegionsModule, ProjectsModule],
  controllers: [AuditController],
  providers: [AuditQueryService],
})
export class AuditTrailModule {}
