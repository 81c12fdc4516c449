import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsOptional,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, IsText } from '../../common/validation';

export class CalendarDayDto {
  @ApiProperty({
    example: '2027-02-07',
    description: 'The day, YYYY-MM-DD, in the year of the path',
  })
  @IsDefined()
  @IsCalendarDate()
  date: string;

  @ApiProperty({ example: true, description: 'true: worked (调休上班); false: a day off (放假)' })
  @IsDefined()
  @IsBoolean()
  work: boolean;

  @ApiPropertyOptional({ example: '春节调休上班', maxLength: 100 })
  @IsOptional()
  @IsText(100)
  note?: string;
}

export class PutCalendarDto {
  @ApiProperty({
    type: [CalendarDayDto],
    description: "The year's overrides, replacing those stored (an empty list removes them)",
  })
  @IsDefined()
  @IsArray()
  @ArrayMaxSize(366)
  @ValidateNested({ each: true })
  @Type(() => CalendarDayDto)
  days: CalendarDayDto[];
}
