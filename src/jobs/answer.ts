import { ApiAcceptedResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { JobAcceptedView } from './dto/job.view';
import { sendXlsx } from '../excel/send-xlsx';

/**
 * What a route that may run as a background job answers: JSON with its status (202 and the job
 * for a large one), or a workbook to download. The service decides; the controller sends it.
 */
export type Answer =
  | { status: number; json: unknown }
  | { status: 200; file: string; name: string; asciiStem: string };

export function sendAnswer(res: Response, a: Answer): void {
  if ('file' in a) sendXlsx(res, a.file, a.name, true, a.asciiStem);
  else res.status(a.status).json(a.json);
}

/** The 202 body of a job started. */
export const jobAccepted = (job: { id: string; status: string }): Answer => ({
  status: 202,
  json: { jobId: job.id, statusUrl: `/api/jobs/${job.id}`, status: job.status },
});

/** The OpenAPI answer of a route that may start a job (jobAccepted): 202 with the job. */
export const ApiJobAcceptedResponse = () =>
  ApiAcceptedResponse({
    description: 'Large work runs as a background job: poll statusUrl (GET /api/jobs/:id)',
    type: JobAcceptedView,
  });
