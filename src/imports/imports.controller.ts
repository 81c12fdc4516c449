import {
  Body,
  Controller,
  Get,
  HttpStatus,
  Post,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../auth/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { AppError, fieldError } from '../common/errors';
import { Inject } from '@nestjs/common';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { sendXlsx, tempXlsx } from '../excel/send-xlsx';
import { JobsService } from '../jobs/jobs.service';
import { ImportProjectsDto } from './dto/import.dto';
import { ImportsService } from './imports.service';
import { writePlanTable } from './plan-table.export';

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportsController {
  constructor(
    private readonly imports: ImportsService,
    private readonly jobs: JobsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('projects')
  @Roles('infrastructure')
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: ImportProjectsDto })
  @ApiOperation({
    summary:
      'Import a plan table (.xlsx) into a county: dryRun previews; errors import nothing; large files run as a job (202)',
  })
  async importProjects(
    @CurrentActor() actor: Actor,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() dto: ImportProjectsDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    if (!file?.buffer?.length)
      throw new AppError(HttpStatus.BAD_REQUEST, 'IMPORT_NO_FILE', [
        fieldError('file', 'IMPORT_NO_FILE'),
      ]);
    // multer hands the name over as latin1; staff's file names are Chinese
    const name = Buffer.from(file.originalname, 'latin1').toString('utf8');
    const input = { buffer: file.buffer, name };
    this.imports.precheck(input);
    if (dto.async || file.size > this.config.importSyncMaxBytes) {
      res.status(HttpStatus.ACCEPTED);
      const job = await this.jobs.start(actor, 'project_import', async (ctx) => ({
        result: await this.imports.run(
          actor,
          input,
          dto.regionId,
          dto.dryRun ?? false,
          ctx.progress,
        ),
      }));
      return { jobId: job.id, statusUrl: `/api/jobs/${job.id}`, status: job.status };
    }
    const result = await this.imports.run(actor, input, dto.regionId, dto.dryRun ?? false);
    if (dto.dryRun) res.status(HttpStatus.OK);
    return result;
  }

  @Get('template.xlsx')
  @ApiOperation({ summary: 'A blank plan table in the layout the import reads' })
  async template(@Res() res: Response) {
    const file = tempXlsx('template');
    await writePlanTable(file, '学校建设项目规划表（模板）', [], true);
    sendXlsx(res, file, '学校建设项目规划表模板.xlsx', true, 'plan-table-template');
  }
}
