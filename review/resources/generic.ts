/**
 * The review of anything no handler knows: a resource type without a handler, a data source,
 * the backend, `required_providers`, provider blocks, outputs. One neutral line that names the
 * changed fields and never their values (a backend or provider block holds hosts, buckets,
 * tokens), so that "No changes" is never said of a stack that changed.
 */
import { compareStrings } from "../endpoint-view";
import { stableJson } from "../format";
import type { Finding } from "../types";
import type { Obj } from "./handler";

/** At most this many field paths are listed in one change. */
export const MAX_FIELDS = 5;

function isObject(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Without cdktf's `//` metadata (construct paths): it is not deployed. */
export function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (!isObject(value)) return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) if (k !== "//") out[k] = withoutMetadata(v);
  return out;
}

/**
 * Paths of the fields that differ (`config.traffic_config.routes`): objects are descended, a list
 * or a scalar is one field. Only names are listed, never values, so no credential can leak.
 */
export function changedFields(before: unknown, after: unknown, prefix = ""): string[] {
  if (!isObject(before) || !isObject(after)) return stableJson(before ?? null) === stableJson(after ?? null) ? [] : [prefix || "(whole block)"];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => k !== "//").sort(compareStrings);
  return keys.flatMap((k) => changedFields(before[k], after[k], prefix ? `${prefix}.${k}` : k));
}

/** `fields: a, b, c and 2 more`. */
export function fieldList(fields: readonly string[]): string {
  const shown = fields.slice(0, MAX_FIELDS).join(", ");
  const more = fields.length > MAX_FIELDS ? ` and ${fields.length - MAX_FIELDS} more` : "";
  return `fields: ${shown}${more}`;
}

/** A resource (or block) created, removed, or changed, in a neutral sentence. */
export function genericFindings(what: string, base: unknown, head: unknown, removedDetail = "Terraform destroys it"): Finding[] {
  const b = withoutMetadata(base);
  const h = withoutMetadata(head);
  if (b === undefined && h === undefined) return [];
  if (b === undefined) {
    const fields = changedFields({}, h);
    return [{ class: "neutral", what, before: "none", after: "created", ...(fields.length ? { detail: fieldList(fields) } : {}) }];
  }
  if (h === undefined) return [{ class: "neutral", what, before: "present", after: "removed", detail: removedDetail }];
  const fields = changedFields(b, h);
  return fields.length === 0 ? [] : [{ class: "neutral", what, detail: fieldList(fields) }];
}
