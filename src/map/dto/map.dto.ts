import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Min } from 'class-validator';
import { IsCalendarDate } from '../../common/validation';

export class MapQuery {
  /** The day the figures are as of; defaults to today (Asia/Shanghai). */
  @IsOptional() @IsCalendarDate() asOf?: string;

  /** Region (with its sub-regions); defaults to the caller's whole scope. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) regionId?: number;
}

export class BoundaryQuery {
  /** The region whose child regions the boundary draws; defaults to the caller's region. */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) regionId?: number;

  /**
   * `true`: when the region has no boundary of its own, its own shape (the feature named as it)
   * from the nearest region above it that has one — 项目详情's 地图选点 of a county project.
   */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean()
  nearest?: boolean;
}

/** 上传地图边界 (multipart): the GeoJSON file with its 审图号 and 来源, both required. */
export class UploadBoundaryDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'GeoJSON FeatureCollection, ≤ 10 MB',
  })
  @IsOptional()
  file?: unknown;

  @ApiProperty({ example: 2, description: 'The city or province whose child regions it draws' })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  regionId: number;

  /** Validated by the service (a missing one is named with the file's other problems). */
  @ApiProperty({ example: 'GS(2024)0650号', description: '审图号' })
  @IsOptional()
  approvalNo?: string;

  @ApiProperty({ example: '天地图', description: '来源' })
  @IsOptional()
  source?: string;
}
