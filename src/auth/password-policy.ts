import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';
import { MessageCode } from '../common/messages';
import { generatePassword } from './password';

/** The shortest password accepted (SPEC: at least 10 characters). */
export const PASSWORD_MIN_LENGTH = 10;

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
 * What is wrong with a password for this user, or null: at least 10 characters, not containing
 * the user name (any case), not a common password. The one rule for every place a password is set.
 */
export function passwordProblem(password: string, username?: string | null): MessageCode | null {
  // the name first: a password that is the (short) username is told so, not just that it is short
  if (username && password.toLowerCase().includes(username.toLowerCase()))
    return 'PASSWORD_CONTAINS_USERNAME';
  if ([...password].length < PASSWORD_MIN_LENGTH) return 'PASSWORD_TOO_SHORT';
  if (isCommonPassword(password)) return 'PASSWORD_TOO_COMMON';
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
