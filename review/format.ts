/** How values read in a review: numbers with separators, factors, quoted strings, hidden secrets. */

/** `2000000` → `2,000,000` (fixed locale so output is the same on every machine). */
export function formatNumber(n: number): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/** new / old as a factor with two significant digits: `10×`, `1.7×`, `0.5×`. */
export function formatFactor(before: number, after: number): string {
  return `${Number((after / before).toPrecision(2))}×`;
}

/** A string value shown in a sentence: quoted, newlines flattened, long values cut. */
export function quote(value: string): string {
  const flat = value.replace(/\s+/g, " ");
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 77)}...` : flat);
}

/**
 * Field names whose values may be credentials. The config only admits secret references, but a
 * TypeScript stack could pass a plaintext key, and a review is posted publicly: never show these.
 */
const SECRET_FIELD = /secret|password|passwd|token(?!s$)|api_?key|private_key|credential|plaintext|auth/i;

export function isSecretField(name: string): boolean {
  return SECRET_FIELD.test(name);
}

/** A scalar for a sentence; objects and lists are summarized rather than dumped. */
export function formatScalar(value: unknown): string {
  if (value === undefined || value === null) return "not set";
  if (typeof value === "string") return quote(value);
  if (typeof value === "number") return formatNumber(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return "a block";
}

/** Key-order-independent JSON, to tell whether two blocks differ. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
