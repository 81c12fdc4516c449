import {
  Body,
  Controller,
  Delete,
  Get,
  Param,
  Post,
  Query,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Actor, CurrentActor } from '../common/actor';
import { Can } from '../common/auth.decorators';
import { IdPipe } from '../common/id.pipe';
import { BOUNDARY_MAX_BYTES } from './boundary-check';
import { BoundaryQuery, MapQuery, UploadBoundaryDto } from './dto/map.dto';
import { MapBoundaryInfo, MapBoundaryShapes, MapView } from './dto/map.view';
import { MapService } from './map.service';

@ApiTags('map')
@ApiBearerAuth()
@Controller('map')
export class MapController {
  constructor(private readonly maps: MapService) {}

  @Get()
  @ApiOperation({
    summary:
      '挂图作战 as of a day: the located projects in scope (status, alert level, seats, budget) and a cell per county (开工率, 竣工率, 投资完成率, red alerts, as 首页 ranks them)',
  })
  @ApiOkResponse({ type: MapView })
  get(@CurrentActor() actor: Actor, @Query() q: MapQuery): Promise<MapView> {
    return this.maps.map(actor, q);
  }

  @Get('boundaries')
  @ApiOperation({ summary: "地图边界 uploaded in the caller's scope (without shapes)" })
  @ApiOkResponse({ type: [MapBoundaryInfo] })
  list(@CurrentActor() actor: Actor): Promise<MapBoundaryInfo[]> {
    return this.maps.list(actor);
  }

  @Get('boundary')
  @ApiOperation({ summary: "A region's uploaded boundary with its GeoJSON; 404 when none" })
  @ApiOkResponse({ type: MapBoundaryShapes })
  shapes(@CurrentActor() actor: Actor, @Query() q: BoundaryQuery): Promise<MapBoundaryShapes> {
    return this.maps.shapes(actor, q);
  }

  @Post('boundary')
  @Can('map.boundary')
  // a little over the limit, so a file just too large gets the 400 naming it, not a bare 413
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: BOUNDARY_MAX_BYTES + 1024 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadBoundaryDto })
  @ApiOperation({
    summary:
      "Upload (or replace) a region's official boundary: GeoJSON FeatureCollection of Polygon/MultiPolygon, one feature per child region by name, ≤ 10 MB, within China, with 审图号 and 来源",
  })
  @ApiCreatedResponse({ type: MapBoundaryInfo })
  upload(
    @CurrentActor() actor: Actor,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() dto: UploadBoundaryDto,
  ): Promise<MapBoundaryInfo> {
    return this.maps.upload(actor, file, dto);
  }

  @Delete('boundary/:regionId')
  @Can('map.boundary')
  @ApiOperation({ summary: "Delete a region's boundary (the map falls back to the tile grid)" })
  @ApiOkResponse({
    type: MapBoundaryInfo,
    description: 'The boundary removed (without its shapes)',
  })
  remove(
    @CurrentActor() actor: Actor,
    @Param('regionId', IdPipe) regionId: number,
  ): Promise<MapBoundaryInfo> {
    return this.maps.remove(actor, regionId);
  }
}
