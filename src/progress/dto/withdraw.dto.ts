import { ApiProperty } from '@nestjs/swagger';
import { IsDefined } from 'class-validator';
import { IsText } from '../../common/validation';

/** 撤回: why the entry is withdrawn (required, not blank). */
export class WithdrawDto {
  @ApiProperty({ example: '填报日期选错，应为 2026-11-20', description: 'Why it is withdrawn' })
  @IsDefined()
  @IsText(500)
  reason: string;
}
