import { Module } from '@nestjs/common';
import { ProjectsModule } from '../projects/projects.module';
import { RegionsModule } from '../regions/regions.module';
import { FundingSummaryService } from './funding-summary.service';
import { FundingController } from './funding.controller';
import { FundingService } from './funding.service';

/** Budgets, funding lines, payments, and the money roll-ups. */
@Module({
  imports: [RegionsModule, ProjectsModule],
  controllers: [FundingController],
  providers: [FundingService, FundingSummaryService],
})
export class FundingModule {}
