import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { RegionsModule } from '../regions/regions.module';
import { ReportsModule } from '../reports/reports.module';
import { MapController } from './map.controller';
import { MapService } from './map.service';

/** 挂图作战: project locations on a map, county cells, and the uploaded official boundaries. */
@Module({
  imports: [RegionsModule, AlertsModule, ReportsModule],
  controllers: [MapController],
  providers: [MapService],
})
export class MapModule {}
