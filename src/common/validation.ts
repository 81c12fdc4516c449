import {
  ArgumentMetadata,
  BadRequestException,
  ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { ShapeProblem, takeForbiddenKeys, valueShape } from './body-shape';
import {
  getMetadataStorage,
  registerDecorator,
  ValidateIf,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';
import { describeValue } from './labels';
import { isCalendarDate, isPlannedDate } from './dates';
import { FieldError, fieldError, InvalidInput } from './errors';
import { isMessageCode, MessageCode } from './messages';
import { Axis, inChina, parseCoordinate } from './geo';
import { DecimalScale, HUNDREDTHS, parseDecimal, WAN } from './money';

/** class-validator's built-in constraint names → our codes. */
const BUILTIN: Record<string, MessageCode> = {
  whitelistValidation: 'FIELD_UNKNOWN',
  isDefined: 'FIELD_REQUIRED',
  isNotEmpty: 'STRING_EMPTY',
  isString: 'NOT_A_STRING',
  maxLength: 'STRING_TOO_LONG',
  minLength: 'STRING_EMPTY',
  isBoolean: 'NOT_A_BOOLEAN',
  isInt: 'NOT_AN_INTEGER',
  min: 'OUT_OF_RANGE',
  max: 'OUT_OF_RANGE',
  isIn: 'NOT_IN_LIST',
  isEnum: 'NOT_IN_LIST',
  isArray: 'NOT_AN_ARRAY',
  arrayMaxSize: 'OUT_OF_RANGE',
  nestedValidation: 'NOT_AN_OBJECT',
  isObject: 'NOT_AN_OBJECT',
};

function joinPath(parent: string, prop: string): string {
  if (/^\d+$/.test(prop)) return `${parent}[${prop}]`;
  return parent ? `${parent}.${prop}` : prop;
}

/** The constraint values declared on a property (`@Min(0)`, `@IsIn([...])`), from class-validator's metadata. */
function declared(
  target: object | undefined,
  property: string,
  type: string,
): unknown[] | undefined {
  if (!target) return undefined;
  const metas = getMetadataStorage().getTargetValidationMetadatas(
    target.constructor,
    '',
    true,
    false,
  );
  return metas.find((m) => m.propertyName === property && m.name === type)?.constraints;
}

/** What an enum or range error says in words: the allowed values with their labels, the range. */
function detailOf(name: string, target: object | undefined, property: string): string | undefined {
  if (name === 'isIn') {
    const values = declared(target, property, 'isIn')?.[0];
    if (Array.isArray(values))
      return `须为以下之一：${values
        .filter((v) => v !== null)
        .map(describeValue)
        .join('、')}`;
  }
  if (name === 'min' || name === 'max') {
    const min = declared(target, property, 'min')?.[0];
    const max = declared(target, property, 'max')?.[0];
    if (min !== undefined && max !== undefined) return `须在${String(min)}到${String(max)}之间`;
    if (min !== undefined) return `不能小于${String(min)}`;
    if (max !== undefined) return `不能大于${String(max)}`;
  }
  return undefined;
}

/** Flattens class-validator's tree into one error per field and constraint, by path. */
function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const path = joinPath(parent, e.property);
    // one message per field: the first failing constraint is the one to fix first
    const entries = Object.entries(e.constraints ?? {});
    if (entries.length) {
      // a missing field is reported as missing, not as every format it also fails
      const [name, msg] = entries.find(([n]) => n === 'isDefined') ?? entries[entries.length - 1];
      const code: MessageCode = isMessageCode(msg) ? msg : (BUILTIN[name] ?? 'INVALID');
      // a field's own message (形象进度须为0到100之间的整数) stands as it is; a generic one gets the detail
      const detail =
        code === (BUILTIN[name] ?? 'INVALID') ? detailOf(name, e.target, e.property) : undefined;
      out.push(detail ? { path, code, message: detail } : fieldError(path, code));
    }
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, path));
  }
  return out;
}

/**
 * Checks a body's or query's shape before class-transformer sees it (too deep or too wide → 400),
 * and reports `__proto__`, `constructor` and `prototype` keys as unknown fields together with
 * whatever else the validation finds (they would otherwise be dropped without a word).
 */
