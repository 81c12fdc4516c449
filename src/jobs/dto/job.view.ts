import { ApiProperty } from '@nestjs/swagger';

/** A background job (a large report or import): its status, then its result or download link. */
export class JobView {
  id: string;
  kind: 'monthly_report' | 'project_import' | 'project_export';
  status: 'queued' | 'running' | 'done' | 'failed';
  /** 0–100. */
  percent: number;
  createdAt: string;
  finishedAt: string | null;
  /** Where to download the file a finished job produced, else null. */
  resultUrl: string | null;
  @ApiProperty({
    description:
      "The JSON result (an import's result, or the error body of a failed job), else null.",
    type: 'object',
    additionalProperties: true,
    nullable: true,
  })
  result: unknown;
}

/** 202: the work runs as a background job; poll `statusUrl`. */
export class JobAcceptedView {
  jobId: string;
  statusUrl: string;
  status: string;
}
