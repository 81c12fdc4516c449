import { Injectable, PipeTransform } from '@nestjs/common';
import { fieldError, InvalidInput } from '../common/errors';

/** A year in a path (`/api/admin/calendar/2027`): 2000–2100, else 400 naming `year`. */
@Injectable()
export class YearPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const n = /^\d{4}$/.test(value) ? Number(value) : NaN;
    if (!(n >= 2000 && n <= 2100))
      throw new InvalidInput(
        [fieldError('year', 'CALENDAR_YEAR_INVALID')],
        'CALENDAR_YEAR_INVALID',
      );
    return n;
  }
}
