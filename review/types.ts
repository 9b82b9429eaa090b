/**
 * The shape of a review: what `reviewStacks` returns, `renderMarkdown` prints and
 * `--format json` serializes. Every field is derived from synthesized Terraform JSON, never from
 * YAML, so a stack written in TypeScript is reviewed the same way. Nothing here holds a raw
 * resource: a review can be printed or posted without leaking provider, backend or credential
 * fields.
 */

/** Parsed `cdk.tf.json` per environment name (not the stack name: `prod`, not `gateway-prod`). */
import type { AppRow } from "./apps";
import type { ServiceAccessRow, ServicePolicyRow } from "./services/policy";
export type { ServiceAccessRow, ServicePolicyRow };

export type SynthesizedStacks = Record<string /* environment name */, unknown /* parsed cdk.tf.json */>;

/**
 * How a change lands, most severe first.
 * - `replaces`: a one-way door (endpoint destroyed and/or created: downtime, new id).
 * - `not-applied`: the provider (the version the bindings describe) does not carry it out; the reviewer is told what to do instead.
 * - `creates`: a new endpoint: nothing existing changes, but it grants new access (listed).
 * - `loosens` / `tightens`: gateway policy gets weaker / stronger.
 * - `neutral`: neither (model versions, traffic splits, tags).
 */
export type ChangeClass = "replaces" | "not-applied" | "creates" | "loosens" | "tightens" | "neutral";

export const CHANGE_CLASSES: readonly ChangeClass[] = ["replaces", "not-applied", "creates", "loosens", "tightens", "neutral"];

export const CLASS_LABEL: Readonly<Record<ChangeClass, string>> = {
  replaces: "replaces the endpoint",
  "not-applied": "not applied by the provider",
  creates: "creates the endpoint",
  loosens: "loosens",
  tightens: "tightens",
  neutral: "neutral",
};

/** What a rule found, before it is placed in an environment and worded as a sentence. */
export interface Finding {
  readonly class: ChangeClass;
  /** What changed, in Databricks words: `per-user QPM`, `input guardrail PII`. */
  readonly what: string;
  /** Old and new value as shown; both absent for a change whose values are not shown. */
  readonly before?: string;
  readonly after?: string;
  /** Right after the values: the factor of a limit (`10×`), or a short consequence. */
  readonly detail?: string;
  /** After the class: why it is a one-way door or not applied, and what to do instead. */
  readonly advice?: string;
  /** The class as worded for a resource that is not an endpoint (`destroys the app`) or for a cost change (`raises cost`). @default - CLASS_LABEL of the class */
  readonly label?: string;
  /**
   * Where the change is set in the YAML config, as a path inside the endpoint
   * (`["ai_gateway", "guardrails", "input", "safety"]`), or inside the environment file when it
   * starts with `"$environment"`. Used only to locate the change (file:line); never shown.
   */
  readonly field?: readonly (string | number)[];
}

export interface Change extends Finding {
  readonly environment: string;
  /**
   * The endpoint key: Terraform logical id of `databricks_model_serving` (and its permissions).
   * Absent for a change of the environment itself (its stack added or removed).
   */
  readonly endpoint?: string;
  /** The Terraform address of a resource that is not part of an endpoint (`databricks_grants.x`). */
  readonly resource?: string;
  /** `config/gateway.yaml:42`: the YAML line that set the changed value, when the config is known. */
  readonly source?: string;
  /** Id of the rule that found it (`rate-limits`, `guardrails`, ...). */
  readonly rule: string;
  /** True when this change alone makes the review exit 2. */
  readonly signOff: boolean;
  /** The whole change as one sentence: environment, endpoint (if any), old → new, class. */
  readonly sentence: string;
}

/** One row of the policy report: an endpoint as deployed by the head (or base, when removed). */
export interface PolicyRow {
  readonly endpoint: string;
  readonly name: string;
  readonly servedEntities: string;
  readonly routing: string;
  readonly limits: string;
  readonly guardrails: string;
  readonly usageTracking: string;
  readonly inferenceTable: string;
  readonly permissions: string;
  readonly tags: string;
  /** `new`: the endpoint is new in head; `removed`: only in base (the row shows the base). */
  readonly status?: "new" | "removed";
  /** Fields of the row that differ from the base's row of the same endpoint. */
  readonly changed?: readonly (keyof PolicyRow)[];
}

/** One effective limit: `value` undefined means no limit; `basis` says which limit sets it. */
export interface EffectiveLimit {
  readonly value?: number;
  readonly basis: string;
}

/** Who gets what on one endpoint. */
export interface AccessRow {
  readonly endpoint: string;
  /** `group analysts`, `user a@b.com`, `service principal <id>`, or `any other user`. */
  readonly principal: string;
  /**
   * `CAN_QUERY`, `CAN_MANAGE`, `CAN_VIEW (cannot query)`, `no access`, `not managed here`, or
   * `no direct grant (may query through a group)` for a user or service principal named in a
   * limit but not in the ACL.
   */
  readonly access: string;
  /** A direct grant (or an unmanaged ACL) lets this principal query. */
  readonly canQuery: boolean;
  /** When it queries; `{ value: 0, basis: "cannot query" }` for a principal that cannot. */
  readonly qpm: EffectiveLimit;
  readonly tpm: EffectiveLimit;
  /** Access or an effective limit differs from the base (or the row is new). */
  readonly changed?: boolean;
}

export interface EnvironmentReview {
  readonly name: string;
  /** `added` / `removed`: the environment exists only in the head / only in the base. */
  readonly status: "added" | "removed" | "present";
  /** Any endpoint of the environment (base or head) has `lifecycle.prevent_destroy`. */
  readonly protected: boolean;
  /** Endpoints in head (base for a removed environment). */
  readonly endpointCount: number;
  readonly policy: readonly PolicyRow[];
  readonly access: readonly AccessRow[];
  /** The environment's apps: what each can query, so what its users can query through it. @default - no apps */
  readonly apps?: readonly AppRow[];
  readonly changes: readonly Change[];
  /** The standalone AI Gateway services (model, model provider, MCP), as deployed by the head. */
  readonly services: readonly ServicePolicyRow[];
  readonly serviceAccess: readonly ServiceAccessRow[];
}

/** Something about the review as a whole (for example: the base could not be synthesized). */
export interface Notice {
  readonly text: string;
  readonly signOff: boolean;
}

export interface Review {
  /** What was compared, for headings: a git ref and `working tree`. */
  readonly baseLabel: string;
  readonly headLabel: string;
  /** Sorted by name. */
  readonly environments: readonly EnvironmentReview[];
  /** Every change of every environment, in environment order. */
  readonly changes: readonly Change[];
  readonly notices: readonly Notice[];
}
