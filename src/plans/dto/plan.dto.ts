import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, IsOptionalNotNull, IsText } from '../../common/validation';
import { TARGET_MEASURES, TARGET_QUALIFIERS, TargetMeasure } from '../plan.entity';

export class PlanTargetDto {
  @ApiProperty({
    enum: TARGET_MEASURES,
    description:
      'kindergarten · primary · juniorMiddle · compulsory (= primary + juniorMiddle) · seniorSecondary · boardingBeds · compulsorySchools',
  })
  @IsDefined()
  @IsIn(TARGET_MEASURES)
  measure: TargetMeasure;

  @ApiProperty({ example: 995, description: 'The target figure (seats, beds or schools)' })
  @IsDefined()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  value: number;

  @ApiPropertyOptional({
    enum: TARGET_QUALIFIERS,
    nullable: true,
    description: 'The plan’s own word: 约, 以上, 不少于, 左右; null = exact',
  })
  @IsOptional()
  @IsIn([...TARGET_QUALIFIERS, null])
  qualifier?: string | null;

  @ApiProperty({ example: 2021, description: 'The year counting starts' })
  @IsDefined()
  @IsInt()
  @Min(1990)
  @Max(2100)
  fromYear: number;

  @ApiProperty({ example: '2022-12-31', description: 'The deadline' })
  @IsDefined()
  @IsCalendarDate()
  deadline: string;

  /** The plan’s sentence the target comes from. */
  @IsOptional() @IsText(2000) quote?: string | null;
}

class PlanFieldsDto {
  /** 发文单位 */
  @IsOptional() @IsText(100) issuedBy?: string | null;
  /** 文号 */
  @IsOptional() @IsText(100) docNo?: string | null;
  /** Day issued. */
  @IsOptional() @IsCalendarDate() issuedOn?: string | null;
  /** Free text. */
  @IsOptional() @IsText(2000) note?: string | null;
  @ApiPropertyOptional({ type: [String], description: 'Projects the plan names in its text' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsText(200, { each: true })
  namedProjects?: string[] | null;
}

export class CreatePlanDto extends PlanFieldsDto {
  @ApiProperty({ example: '连南瑶族自治县教育发展“十四五”规划', description: 'Plan name' })
  @IsDefined()
  @IsText(200)
  name: string;

  @ApiProperty({
    example: 3,
    description: 'Region of the plan (a city plan counts its counties’ projects)',
  })
  @IsDefined()
  @IsInt()
  @Min(1)
  regionId: number;

  @ApiProperty({ example: 2021, description: 'First year of the plan period' })
  @IsDefined()
  @IsInt()
  @Min(1990)
  @Max(2100)
  periodStart: number;

  @ApiProperty({ example: 2025, description: 'Last year of the plan period' })
  @IsDefined()
  @IsInt()
  @Min(1990)
  @Max(2100)
  periodEnd: number;

  @ApiPropertyOptional({ type: [PlanTargetDto], description: 'Targets of the plan' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PlanTargetDto)
  targets?: PlanTargetDto[];
}

export class UpdatePlanDto extends PlanFieldsDto {
  @ApiProperty({ example: 1, description: 'The version read; a stale one gets 409' })
  @IsDefined()
  @IsInt()
  @Min(1)
  version: number;

  /** Plan name. */
  @IsOptionalNotNull() @IsText(200) name?: string;
  /** First year of the period. */
  @IsOptionalNotNull() @IsInt() @Min(1990) @Max(2100) periodStart?: number;
  /** Last year of the period. */
  @IsOptionalNotNull() @IsInt() @Min(1990) @Max(2100) periodEnd?: number;

  @ApiPropertyOptional({ type: [PlanTargetDto], description: 'Replaces all targets when given' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PlanTargetDto)
  targets?: PlanTargetDto[];
}
