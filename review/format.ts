/** How values read in a review: numbers with separators, factors, quoted strings, hidden secrets. */
import { isCredentialName, redactCredentials } from "../databricks/credentials";

/**
 * `2000000` → `2,000,000`, the same on every machine. Not `toLocaleString`: it costs about 40 µs
 * a call, which dominated a review of thousands of endpoints.
 */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const [whole, fraction] = String(Math.round(n * 100) / 100).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return fraction ? `${grouped}.${fraction}` : grouped;
}

/** new / old as a factor with two significant digits: `10×`, `1.7×`, `0.5×`. */
export function formatFactor(before: number, after: number): string {
  return `${Number((after / before).toPrecision(2))}×`;
}

/** A string value shown in a sentence: quoted, newlines flattened, long values cut, credentials redacted. */
export function quote(value: string): string {
  const flat = redactCredentials(value).replace(/\s+/g, " ");
  return JSON.stringify(flat.length > 80 ? `${flat.slice(0, 77)}...` : flat);
}

/**
 * Field names whose values may be credentials. The config only admits secret references, but a
 * TypeScript stack could pass a plaintext key, and a review is posted publicly: never show these.
 * The one detector (databricks/credentials.ts) owns what a credential name is.
 */
export function isSecretField(name: string): boolean {
  return isCredentialName(name);
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

/**
 * Deep equality of JSON values without building strings: most endpoints do not change, and
 * skipping them early keeps a review of thousands of endpoints well under a second.
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], bb[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let count = 0;
  for (const k in ao) {
    if (ao[k] === undefined) continue;
    count++;
    if (!jsonEqual(ao[k], bo[k])) return false;
  }
  for (const k in bo) if (bo[k] !== undefined) count--;
  return count === 0;
}

/** How many times smaller: `17× cut` (1,000 → 60), two significant digits. */
export function formatCut(before: number, after: number): string {
  return `${Number((before / after).toPrecision(2))}× cut`;
}
