import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { MessageCode } from '../common/messages';
import { generatePassword } from './password';

/** The shortest password accepted (docs/limits.md: at least 10 characters). */
const PASSWORD_MIN_LENGTH = 10;

/**
 * Common passwords of this product's users that the library's list (drawn from leaked password
 * corpora) lacks; only ones long enough to pass the length rule matter.
 */
const LOCAL_COMMON = [
  'woaini1314',
  'woaini520520',
  'woaini123456',
  'aini1314520',
  '5201314520',
  '1314520520',
  'qq123456789',
  'abc123456789',
  'a1234567890',
  'admin123456',
  'administrator',
  'jiaoyuju123',
  'zhongguo123',
  'woaini',
  'zhangsan',
  'lisi',
  'wangwu',
  'zhongguo',
  'jiaoyu',
  'jiaoyuju',
];

/** Symbols that stand for letters (p@$$word), and digits that do so between two letters (passw0rd). */
const SYMBOL_LETTERS: Record<string, string> = { '@': 'a', $: 's', '!': 'i', '|': 'l' };
const DIGIT_LETTERS: Record<string, string> = { '0': 'o', '3': 'e', '4': 'a', '5': 's', '7': 't' };

/** The password with those swaps undone; `one` is what a 1 stands for (i or l). */
function unswapped(lower: string, one: string): string {
  return lower
    .replace(/[@$!|]/g, (c) => SYMBOL_LETTERS[c])
    .replace(/(?<=\p{L})[013457](?=\p{L})/gu, (d) => (d === '1' ? one : DIGIT_LETTERS[d]));
}

let common: Set<string> | null = null;

/**
 * The list of common passwords: the 49,233 of @zxcvbn-ts/language-common (lower case) and a few
 * local ones. Decompressed on first use (about 0.3 s), then kept.
 */
function commonPasswords(): Set<string> {
  if (!common) {
    // required here, not imported: the list costs its decompression only where a password is set
    type Common = typeof import('@zxcvbn-ts/language-common');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require('@zxcvbn-ts/language-common') as Common;
    common = new Set(
      [...pkg.dictionary['passwords-common'], ...LOCAL_COMMON].map((p) => p.toLowerCase()),
    );
  }
  return common;
}

/** Whether the password, ignoring case and the usual letter-for-symbol swaps, is a common one. */
export function isCommonPassword(password: string): boolean {
  const list = commonPasswords();
  const lower = password.toLowerCase();
  return list.has(lower) || list.has(unswapped(lower, 'i')) || list.has(unswapped(lower, 'l'));
}

/**
 * Whether a common password (or a common word of 4+ letters) is the whole of it once the digits and
 * symbols around it are taken off: Password2026, 2026woaini!, Zhangsan123.
 */
function isCommonWithAffixes(password: string): boolean {
  const core = password.toLowerCase().replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  return core.length >= 4 && core !== password.toLowerCase() && isCommonPassword(core);
}

/**
 * How many characters are left once runs of three or more repeated or consecutive characters
 * (aaa, 123, 987, abc, CBA — ignoring case) and whole repeats of a shorter part (qweqwe) are taken
 * out: 0123456789 and Abc1234567 leave 0, Aa12345678 leaves 2.
 */
export function charactersBeyondRuns(password: string): number {
  const lower = password.toLowerCase();
  const cs = [...lower].map((c) => c.codePointAt(0)!);
  for (let period = 1; period <= cs.length / 2; period++) {
    if (cs.length % period === 0 && lower === lower.slice(0, period).repeat(cs.length / period)) {
      return charactersBeyondRuns(String.fromCodePoint(...cs.slice(0, period)));
    }
  }
  let left = 0;
  let i = 0;
  while (i < cs.length) {
    const step = i + 1 < cs.length ? cs[i + 1] - cs[i] : 2;
    if (Math.abs(step) <= 1) {
      let j = i + 1;
      while (j + 1 < cs.length && cs[j + 1] - cs[j] === step) j++;
      if (j - i + 1 >= 3) {
        i = j + 1;
        continue;
      }
    }
    left++;
    i++;
  }
  return left;
}

/** Fewer characters than this outside runs and repeats, or fewer different ones, is too simple. */
const MIN_VARIED = 5;

/**
 * What is wrong with a password for this user, or null: at least 10 characters, not containing
 * the user name (any case; a name of one or two characters only may not be the whole password),
 * not a common password (also with digits or symbols around it), not mostly runs or repeats. The
 * one rule for every place a password is set.
 */
export function passwordProblem(password: string, username?: string | null): MessageCode | null {
  // the name first: a password that is the (short) username is told so, not just that it is short
  const lower = password.toLowerCase();
  const name = username?.toLowerCase();
  if (name && (name.length >= 3 ? lower.includes(name) : lower === name))
    return 'PASSWORD_CONTAINS_USERNAME';
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'PASSWORD_TOO_SHORT';
  if (isCommonPassword(password) || isCommonWithAffixes(password)) return 'PASSWORD_TOO_COMMON';
  if (new Set(lower).size < MIN_VARIED || charactersBeyondRuns(password) < MIN_VARIED)
    return 'PASSWORD_TOO_SIMPLE';
  return null;
}

/** A random password that passes the rule for this user (the first admin's, printed once). */
export function generateAcceptablePassword(username: string): string {
  for (;;) {
    const p = generatePassword();
    if (!passwordProblem(p, username)) return p;
  }
}

/**
 * The password rule as a DTO rule, reported with every other bad field, for a body that carries the
 * `username` too (creating a user); where the name is the account's, the service applies the rule.
 */
export function IsAcceptablePassword(options?: ValidationOptions) {
  const problem = (args: ValidationArguments): MessageCode | null => {
    const v = args.value as unknown;
    if (typeof v !== 'string') return 'NOT_A_STRING';
    const username = (args.object as { username?: unknown }).username;
    return passwordProblem(v, typeof username === 'string' ? username : null);
  };
  return function (object: object, propertyName: string) {
    registerDecorator({
      name: 'isAcceptablePassword',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (_v: unknown, args: ValidationArguments) => problem(args) === null,
        defaultMessage: (args: ValidationArguments) => problem(args) ?? 'INVALID',
      },
    });
  };
}