class BoundedValidationPipe extends ValidationPipe {
  /**
   * Query strings validated before, per DTO class: their DTO. A list under load is asked the same
   * few URLs again and again, and class-validator's metadata lookup was a tenth of each request.
   * The checks depend on the value alone (no clock, no database), so a valid query stays valid.
   */
  private readonly queries = new Map<unknown, Map<string, object>>();
  private static readonly QUERIES_KEPT = 500;

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'body' && metadata.type !== 'query')
      return super.transform(value, metadata);
    const problem = valueShape(value);
    if (problem) throw bodyTooComplex(problem);
    const forbidden = takeForbiddenKeys(value);
    if (!forbidden.length && metadata.type === 'query' && metadata.metatype) {
      let seen = this.queries.get(metadata.metatype);
      if (!seen) this.queries.set(metadata.metatype, (seen = new Map<string, object>()));
      const key = JSON.stringify(value);
      const hit = seen.get(key);
      if (hit) return copyOf(hit);
      const dto: unknown = await super.transform(value, metadata);
      // a DTO object from a query string of everyday length (a long one is not kept: 500 of them
      // would hold what any signed-in user chose to send)
      if (typeof dto === 'object' && dto !== null && key.length <= 1024) {
        if (seen.size >= BoundedValidationPipe.QUERIES_KEPT) seen.clear();
        seen.set(key, copyOf(dto));
      }
      return dto;
    }
    if (!forbidden.length) return super.transform(value, metadata);
    const unknown = forbidden.map((path) => fieldError(path, 'FIELD_UNKNOWN'));
    try {
      await super.transform(value, metadata);
    } catch (e) {
      if (e instanceof InvalidInput) throw new InvalidInput([...unknown, ...e.errors]);
      throw e;
    }
    throw new InvalidInput(unknown);
  }
}

/** A validated query DTO's own copy (its arrays too): a handler may change what it was given. */
function copyOf(dto: object): object {
  const copy = Object.assign(
    Object.create(Object.getPrototypeOf(dto) as object | null),
    dto,
  ) as Record<string, unknown>;
  for (const [k, v] of Object.entries(copy)) if (Array.isArray(v)) copy[k] = [...(v as unknown[])];
  return copy;
}

/** 400 for a body over the shape bounds, saying which bound. */
export function bodyTooComplex(problem: ShapeProblem): InvalidInput {
  const detail = {
    depth: `嵌套不能超过${problem.limit}层`,
    keys: `一个对象不能超过${problem.limit}个字段`,
    items: `一个数组不能超过${problem.limit}项`,
  }[problem.kind];
  return new InvalidInput([fieldError('', 'BODY_TOO_COMPLEX', detail)], 'BODY_TOO_COMPLEX', detail);
}

/**
 * The one validation pipe: unknown fields rejected, every bad field listed, no implicit type
 * conversion of bodies (a seat count sent as "12" is an error, not a guess).
 */
export function createValidationPipe(): ValidationPipe {
  return new BoundedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // the target is kept for the declared constraints (allowed values, ranges); it is never sent
    validationError: { target: true, value: false },
    exceptionFactory: (errors: ValidationError[]) =>
      new InvalidInput(flattenValidationErrors(errors)),
  });
}

export { BadRequestException };

function decimalDecorator(
  scale: DecimalScale,
  tooPrecise: MessageCode,
  options?: ValidationOptions,
) {
  return function (object: object, propertyName: string) {
    registerDecorator({
      name: 'isExactDecimal',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => parseDecimal(value, scale).ok,
        defaultMessage: (args: ValidationArguments) => {
          const r = parseDecimal(args.value, scale);
          if (r.ok) return 'INVALID';
          const byReason: Record<typeof r.reason, MessageCode> = {
            not_decimal: 'NOT_A_DECIMAL',
            negative: 'NEGATIVE_AMOUNT',
            too_precise: tooPrecise,
            too_large: scale === WAN ? 'AMOUNT_TOO_LARGE' : 'VALUE_TOO_LARGE',
          };
          return byReason[r.reason];
        },
      },
    });
  };
}

