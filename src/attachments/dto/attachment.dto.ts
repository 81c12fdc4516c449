import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { IsText } from '../../common/validation';
import { ATTACHMENT_KINDS, AttachmentKind } from '../attachment.entity';

/** `POST /api/projects/:id/attachments` (multipart): the file and what it is. */
export class UploadAttachmentDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description:
      'PDF, OFD, JPEG, PNG, WebP, HEIC/HEIF, DOCX or XLSX (by content), ≤ ATTACHMENT_MAX_BYTES',
  })
  @IsOptional()
  file?: unknown;

  @ApiProperty({ enum: ATTACHMENT_KINDS })
  @IsDefined()
  @IsIn(ATTACHMENT_KINDS, { message: 'NOT_IN_LIST' })
  kind: AttachmentKind;

  @ApiPropertyOptional({ example: '东立面，三层封顶' })
  @IsOptional()
  @IsText(500)
  note?: string;

  @ApiPropertyOptional({ description: 'A progress report of the project the file belongs to' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  progressReportId?: number;

  @ApiPropertyOptional({ description: 'A payment of the project the file belongs to' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  paymentId?: number;
}

/** `GET /api/projects/:id/attachments?kind=&progressReportId=`. */
export class AttachmentQueryDto {
  @ApiPropertyOptional({ enum: ATTACHMENT_KINDS })
  @IsOptional()
  @IsIn(ATTACHMENT_KINDS, { message: 'NOT_IN_LIST' })
  kind?: AttachmentKind;

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  progressReportId?: number;
}
