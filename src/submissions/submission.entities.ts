import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { SubmissionCheck, SubmissionSnapshot } from './submission-types';

/**
 * 月报报送: one row per region and month once it has been submitted (a region without one lists as
 * `not_submitted`). The status moves only along `submission_transition`; every move bumps `version`
 * (checked: 409 on a stale one) and appends a {@link SubmissionEvent}. The current frozen file is the
 * latest {@link SubmissionFile}; `fileSha256`/`filePath` repeat it for the list.
 */
@Entity()
@Index(['regionId', 'month'], { unique: true })
@Index(['month', 'status'])
export class Submission {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('integer')
  regionId: number;

  /** 'YYYY-MM'. */
  @Column('varchar', { length: 7 })
  month: string;

  /** submitted | approved | returned | withdrawn (not_submitted is a listing state only). */
  @Column('varchar', { length: 16 })
  status: string;

  @Column('integer', { default: 1 })
  version: number;

  /** 报送截止日 (YYYY-MM-DD), from dueOn(month) when first submitted. */
  @Column('varchar', { length: 10 })
  dueOn: string;

  /** Days after dueOn of the first submission (0 = on time). */
  @Column('integer', { default: 0 })
  lateDays: number;

  /** The first submission's time (报送及时率 counts it). */
  @Column('varchar', { length: 30 })
  firstSubmittedAt: string;

  /** The latest submission's time. */
  @Column('varchar', { length: 30, nullable: true })
  submittedAt: string | null;

  @Column('varchar', { length: 100, nullable: true })
  submittedBy: string | null;

  @Column('integer', { nullable: true })
  submittedById: number | null;

  @Column('varchar', { length: 30, nullable: true })
  approvedAt: string | null;

  @Column('varchar', { length: 100, nullable: true })
  approvedBy: string | null;

  @Column('integer', { nullable: true })
  approvedById: number | null;

  /** The region whose officers approved (reopening needs this level or above). */
  @Column('integer', { nullable: true })
  approvedByRegionId: number | null;

  @Column('varchar', { length: 30, nullable: true })
  returnedAt: string | null;

  @Column('varchar', { length: 100, nullable: true })
  returnedBy: string | null;

  /** The latest return's or reopening's reason (shown at the top of a returned month). */
  @Column('varchar', { length: 500, nullable: true })
  returnReason: string | null;

  /** How many times returned (including reopenings). */
  @Column('integer', { default: 0 })
  returnCount: number;

  /** 强制报送: submitted with errors in the checks. */
  @Column('boolean', { default: false })
  forced: boolean;

  /** The 说明 of a forced submission. */
  @Column('varchar', { length: 1000, nullable: true })
  forceNote: string | null;

  /** The submitter's note (报送说明). */
  @Column('varchar', { length: 1000, nullable: true })
  note: string | null;

  /** When a reviewer first opened the current submission (withdrawing is refused afterwards). */
  @Column('varchar', { length: 30, nullable: true })
  reviewerOpenedAt: string | null;

  /** 1 for the first submission, up by one at each resubmission (the SubmissionFile's seq). */
  @Column('integer', { default: 1 })
  seq: number;

  @Column('varchar', { length: 64 })
  fileSha256: string;

  /** The frozen workbook, relative to SUBMISSIONS_DIR. */
  @Column('varchar', { length: 500 })
  filePath: string;

  /** The key figures the frozen workbook shows. */
  @Column('simple-json')
  snapshot: SubmissionSnapshot;

  /** The checks it was (last) submitted with. */
  @Column('simple-json')
  checks: SubmissionCheck[];

  @Column('varchar', { length: 30 })
  createdAt: string;

  @Column('varchar', { length: 30 })
  updatedAt: string;
}

/** One frozen workbook per (re)submission: every version is kept. Never edited. */
@Entity()
@Index(['submissionId', 'seq'], { unique: true })
export class SubmissionFile {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('integer')
  submissionId: number;

  @Column('integer')
  seq: number;

  @Column('varchar', { length: 64 })
  sha256: string;

  /** Relative to SUBMISSIONS_DIR. */
  @Column('varchar', { length: 500 })
  filePath: string;

  @Column('integer')
  sizeBytes: number;

  @Column('varchar', { length: 30 })
  submittedAt: string;

  @Column('varchar', { length: 100 })
  submittedBy: string;

  @Column('boolean', { default: false })
  forced: boolean;

  @Column('varchar', { length: 1000, nullable: true })
  forceNote: string | null;

  @Column('varchar', { length: 1000, nullable: true })
  note: string | null;

  @Column('simple-json')
  snapshot: SubmissionSnapshot;

  @Column('simple-json')
  checks: SubmissionCheck[];
}

/**
 * What happened to a region's month: each transition (submit, withdraw, approve, return, reopen) and
 * each 催报 (remind, which has no submission when the region has not submitted). Appended, never
 * edited or deleted.
 */
@Entity()
@Index(['regionId', 'month'])
@Index(['submissionId'])
export class SubmissionEvent {
  @PrimaryGeneratedColumn()
  id: number;

  /** null for a reminder to a region that has not submitted. */
  @Column('integer', { nullable: true })
  submissionId: number | null;

  @Column('integer')
  regionId: number;

  @Column('varchar', { length: 7 })
  month: string;

  /** submit | withdraw | approve | return | reopen | remind. */
  @Column('varchar', { length: 16 })
  action: string;

  @Column('varchar', { length: 16, nullable: true })
  fromStatus: string | null;

  @Column('varchar', { length: 16, nullable: true })
  toStatus: string | null;

  /** null for the system (automatic reminders). */
  @Column('integer', { nullable: true })
  actorId: number | null;

  @Column('varchar', { length: 100 })
  actorName: string;

  @Column('varchar', { length: 30 })
  at: string;

  /** The reason (return, reopen), the note (submit) or a reminder's text. */
  @Column('varchar', { length: 1000, nullable: true })
  comment: string | null;

  /** The submission's version after the transition. */
  @Column('integer', { nullable: true })
  version: number | null;
}

/** Which action moves a submission from which status to which (seeded by the migration). */
@Entity()
export class SubmissionTransition {
  @PrimaryColumn('varchar', { length: 16 })
  action: string;

  @PrimaryColumn('varchar', { length: 16 })
  fromStatus: string;

  @Column('varchar', { length: 16 })
  toStatus: string;
}
