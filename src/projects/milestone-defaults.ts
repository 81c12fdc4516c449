import { ProjectKind } from './project-rules';

/** The default milestone list (docs/domain.md), in order. */
export const DEFAULT_MILESTONES = [
  { key: 'approval', name: '立项批复' },
  { key: 'land', name: '用地手续' },
  { key: 'design_approval', name: '初步设计批复' },
  { key: 'tender', name: '招标' },
  { key: 'construction_permit', name: '施工许可' },
  { key: 'groundbreaking', name: '开工' },
  { key: 'topping_out', name: '主体封顶' },
  { key: 'completion_acceptance', name: '竣工验收' },
  { key: 'handover', name: '交付使用' },
  { key: 'final_accounts', name: '竣工决算' },
] as const;

/** Renovation projects need no land procedure and have no structure to top out. */
const SKIPPED: Partial<Record<ProjectKind, readonly string[]>> = {
  renovation: ['land', 'topping_out'],
};

export function defaultMilestones(
  kind: ProjectKind | null,
): { key: string; name: string; sortOrder: number }[] {
  const skip = (kind && SKIPPED[kind]) || [];
  return DEFAULT_MILESTONES.filter((m) => !skip.includes(m.key)).map((m, i) => ({
    key: m.key,
    name: m.name,
    sortOrder: (i + 1) * 10,
  }));
}
