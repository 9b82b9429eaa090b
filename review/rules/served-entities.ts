import { describeEntity } from "../describe";
import { bool, isObj, ServedEntityView } from "../endpoint-view";
import { formatCut, formatFactor, formatScalar, isSecretField, stableJson } from "../format";
import type { EndpointRule, Finding } from "./rule";
import { CAPACITY_FIELDS, PROVIDER, WORKLOAD_SIZES } from "../../databricks";

const SCALE_TO_ZERO_ADVICE =
  `${PROVIDER} drops false booleans from requests, so the entity may keep scaling to zero; turn it off in the Serving UI as well and check after the deploy`;

/**
 * Field-level differences of one served entity. Provider credential blocks (`*_config` of an
 * external model) and environment variables are compared but never shown: they can hold keys.
 */
function entityFieldChanges(name: string, before: Record<string, unknown>, after: Record<string, unknown>, prefix = ""): Finding[] {
  const findings: Finding[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  for (const key of keys) {
    const b = before[key];
    const a = after[key];
    if (key === "name" && prefix === "") continue;
    if (stableJson(b ?? null) === stableJson(a ?? null)) continue;
    const field = `${prefix}${key}`;
    if (key === "external_model" && isObj(b) && isObj(a)) {
      findings.push(...entityFieldChanges(name, b, a, "external_model."));
      continue;
    }
    const hidden = isSecretField(key) || key.endsWith("_config") || key === "environment_vars";
    if (hidden || (typeof a === "object" && a !== null) || (typeof b === "object" && b !== null)) {
      findings.push({ class: "neutral", what: `served entity ${name} ${field}${hidden ? " (values not shown)" : ""}` });
      continue;
    }
    if (key === "scale_to_zero_enabled" && bool(b) === true && bool(a) !== true) {
      findings.push({ class: "not-applied", what: `served entity ${name} scale_to_zero_enabled`, before: "true", after: formatScalar(bool(a) ?? false), advice: SCALE_TO_ZERO_ADVICE });
      continue;
    }
    const cost = costChange(key, b, a);
    findings.push({ class: "neutral", what: `served entity ${name} ${field}`, before: formatScalar(b), after: formatScalar(a), ...cost });
  }
  return findings;
}

type CostChange = Pick<Finding, "class" | "label" | "detail">;

/** More capacity costs more: it widens what the endpoint can spend, as a raised limit does. */
const RAISES_COST = { class: "loosens", label: "raises cost" } as const;
const LOWERS_COST = { class: "tightens", label: "lowers cost" } as const;

/**
 * A change of a capacity field (CAPACITY_FIELDS, workload_size, scale_to_zero_enabled switched
 * on) as a cost change, or undefined when the values cannot be ordered (a token, an unknown size).
 */
function costChange(key: string, before: unknown, after: unknown): CostChange | undefined {
  if ((CAPACITY_FIELDS as readonly string[]).includes(key)) {
    const value = (v: unknown) => (v === undefined && key.startsWith("min_") ? 0 : v);
    const [b, a] = [value(before), value(after)];
    if (typeof b !== "number" || typeof a !== "number" || b === a) return undefined;
    const factor = b === 0 || a === 0 ? "" : `${a > b ? formatFactor(b, a) : formatCut(b, a)}, `;
    return a > b ? { ...RAISES_COST, detail: `${factor}more capacity` } : { ...LOWERS_COST, detail: `${factor}less capacity` };
  }
  if (key === "workload_size") {
    const [b, a] = [WORKLOAD_SIZES.indexOf(before as never), WORKLOAD_SIZES.indexOf(after as never)];
    if (b < 0 || a < 0 || b === a) return undefined;
    return a > b ? { ...RAISES_COST, detail: "more capacity" } : { ...LOWERS_COST, detail: "less capacity" };
  }
  if (key === "scale_to_zero_enabled" && bool(before) !== true && bool(after) === true) return { ...LOWERS_COST, detail: "no compute while idle" };
  return undefined;
}

function byName(entities: readonly ServedEntityView[]): Map<string, ServedEntityView> {
  return new Map(entities.map((e) => [e.name, e]));
}

export const servedEntities: EndpointRule = {
  id: "served-entities",
  what: "Served entities added, removed or changed",
  why: "What the endpoint serves; converting to or from external models is rejected after creation. Capacity (model units, provisioned throughput or concurrency, workload size, scale to zero) is what the endpoint costs: more raises cost (worded so, class loosens), less lowers it (tightens).",
  check(base, head, context) {
    const findings: Finding[] = [];
    const external = (v: readonly ServedEntityView[]) => v.length > 0 && v.every((e) => e.kind === "external model");
    if (!context.replaced && base.servedEntities.length > 0 && head.servedEntities.length > 0 && external(base.servedEntities) !== external(head.servedEntities)) {
      findings.push({
        class: "not-applied",
        what: "served model kind",
        before: external(base.servedEntities) ? "external models" : "custom or foundation models",
        after: external(head.servedEntities) ? "external models" : "custom or foundation models",
        advice:
          "an endpoint cannot be converted to or from external models after creation, so the update fails; add a new endpoint key for the new kind and retire this one",
      });
    }
    const before = byName(base.servedEntities);
    const after = byName(head.servedEntities);
    for (const [name, b] of before) {
      const a = after.get(name);
      if (!a) findings.push({ class: "neutral", what: `served entity ${name}`, before: describeEntity(b).slice(name.length + 2), after: "removed", field: ["served_entities"] });
      else {
        const at = ["served_entities", head.servedEntities.indexOf(a)];
        findings.push(...entityFieldChanges(name, b.raw, a.raw).map((f) => ({ ...f, field: at })));
      }
    }
    for (const [name, a] of after) {
      if (!before.has(name)) {
        findings.push({ class: "neutral", what: `served entity ${name}`, before: "none", after: `${describeEntity(a).slice(name.length + 2)} (${a.kind})`, field: ["served_entities", head.servedEntities.indexOf(a)] });
      }
    }
    return findings;
  },
};
