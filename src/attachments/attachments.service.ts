import { HttpStatus, Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import * as fs from 'node:fs';
import { Readable } from 'node:stream';
import { IsNull, MoreThanOrEqual } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { AppError, fieldError, Forbidden, NotFound, ruleViolation } from '../common/errors';
import { Permissions } from '../common/permissions.service';
import { AppConfig, APP_CONFIG } from '../config/app-config';
import { Database } from '../database/database';
import { Payment } from '../funding/funding.entities';
import { assertPeriodOpen } from '../projects/period-lock';
import { ProgressReport } from '../projects/progress-report.entity';
import { ProjectsService } from '../projects/projects.service';
import { Attachment, ATTACHMENT_KIND_LABELS, AttachmentKind } from './attachment.entity';
import { AttachmentView } from './attachment.view';
import {
  ACCEPTED_TYPES,
  cleanName,
  ContentRefused,
  isDecodable,
  isImage,
  sniffType,
} from './content-type';
import { FILE_STORE, FileStore, originalKey, thumbnailKey } from './file-store';
import { checkImage, makeThumbnail, placeholderThumbnail, readPhotoFacts } from './photo';
import type { StreamedUpload } from './upload-storage';

export interface UploadFields {
  kind: AttachmentKind;
  note?: string | null;
  progressReportId?: number;
  paymentId?: number;
}

export function toAttachmentView(a: Attachment): AttachmentView {
  return {
    id: a.id,
    projectId: a.projectId,
    kind: a.kind,
    kindLabel: ATTACHMENT_KIND_LABELS[a.kind],
    name: a.name,
    size: a.size,
    sha256: a.sha256,
    mime: a.mime,
    takenAt: a.takenAt,
    lat: a.lat,
    lng: a.lng,
    hasThumbnail: a.hasThumbnail,
    progressReportId: a.progressReportId,
    paymentId: a.paymentId,
    note: a.note,
    uploadedBy: a.uploadedBy,
    uploadedAt: a.uploadedAt,
    withdrawn: a.withdrawnAt !== null,
    withdrawnAt: a.withdrawnAt,
    withdrawnBy: a.withdrawnBy,
    withdrawReason: a.withdrawReason,
    version: a.version,
  };
}

/**
 * The business day of an attachment, for the reporting cycle's lock (docs/domain.md "Attachments"):
 * the progress report's date when it belongs to one, else the payment's, else the day the photo
 * was taken (EXIF); an undated document (a 批复 scanned without EXIF) is dated nowhere and never
 * locked.
 */
export function attachmentDay(
  takenAt: string | null,
  report: { reportedOn: string } | null,
  payment: { paidOn: string } | null,
): string | null {
  return report?.reportedOn ?? payment?.paidOn ?? (takenAt ? takenAt.slice(0, 10) : null);
}

/** A download: the stream, its type and how it is shown. */
export interface FileAnswer {
  stream: Readable;
  mime: string;
  name: string;
  inline: boolean;
  size?: number;
}

/** Thumbnails made at once, at most (each is one libuv thread of sharp's, and its pixels in memory). */
const THUMBNAIL_CONCURRENCY = 2;

@Injectable()
export class AttachmentsService implements OnModuleDestroy {
  private readonly logger = new Logger('Attachments');
  private readonly waiting: { run: () => Promise<void>; drop: () => Promise<void> }[] = [];
  private running = 0;
  private readonly idle = new Set<Promise<void>>();
  private closing = false;

  constructor(
    private readonly db: Database,
    private readonly projects: ProjectsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly permissions: Permissions,
    @Inject(FILE_STORE) readonly store: FileStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * `POST /api/projects/:id/attachments`, the upload already on disk and hashed as it arrived
   * (HashingDiskStorage, upload-storage.ts): scope first (404), then the content (type by magic bytes, image
   * header, zip checks), then the lock of the attachment's day, then the file stored under its
   * SHA-256 (once), then the record and its audit row in one transaction. The thumbnail is made
   * after the answer ({@link scheduleThumbnail}).
   */
  async upload(
    actor: Actor,
    projectId: number,
    file: (Express.Multer.File & Partial<StreamedUpload>) | undefined,
    fields: UploadFields,
  ): Promise<AttachmentView> {
    // the upload's temporary file goes with the thumbnail task, else it is removed here
    let handedOver = false;
    try {
      return await this.receive(actor, projectId, file, fields, () => (handedOver = true));
    } finally {
      if (file?.path && !handedOver) await fs.promises.rm(file.path, { force: true });
    }
  }

  private async receive(
    actor: Actor,
    projectId: number,
    file: (Express.Multer.File & Partial<StreamedUpload>) | undefined,
    fields: UploadFields,
    handOver: () => void,
  ): Promise<AttachmentView> {
    const project = await this.projects.findInScope(actor, projectId);
    if (project.archivedAt) throw ruleViolation('id', 'PROJECT_ARCHIVED');
    if (!file?.path || !file.size || !file.head || !file.sha256)
      throw new AppError(HttpStatus.BAD_REQUEST, 'ATTACHMENT_NO_FILE', [
        fieldError('file', 'ATTACHMENT_NO_FILE'),
      ]);
    const { path: source, head, size } = file;
    if (size > this.config.attachmentMaxBytes) throw this.tooLarge();
    // the whole file in memory only for what needs it: a zip looked into, a PNG/WebP/HEIC's EXIF
    const whole = () =>
      size <= head.length ? Promise.resolve(head) : fs.promises.readFile(source);
    let type;
    let facts = {
      takenAt: null as string | null,
      lat: null as string | null,
      lng: null as string | null,
    };
    try {
      type = await sniffType(head, whole);
      if (isImage(type)) {
        await checkImage(head, type, source);
        // a JPEG's EXIF is an APP1 segment at its start
        facts = await readPhotoFacts(type === 'jpeg' ? head : await whole(), type);
      }
    } catch (e) {
      if (e instanceof ContentRefused)
        throw new AppError(
          HttpStatus.BAD_REQUEST,
          e.code,
          [fieldError('file', e.code, e.message)],
          e.message,
        );
      throw e;
    }
    const { report, payment } = await this.owners(projectId, fields);
    const day = attachmentDay(facts.takenAt, report, payment);
    // refused before the bytes are stored (checked again inside the write's transaction)
    await assertPeriodOpen(this.db.read.manager, [projectId], { file: day });
    const sha256 = file.sha256;
    await this.store.putFile(originalKey(sha256), source);
    const thumbReady = isImage(type) && (await this.store.has(thumbnailKey(sha256)));
    const saved = await this.db.transaction(async (em) => {
      await this.db.lockRow(em, 'project', projectId);
      await assertPeriodOpen(em, [projectId], { file: day });
      // a retry whose first answer was lost (a phone on site): the same officer's same bytes for
      // the same kind and report/payment within a day are the record already made, not a second one
      const since = new Date(this.clock.now().getTime() - 24 * 3_600_000).toISOString();
      const earlier = await em.getRepository(Attachment).findOne({
        where: {
          projectId,
          sha256,
          kind: fields.kind,
          uploadedById: actor.id ?? IsNull(),
          progressReportId: report?.id ?? IsNull(),
          paymentId: payment?.id ?? IsNull(),
          withdrawnAt: IsNull(),
          uploadedAt: MoreThanOrEqual(since),
        },
        order: { id: 'ASC' },
      });
      if (earlier) return earlier;
      const row = em.create(Attachment, {
        projectId,
        kind: fields.kind,
        name: cleanName(file.originalname, type),
        size,
        sha256,
        mime: ACCEPTED_TYPES[type],
        takenAt: facts.takenAt,
        lat: facts.lat,
        lng: facts.lng,
        hasThumbnail: thumbReady,
        progressReportId: report?.id ?? null,
        paymentId: payment?.id ?? null,
        note: fields.note?.trim() || null,
        uploadedBy: actor.username,
        uploadedById: actor.id,
        uploadedAt: this.clock.now().toISOString(),
        withdrawnAt: null,
        withdrawnBy: null,
        withdrawnById: null,
        withdrawReason: null,
        version: 1,
      });
      const inserted = await em.save(row);
      const view = toAttachmentView(inserted);
      await this.audit.record(em, actor, {
        action: 'create',
        entity: 'attachment',
        entityId: inserted.id,
        projectId,
        changes: Object.fromEntries(
          (
            [
              'kind',
              'name',
              'size',
              'sha256',
              'mime',
              'takenAt',
              'lat',
              'lng',
              'progressReportId',
              'paymentId',
              'note',
            ] as const
          )
            .filter((k) => view[k] !== null)
            .map((k) => [k, { old: null, new: view[k] }]),
        ),
      });
      return inserted;
    });
    if (isImage(type) && !thumbReady && !saved.hasThumbnail) {
      this.scheduleThumbnail(saved.id, sha256, isDecodable(type), source);
      handOver();
    }
    return toAttachmentView(saved);
  }

  private tooLarge(): AppError {
    const mb = Math.floor(this.config.attachmentMaxBytes / (1024 * 1024));
    const words = mb >= 1 ? `${mb} MB` : `${Math.floor(this.config.attachmentMaxBytes / 1024)} KB`;
    return new AppError(
      HttpStatus.PAYLOAD_TOO_LARGE,
      'ATTACHMENT_TOO_LARGE',
      [fieldError('file', 'ATTACHMENT_TOO_LARGE', `单个附件不能超过 ${words}`)],
      `单个附件不能超过 ${words}`,
    );
  }

  /** The progress report and payment named, each of this project (else 400). */
  private async owners(projectId: number, fields: UploadFields) {
    const report = fields.progressReportId
      ? await this.db.reader(ProgressReport).findOneBy({ id: fields.progressReportId, projectId })
      : null;
    if (fields.progressReportId && !report)
      throw ruleViolation('progressReportId', 'ATTACHMENT_NOT_OF_PROJECT');
    const payment = fields.paymentId
      ? await this.db.reader(Payment).findOneBy({ id: fields.paymentId, projectId })
      : null;
    if (fields.paymentId && !payment) throw ruleViolation('paymentId', 'ATTACHMENT_NOT_OF_PROJECT');
    return { report, payment };
  }

  /** A project's attachments, newest first; withdrawn ones stay, marked 已撤回. */
  async list(
    actor: Actor,
    projectId: number,
    filter: { kind?: AttachmentKind; progressReportId?: number } = {},
  ): Promise<{ items: AttachmentView[]; total: number }> {
    await this.projects.findInScope(actor, projectId);
    const rows = await this.db.reader(Attachment).find({
      where: {
        projectId,
        ...(filter.kind ? { kind: filter.kind } : {}),
        ...(filter.progressReportId ? { progressReportId: filter.progressReportId } : {}),
      },
      order: { id: 'DESC' },
    });
    return { items: rows.map(toAttachmentView), total: rows.length };
  }

  /** One attachment, when its project is in the actor's scope (else 404, like a missing one). */
  private async findInScope(actor: Actor, id: number): Promise<Attachment> {
    const a = await this.db.reader(Attachment).findOneBy({ id });
    if (!a) throw new NotFound('附件');
    try {
      await this.projects.findInScope(actor, a.projectId);
    } catch {
      throw new NotFound('附件');
    }
    return a;
  }

  async file(actor: Actor, id: number): Promise<FileAnswer> {
    const a = await this.findInScope(actor, id);
    const stream = await this.store.open(originalKey(a.sha256));
    if (!stream) throw new NotFound('附件文件');
    const inline = a.mime === 'application/pdf' || a.mime.startsWith('image/');
    return { stream, mime: a.mime, name: a.name, inline, size: a.size };
  }

  async thumbnail(actor: Actor, id: number): Promise<FileAnswer> {
    const a = await this.findInScope(actor, id);
    const stream = a.hasThumbnail ? await this.store.open(thumbnailKey(a.sha256)) : null;
    if (!stream) throw new NotFound('缩略图');
    return { stream, mime: 'image/jpeg', name: `${a.name}-缩略图.jpg`, inline: true };
  }

  /**
   * 撤回 (soft): by the uploader, or anyone's by an admin; the lock of the attachment's day applies.
   * The bytes stay (another record may share them; the history keeps the record).
   */
  async withdraw(actor: Actor, id: number, reason: string): Promise<AttachmentView> {
    const found = await this.findInScope(actor, id);
    return this.db.transaction(async (em) => {
      await this.db.lockRow(em, 'project', found.projectId);
      await this.projects.findWritable(actor, found.projectId, em);
      const a = await em.findOneByOrFail(Attachment, { id });
      if (!this.permissions.can(actor, 'attachment.withdraw.any') && a.uploadedById !== actor.id)
        throw new Forbidden('FORBIDDEN_WITHDRAW_ATTACHMENT');
      if (a.withdrawnAt) throw ruleViolation('id', 'ALREADY_WITHDRAWN');
      const report = a.progressReportId
        ? await em.findOneBy(ProgressReport, { id: a.progressReportId })
        : null;
      const payment = a.paymentId ? await em.findOneBy(Payment, { id: a.paymentId }) : null;
      await assertPeriodOpen(em, [a.projectId], {
        id: attachmentDay(a.takenAt, report, payment),
      });
      const marks = {
        withdrawnAt: this.clock.now().toISOString(),
        withdrawnBy: actor.username,
        withdrawnById: actor.id,
        withdrawReason: reason.trim(),
        version: a.version + 1,
      };
      await em.update(Attachment, { id, version: a.version }, marks);
      Object.assign(a, marks);
      await this.audit.record(em, actor, {
        action: 'withdraw',
        entity: 'attachment',
        entityId: id,
        projectId: a.projectId,
        changes: {
          withdrawnAt: { old: null, new: marks.withdrawnAt },
          withdrawnBy: { old: null, new: marks.withdrawnBy },
          withdrawReason: { old: null, new: marks.withdrawReason },
        },
      });
      return toAttachmentView(a);
    });
  }

  /**
   * The thumbnail, after the upload is answered: at most {@link THUMBNAIL_CONCURRENCY} at once (sharp
   * works on libuv's threads, off the event loop), read from the upload's temporary file (a JPEG
   * shrunk on load: never 24 megapixels in memory), then `hasThumbnail` set on every record of the
   * same bytes and the file removed. A HEIC/HEIF photo gets the placeholder card. A failure leaves
   * `hasThumbnail` false.
   */
  private scheduleThumbnail(id: number, sha256: string, decodable: boolean, source: string): void {
    const drop = () => fs.promises.rm(source, { force: true });
    if (this.closing) {
      void drop();
      return;
    }
    const run = async () => {
      try {
        const thumb = decodable ? await makeThumbnail(source) : await placeholderThumbnail();
        await this.store.put(thumbnailKey(sha256), thumb);
        await this.db.transaction((em) =>
          em.update(Attachment, { sha256, hasThumbnail: false }, { hasThumbnail: true }),
        );
      } catch (e) {
        this.logger.warn(`thumbnail of attachment ${id} not made: ${(e as Error).message}`);
      } finally {
        await drop();
      }
    };
    this.waiting.push({ run, drop });
    this.pump();
  }

  private pump(): void {
    while (this.running < THUMBNAIL_CONCURRENCY && this.waiting.length) {
      const task = this.waiting.shift()!;
      this.running++;
      const p: Promise<void> = task.run().finally(() => {
        this.running--;
        this.idle.delete(p);
        this.pump();
      });
      this.idle.add(p);
    }
  }

  /** Every thumbnail queued so far made (tests; shutdown). */
  async thumbnailsDone(): Promise<void> {
    while (this.idle.size || this.waiting.length) await Promise.all([...this.idle]);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.waiting.splice(0).map((t) => t.drop()));
    this.closing = true;
    await Promise.all([...this.idle]);
  }
}
