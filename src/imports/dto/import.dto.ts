import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Min } from 'class-validator';

const bool = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;

export class ImportProjectsDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'The .xlsx plan table' })
  @IsOptional()
  file?: unknown;

  @ApiPropertyOptional({
    example: 3,
    description: 'The county the table belongs to; a county user may leave it out (their county)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  regionId?: number;

  @ApiPropertyOptional({ description: 'true: check and preview only, write nothing' })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({
    description: 'true: run as a background job (202 + jobId) whatever the size',
  })
  @IsOptional()
  @Transform(bool)
  @IsBoolean()
  async?: boolean;
}