/** A non-negative 万元 amount: decimal string or JSON number, at most 6 decimals (one fen). */
export const IsWan = (options?: ValidationOptions) =>
  decimalDecorator(WAN, 'TOO_PRECISE_WAN', options);

/** A non-negative decimal with at most 2 places (m², 亩). */
export const IsHundredths = (options?: ValidationOptions) =>
  decimalDecorator(HUNDREDTHS, 'TOO_PRECISE_HUNDREDTHS', options);

function predicateDecorator(
  name: string,
  test: (v: unknown) => boolean,
  code: MessageCode | ((v: unknown) => MessageCode),
  options?: ValidationOptions,
) {
  return function (object: object, propertyName: string) {
    registerDecorator({
      name,
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate: test,
        defaultMessage: (args: ValidationArguments) =>
          typeof code === 'function' ? code(args.value) : code,
      },
    });
  };
}

/** `YYYY-MM-DD`, a real calendar day. */
export const IsCalendarDate = (options?: ValidationOptions) =>
  predicateDecorator('isCalendarDate', isCalendarDate, 'NOT_A_DATE', options);

/** `YYYY-MM` or `YYYY-MM-DD`. */
export const IsPlannedDate = (options?: ValidationOptions) =>
  predicateDecorator('isPlannedDate', isPlannedDate, 'NOT_A_PLANNED_DATE', options);

/** Seats, beds and target counts: at most a million each, so sums over any number of rows stay exact. */
export const MAX_COUNT = 1_000_000;

/** A non-negative whole number (seats, beds). */
export const IsCount = (options?: ValidationOptions) =>
  predicateDecorator(
    'isCount',
    (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && v <= MAX_COUNT,
    (v) =>
      typeof v === 'number' && Number.isSafeInteger(v) && v > MAX_COUNT
        ? 'COUNT_TOO_LARGE'
        : 'NOT_NON_NEGATIVE_INTEGER',
    options,
  );

/** A non-blank string. */
export const IsText = (max: number, options?: ValidationOptions) =>
  predicateDecorator(
    `isText${max}`,
    (v) => typeof v === 'string' && v.trim().length > 0 && v.length <= max,
    (v) =>
      typeof v !== 'string' ? 'NOT_A_STRING' : v.trim() === '' ? 'STRING_EMPTY' : 'STRING_TOO_LONG',
    options,
  );

/** 联系电话 / 手机号: digits, '-' and spaces, 7–20 characters, at least 7 digits. */
export const IsPhone = (options?: ValidationOptions) =>
  predicateDecorator(
    'isPhone',
    (v) => typeof v === 'string' && /^[0-9\- ]{7,20}$/.test(v) && v.replace(/\D/g, '').length >= 7,
    (v) => (typeof v !== 'string' ? 'NOT_A_STRING' : 'PHONE_INVALID'),
    options,
  );

/** 纬度 / 经度: a decimal string of degrees, ≤ 6 places, within China's extent (common/geo.ts). */
export const IsCoordinate = (axis: Axis, options?: ValidationOptions) =>
  predicateDecorator(
    axis === 'lat' ? 'isLatitude' : 'isLongitude',
    (v) => {
      const micro = parseCoordinate(v);
      return micro !== null && inChina(axis, micro);
    },
    (v) =>
      parseCoordinate(v) === null
        ? 'COORDINATE_INVALID'
        : axis === 'lat'
          ? 'LAT_OUT_OF_RANGE'
          : 'LNG_OUT_OF_RANGE',
    options,
  );

/** Query values given once, repeated, or comma-separated (`status=a,b`), as an array. */
export const commaList = ({ value }: { value: unknown }): string[] =>
  (Array.isArray(value) ? value : String(value).split(','))
    .map((s) => String(s).trim())
    .filter(Boolean);

/**
 * Optional, but not nullable: `undefined` skips validation, `null` is validated (and fails),
 * so a PATCH cannot null a required column. class-validator's IsOptional lets null through.
 */
export function IsOptionalNotNull(options?: ValidationOptions) {
  return ValidateIf((o: Record<string, unknown>, v: unknown) => v !== undefined, options);
}
