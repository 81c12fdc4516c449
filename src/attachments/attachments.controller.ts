import {
  Body,
  CallHandler,
  Controller,
  ExecutionContext,
  Get,
  HttpCode,
  Inject,
  Injectable,
  NestInterceptor,
  Param,
  PayloadTooLargeException,
  Post,
  Query,
  Res,
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
import type { Response } from 'express';
import { catchError, Observable, throwError } from 'rxjs';
import { Actor, CurrentActor } from '../common/actor';
import { Can } from '../common/auth.decorators';
import { AppError, fieldError } from '../common/errors';
import { IdPipe } from '../common/id.pipe';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { contentDisposition } from '../excel/send-xlsx';
import { WithdrawDto } from '../progress/dto/withdraw.dto';
import { AttachmentListView, AttachmentView } from './attachment.view';
import { AttachmentsService, FileAnswer } from './attachments.service';
import { AttachmentQueryDto, UploadAttachmentDto } from './dto/attachment.dto';

/** multer's "file too large" (ATTACHMENT_MAX_BYTES) as the 413 a user reads, naming the cap. */
@Injectable()
export class AttachmentTooLarge implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(
      catchError((e: unknown) => {
        if (!(e instanceof PayloadTooLargeException)) return throwError(() => e);
        const mb = Math.floor(this.config.attachmentMaxBytes / (1024 * 1024));
        const detail = `单个附件不能超过 ${mb >= 1 ? `${mb} MB` : `${Math.floor(this.config.attachmentMaxBytes / 1024)} KB`}`;
        return throwError(
          () =>
            new AppError(
              413,
              'ATTACHMENT_TOO_LARGE',
              [fieldError('file', 'ATTACHMENT_TOO_LARGE', detail)],
              detail,
            ),
        );
      }),
    );
  }
}

/** A stored file answered: its type, RFC 6266 name, never sniffed by the browser. */
function sendFile(res: Response, f: FileAnswer, asciiStem: string, cache: string): void {
  res.setHeader('Content-Type', f.mime);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader(
    'Content-Disposition',
    contentDisposition(f.name, asciiStem, f.inline ? 'inline' : 'attachment'),
  );
  // a stored file never runs anything, even opened directly; not on a PDF, whose viewer a sandbox
  // blocks (the browser's viewer runs no page script of the file)
  if (f.mime !== 'application/pdf')
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    );
  res.setHeader('Cache-Control', cache);
  if (f.size !== undefined) res.setHeader('Content-Length', String(f.size));
  f.stream.on('error', () => res.destroy());
  f.stream.pipe(res);
}

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('projects/:id/attachments')
export class ProjectAttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post()
  @Can('attachment.upload')
  @UseInterceptors(AttachmentTooLarge, FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadAttachmentDto })
  @ApiOperation({
    summary:
      'Attach a file (type by content; the same bytes stored once); a photo’s EXIF time and GPS are read, its thumbnail made after the answer',
  })
  @ApiCreatedResponse({ type: AttachmentView })
  upload(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() dto: UploadAttachmentDto,
  ): Promise<AttachmentView> {
    return this.attachments.upload(actor, id, file, dto);
  }

  @Get()
  @ApiOperation({ summary: 'A project’s attachments, newest first (withdrawn ones marked)' })
  @ApiOkResponse({ type: AttachmentListView })
  list(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Query() query: AttachmentQueryDto,
  ): Promise<AttachmentListView> {
    return this.attachments.list(actor, id, query);
  }
}

@ApiTags('attachments')
@ApiBearerAuth()
@Controller('attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Get(':id/file')
  @ApiOperation({
    summary:
      'The file as uploaded: PDF and images inline, anything else as a download (RFC 6266 name)',
  })
  @ApiOkResponse({
    description: 'The bytes, with the type read from the content',
    content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
  })
  async file(@CurrentActor() actor: Actor, @Param('id', IdPipe) id: number, @Res() res: Response) {
    sendFile(res, await this.attachments.file(actor, id), 'attachment', 'private, max-age=3600');
  }

  @Get(':id/thumbnail')
  @ApiOperation({ summary: 'The ≤ 480 px JPEG thumbnail of a photo (404 until it is made)' })
  @ApiOkResponse({
    description: 'The thumbnail',
    content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } },
  })
  async thumbnail(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Res() res: Response,
  ) {
    sendFile(
      res,
      await this.attachments.thumbnail(actor, id),
      'thumbnail',
      'private, max-age=86400',
    );
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Can('attachment.upload')
  @ApiOperation({
    summary: 'Withdraw an attachment (its uploader or an admin); it stays, marked 已撤回',
  })
  @ApiOkResponse({ type: AttachmentView })
  withdraw(
    @CurrentActor() actor: Actor,
    @Param('id', IdPipe) id: number,
    @Body() dto: WithdrawDto,
  ): Promise<AttachmentView> {
    return this.attachments.withdraw(actor, id, dto.reason);
  }
}
