/**
 * Writes README's "Who may do what" table from the permission table (src/common/permissions.ts),
 * between its markers. `npm run permissions:readme`; src/common/permissions.spec.ts fails when README
 * and the table disagree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PERMISSIONS, permissionsMarkdown } from '../src/common/permissions';
import { ROLE_LABELS } from '../src/common/vocabulary';

export const BEGIN = '<!-- permissions:begin (npm run permissions:readme) -->';
export const END = '<!-- permissions:end -->';

const file = path.join(__dirname, '..', 'README.md');
const readme = fs.readFileSync(file, 'utf8');
const from = readme.indexOf(BEGIN);
const to = readme.indexOf(END);
if (from < 0 || to < from) throw new Error(`README.md has no ${BEGIN} … ${END} markers`);
const next =
  readme.slice(0, from + BEGIN.length) +
  '\n' +
  permissionsMarkdown(PERMISSIONS, ROLE_LABELS) +
  '\n' +
  readme.slice(to);
if (next !== readme) fs.writeFileSync(file, next);
process.stdout.write(next === readme ? 'README.md: up to date\n' : 'README.md: table written\n');
