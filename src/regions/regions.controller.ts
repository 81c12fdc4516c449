import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RegionView } from './dto/region.view';
import { Actor, CurrentActor } from '../common/actor';
import { IdPipe } from '../common/id.pipe';
import { RegionsService } from './regions.service';

@ApiTags('regions')
@ApiBearerAuth()
@Controller('regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Get()
  @ApiOperation({ summary: 'Regions the caller may see (province › city › county), parents first' })
  @ApiOkResponse({ type: [RegionView] })
  list(@CurrentActor() actor: Actor): Promise<RegionView[]> {
    return this.regions.list(actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One region' })
  @ApiOkResponse({ type: RegionView })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number): Promise<RegionView> {
    return this.regions.get(actor, id);
  }
}
