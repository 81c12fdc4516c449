import type { MessageCode } from './messages';

/** One offending field, by path (`milestones[2].plannedDate`). */
export class FieldError {
  path: string;
  code: MessageCode;
  message: string;
}

/** The body of every error response (4xx, 5xx). */
export class ErrorBody {
  statusCode: number;
  code: MessageCode;
  /** In Chinese, for staff. */
  message: string;
  errors: FieldError[];
}
