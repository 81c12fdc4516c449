import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** 附件的类别 (issue 35): the documents behind a project and its progress photos. */
export const ATTACHMENT_KINDS = [
  'approval',
  'permit',
  'contract',
  'acceptance',
  'photo',
  'other',
] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export { ATTACHMENT_KIND_LABELS } from '../common/vocabulary';

/**
 * A file attached to a project (and optionally to one of its progress reports or payments). The
 * bytes live in the file store under their SHA-256 (src/attachments/file-store.ts), shared by every
 * record of the same content; the record is never deleted, only withdrawn (已撤回).
 */
@Entity()
@Index(['projectId', 'id'])
export class Attachment {
  @PrimaryGeneratedColumn()
  id: number;

  @Column('integer')
  projectId: number;

  @Column('varchar', { length: 12 })
  kind: AttachmentKind;

  /** The uploaded name, stripped of folders and control characters (Chinese kept). */
  @Column('varchar', { length: 255 })
  name: string;

  @Column('integer')
  size: number;

  @Column('varchar', { length: 64 })
  sha256: string;

  /** The type read from the content (never from the name). */
  @Column('varchar', { length: 100 })
  mime: string;

  /** When the photo was taken, as the camera's clock said it (EXIF, no zone): `2026-11-20T10:30:00`. */
  @Column('varchar', { length: 19, nullable: true })
  takenAt: string | null;

  /** WGS84 latitude from EXIF, an exact decimal string (7 places). */
  @Column('varchar', { length: 16, nullable: true })
  lat: string | null;

  @Column('varchar', { length: 16, nullable: true })
  lng: string | null;

  /** The ≤ 480 px thumbnail is ready (made after the upload is answered). */
  @Column('boolean', { default: false })
  hasThumbnail: boolean;

  @Column('integer', { nullable: true })
  progressReportId: number | null;

  @Column('integer', { nullable: true })
  paymentId: number | null;

  @Column('varchar', { length: 500, nullable: true })
  note: string | null;

  @Column('varchar', { length: 100 })
  uploadedBy: string;

  @Column('integer', { nullable: true })
  uploadedById: number | null;

  @Column('varchar', { length: 30 })
  uploadedAt: string;

  @Column('varchar', { length: 30, nullable: true })
  withdrawnAt: string | null;

  @Column('varchar', { length: 100, nullable: true })
  withdrawnBy: string | null;

  @Column('integer', { nullable: true })
  withdrawnById: number | null;

  @Column('varchar', { length: 500, nullable: true })
  withdrawReason: string | null;

  @Column('integer', { default: 1 })
  version: number;
}
