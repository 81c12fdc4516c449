import { Injectable } from '@nestjs/common';
import { Actor } from '../common/actor';
import { RemindResultView } from './dto/submission.view';

/** 催报 (issue 33 point 6): the manual reminder and the automatic ones. */
@Injectable()
export class ReminderService {
  remind(_actor: Actor, _month: string, _regionId: number): Promise<RemindResultView> {
    throw new Error('催报 not implemented yet');
  }
}
