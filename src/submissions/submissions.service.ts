import { Injectable } from '@nestjs/common';
import { Actor } from '../common/actor';
import { SubmitDto } from './dto/submission.dto';
import {
  SubmissionChecksView,
  SubmissionDetailView,
  SubmissionListView,
} from './dto/submission.view';

export type TransitionAction = 'withdraw' | 'approve' | 'return' | 'reopen';

/** 月报报送 → 审核 → 退回 / 通过 (docs/domain.md "The monthly reporting cycle"). */
@Injectable()
export class SubmissionsService {
  list(_actor: Actor, _month: string, _regionId?: number): Promise<SubmissionListView> {
    throw new Error('not implemented yet');
  }

  checks(_actor: Actor, _month: string, _regionId?: number): Promise<SubmissionChecksView> {
    throw new Error('not implemented yet');
  }

  submit(_actor: Actor, _dto: SubmitDto): Promise<SubmissionDetailView> {
    throw new Error('not implemented yet');
  }

  detail(_actor: Actor, _id: number): Promise<SubmissionDetailView> {
    throw new Error('not implemented yet');
  }

  workbook(
    _actor: Actor,
    _id: number,
    _seq?: number,
  ): Promise<{ file: string; name: string; asciiStem: string }> {
    throw new Error('not implemented yet');
  }

  transition(
    _actor: Actor,
    _id: number,
    _action: TransitionAction,
    _version: number,
    _comment?: string,
  ): Promise<SubmissionDetailView> {
    throw new Error('not implemented yet');
  }
}
