import { Injectable, PipeTransform, ArgumentMetadata } from '@nestjs/common';
import { fieldError, InvalidInput } from './errors';

/** Route ids: positive integers; anything else is a 400 naming the parameter. */
@Injectable()
export class IdPipe implements PipeTransform<string, number> {
  transform(value: string, meta: ArgumentMetadata): number {
    const n = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < 1 || n > 2_147_483_647) {
      throw new InvalidInput([fieldError(meta.data ?? 'id', 'NOT_AN_INTEGER')]);
    }
    return n;
  }
}
