/**
 * Bounds on the shape of a request body, checked before any transformation (docs/limits.md, docs/stack.md
 * pitfall 15): class-transformer's plain → instance is superlinear in the number of keys and
 * recursive in the depth, so a 942 KB object of 110,000 keys blocked the event loop for 17 s and
 * JSON nested 50,000 deep overflowed the stack. No route takes anything near these limits.
 */
interface ShapeLimits {
  maxKeys: number;
  maxItems: number;
  maxDepth: number;
}

export const BODY_SHAPE: Readonly<ShapeLimits> = {
  /** Keys in one object. */
  maxKeys: 200,
  /** Elements in one array. */
  maxItems: 10_000,
  /** Objects and arrays inside each other. */
  maxDepth: 10,
};

/** Keys that name the prototype machinery: unknown fields on every route, never silently dropped. */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type ShapeProblem = { kind: 'depth' | 'keys' | 'items'; limit: number };

/**
 * Scans raw JSON text for its nesting depth and the size of each object and array, in one pass
 * and without parsing it: a body that is too deep or too wide is refused before JSON.parse.
 * Malformed JSON passes through for the parser to reject.
 */
export function scanJsonShape(buf: Buffer, limits: ShapeLimits = BODY_SHAPE): ShapeProblem | null {
  // per open container: is it an object, how many commas at its level
  const isObject: boolean[] = [];
  const commas: number[] = [];
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    const top = isObject.length - 1;
    if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (isObject.length >= limits.maxDepth) return { kind: 'depth', limit: limits.maxDepth };
      isObject.push(c === 0x7b);
      commas.push(0);
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      isObject.pop();
      commas.pop();
    } else if (c === 0x2c /* , */) {
      if (top < 0) continue;
      const n = ++commas[top] + 1;
      if (isObject[top] && n > limits.maxKeys) return { kind: 'keys', limit: limits.maxKeys };
      if (!isObject[top] && n > limits.maxItems) return { kind: 'items', limit: limits.maxItems };
    }
  }
  return null;
}

/** The same bounds on a value already parsed (multipart fields, query strings); stops at the limit. */
export function valueShape(
  value: unknown,
  limits: ShapeLimits = BODY_SHAPE,
  depth = 0,
): ShapeProblem | null {
  if (value === null || typeof value !== 'object') return null;
  if (depth >= limits.maxDepth) return { kind: 'depth', limit: limits.maxDepth };
  if (Array.isArray(value)) {
    if (value.length > limits.maxItems) return { kind: 'items', limit: limits.maxItems };
    for (const v of value) {
      const p = valueShape(v, limits, depth + 1);
      if (p) return p;
    }
    return null;
  }
  let n = 0;
  for (const k in value) {
    if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
    if (++n > limits.maxKeys) return { kind: 'keys', limit: limits.maxKeys };
  }
  for (const k of Object.keys(value)) {
    const p = valueShape((value as Record<string, unknown>)[k], limits, depth + 1);
    if (p) return p;
  }
  return null;
}

/**
 * Removes every own key named `__proto__`, `constructor` or `prototype` (JSON.parse makes them
 * own properties) and returns their paths, so they are reported as unknown fields.
 */
export function takeForbiddenKeys(value: unknown, parent = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  for (const k of Object.keys(value)) {
    const path = Array.isArray(value) ? `${parent}[${k}]` : parent ? `${parent}.${k}` : k;
    if (!Array.isArray(value) && FORBIDDEN_KEYS.has(k)) {
      found.push(path);
      delete (value as Record<string, unknown>)[k];
    } else {
      found.push(...takeForbiddenKeys((value as Record<string, unknown>)[k], path));
    }
  }
  return found;
}

/** A body-parser error for a body over the shape bounds (mapped to 400 by the exception filter). */
export class BodyTooComplex extends Error {
  readonly type = 'body.too.complex';
  readonly status = 400;

  constructor(readonly problem: ShapeProblem) {
    super(`body ${problem.kind} over ${problem.limit}`);
  }
}
