import { ApiProperty } from '@nestjs/swagger';
import { ATTACHMENT_KINDS, AttachmentKind } from './attachment.entity';

/** An attachment (附件) of a project: a document or a progress photo. */
export class AttachmentView {
  id: number;
  projectId: number;
  @ApiProperty({ enum: ATTACHMENT_KINDS })
  kind: AttachmentKind;
  /** 批复文件, 施工许可证, 合同, 验收资料, 进度照片, 其他. */
  kindLabel: string;
  /** The uploaded name, without folders or control characters. */
  name: string;
  /** Bytes. */
  size: number;
  sha256: string;
  /** The type read from the content. */
  mime: string;
  /** When the photo was taken (EXIF, the camera's clock, no zone): `2026-11-20T10:30:15`. */
  takenAt: string | null;
  /** WGS84 latitude, exact decimal string (7 places). */
  lat: string | null;
  lng: string | null;
  /** `GET /api/attachments/:id/thumbnail` is ready (made just after the upload is answered). */
  hasThumbnail: boolean;
  progressReportId: number | null;
  paymentId: number | null;
  note: string | null;
  uploadedBy: string;
  uploadedAt: string;
  /** 已撤回: still listed and readable, counted nowhere. */
  withdrawn: boolean;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
  withdrawReason: string | null;
  version: number;
}

export class AttachmentListView {
  @ApiProperty({ type: [AttachmentView] })
  items: AttachmentView[];
  total: number;
}
