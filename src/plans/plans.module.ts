import { Module } from '@nestjs/common';
import { RegionsModule } from '../regions/regions.module';
import { PlansController } from './plans.controller';
import { PlansQuery } from './plans.query';
import { PlansService } from './plans.service';

/** Plans, their targets, and progress toward them. */
@Module({
  imports: [RegionsModule],
  controllers: [PlansController],
  providers: [PlansService, PlansQuery],
  exports: [PlansQuery],
})
export class PlansModule {}
