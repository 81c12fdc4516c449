/**
 * Chinese labels of the API's enumerated values (statuses, kinds, sources, roles …), registered by
 * the module that defines each list, so that an error can name the allowed values the way staff
 * know them: "须为以下之一：谋划储备(planned)、前期工作(preparing)…".
 */
const registry = new Map<string, string>();

/** Registers a value → label list and returns it unchanged (first registration of a value wins). */
export function registerLabels<T extends Record<string, string>>(labels: T): T {
  for (const [value, label] of Object.entries(labels))
    if (!registry.has(value)) registry.set(value, label);
  return labels;
}

/** `label(value)` where a label is known, else the value itself. */
export function describeValue(value: unknown): string {
  const label = typeof value === 'string' ? registry.get(value) : undefined;
  return label ? `${label}(${String(value)})` : String(value);
}
