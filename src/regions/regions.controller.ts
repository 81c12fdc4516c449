import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  list(@CurrentActor() actor: Actor) {
    return this.regions.list(actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One region' })
  get(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number) {
    return this.regions.get(actor, id);
  }
}
