import {
  applyDecorators,
  Body,
  Controller,
  Get,
  HttpCode,
  Post,
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
import { ImportResult } from './dto/import.view';
import type { Response } from 'express';
import { Can } from '../common/auth.decorators';
import { Actor, CurrentActor } from '../common/actor';
import { ApiXlsxResponse, sendXlsx, tempXlsx } from '../excel/send-xlsx';
import { ApiJobAcceptedResponse, sendAnswer } from '../jobs/answer';
import { ImportProjectsDto } from './dto/import.dto';
import { ImportsService } from './imports.service';
import { writePlanTable } from '../projects/plan-table.export';

/** A plan table uploaded by 基建股 (multipart `file`, `regionId`, `dryRun`, `async`). */
const PlanTableUpload = () =>
  applyDecorators(
    Can('import.run'),
    UseInterceptors(FileInterceptor('file')),
    ApiConsumes('multipart/form-data'),
    ApiBody({ type: ImportProjectsDto }),
  );

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post('projects')
  @PlanTableUpload()
  @ApiOperation({
    summary:
      'Import a plan table (.xlsx) into a county: dryRun previews; errors import nothing; large files run as a job (202)',
  })
  @ApiOkResponse({ type: ImportResult, description: 'A dry run: what the import would do' })
  @ApiCreatedResponse({ type: ImportResult, description: 'Imported' })
  @ApiJobAcceptedResponse()
  async importProjects(
    @CurrentActor() actor: Actor,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() dto: ImportProjectsDto,
    @Res() res: Response,
  ) {
    sendAnswer(res, await this.imports.importProjects(actor, file, dto));
  }

  @Post('projects/problems.xlsx')
  @HttpCode(200)
  @PlanTableUpload()
  @ApiOperation({
    summary:
      "A dry run's errors and warnings as a workbook (sheet, row, column, message); writes nothing",
  })
  @ApiXlsxResponse('校验结果: the problems, a row each')
  async problems(
    @CurrentActor() actor: Actor,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() dto: ImportProjectsDto,
    @Res() res: Response,
  ) {
    sendAnswer(res, await this.imports.problemsWorkbook(actor, file, dto));
  }

  @Get('template.xlsx')
  @ApiOperation({ summary: 'A blank plan table in the layout the import reads' })
  @ApiXlsxResponse('The blank plan table (.xlsx)')
  async template(@Res() res: Response) {
    const file = tempXlsx('template');
    await writePlanTable(file, '学校建设项目规划表（模板）', [], true);
    sendXlsx(res, file, '学校建设项目规划表模板.xlsx', true, 'plan-table-template');
  }
}
