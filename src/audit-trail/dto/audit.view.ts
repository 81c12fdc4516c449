import { ApiProperty } from '@nestjs/swagger';
import { PageView } from '../../common/page.view';

/** One audit entry: who, when, what, and each field old → new. */
export class AuditView {
  id: number;
  at: string;
  actorId: number | null;
  actorName: string;
  /** The actor's 姓名, when they have one. */
  actorDisplayName: string | null;
  /**
   * The name of what the entry is about: a milestone's or a project's name, a user's 姓名（用户名）
   * (null for other entities and for a deleted one).
   */
  objectName: string | null;
  action: string;
  entity: string;
  entityId: number;
  projectId: number | null;
  @ApiProperty({
    description: 'Each changed field: `{ old, new }`.',
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: { old: {}, new: {} },
      required: ['old', 'new'],
    },
  })
  changes: Record<string, { old: unknown; new: unknown }>;
}

export class AuditPageView extends PageView {
  items: AuditView[];
}
