/**
 * What the three standalone AI Gateway resources share: rate limits, the inference table, the
 * provider block, and rendering typed camelCase props to the provider's snake_case attributes.
 *
 * The bindings we depend on (@cdktf/provider-databricks 15.16.1, provider 1.99) predate these
 * resources, and the Terraform JSON is the same for any provider version, so the constructs are
 * our own `TerraformResource` subclasses. Attribute names and nesting are tested against the
 * published 1.132 bindings (__tests__/constructs/binding-schema.test.ts).
 *
 * @see https://registry.terraform.io/providers/databricks/databricks/latest/docs/resources/ai_gateway_model_service
 */
import { TerraformResource } from "cdktf";
import { Construct } from "constructs";
import { DEFAULT_SERVICE_RENEWAL_PERIOD, RENEWAL_PERIOD_VALUE } from "../databricks/ai-gateway-services";
import { propsError, type PropsProblem, throwPropsErrors } from "./props-problems";

/** API values of a rate limit's scope. */
export type ServiceRateLimitKeyValue =
  | "RATE_LIMIT_KEY_SERVICE"
  | "RATE_LIMIT_KEY_USER"
  | "RATE_LIMIT_KEY_USER_DEFAULT"
  | "RATE_LIMIT_KEY_USER_GROUP"
  | "RATE_LIMIT_KEY_SERVICE_PRINCIPAL"
  | "RATE_LIMIT_KEY_REQUEST_TAG";

export type RenewalPeriodValue = "RATE_LIMIT_RENEWAL_PERIOD_MINUTE" | "RATE_LIMIT_RENEWAL_PERIOD_HOUR";

/** One rate limit of a service; the stricter of requests and tokens wins. */
export interface ServiceRateLimit {
  /** Who the limit applies to. `RATE_LIMIT_KEY_SERVICE` caps the whole service. */
  readonly key: ServiceRateLimitKeyValue;
  /** User e-mail, group name or service principal application id; only for USER, USER_GROUP and SERVICE_PRINCIPAL. @default - none */
  readonly principal?: string;
  /** @default "RATE_LIMIT_RENEWAL_PERIOD_MINUTE" */
  readonly renewalPeriod?: RenewalPeriodValue;
  /** Requests per renewal period. @default - no request limit */
  readonly requests?: number;
  /** Tokens per renewal period. @default - no token limit */
  readonly tokens?: number;
  /** The request tag a REQUEST_TAG limit applies to (not in the 1.132 bindings). @default - none */
  readonly requestTagKey?: string;
  /** One value of `requestTagKey`. @default - every value of the tag */
  readonly requestTagValue?: string;
}

/** Payload logging to `<parent>.<tableNamePrefix>_payload`; parent and prefix cannot change after creation. */
export interface ServiceInferenceTable {
  /** `schemas/<catalog>.<schema>`. */
  readonly parent: string;
  /** @default - the service name (server side) */
  readonly tableNamePrefix?: string;
}

/** For an account-level provider: the workspace the service belongs to. */
export interface ServiceProviderConfig {
  readonly workspaceId: string;
}

/** Props every service takes. */
export interface ServiceBaseProps {
  /** `schemas/<catalog>.<schema>` the service lives in. Changing it replaces the service. */
  readonly parent: string;
  /** @default - no comment */
  readonly comment?: string;
  /** @default - the provider's workspace */
  readonly providerConfig?: ServiceProviderConfig;
  /** `lifecycle.prevent_destroy`. @default false */
  readonly preventDestroy?: boolean;
}

/** camelCase → snake_case. Service schemas have no user-keyed maps, so every object key is a field name. */
export function snakeKey(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Props → Terraform attributes: keys to snake_case, undefined dropped, values as they are. */
export function toAttributes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toAttributes);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[snakeKey(k)] = toAttributes(v);
  return out;
}

export function renderRateLimits(limits: readonly ServiceRateLimit[] | undefined): unknown[] | undefined {
  return limits?.map((l) => ({ ...l, renewalPeriod: l.renewalPeriod ?? (RENEWAL_PERIOD_VALUE[DEFAULT_SERVICE_RENEWAL_PERIOD] as RenewalPeriodValue) }));
}

/** A resource whose attributes are our typed props, rendered in snake_case. */
export abstract class ServiceResource<P extends ServiceBaseProps> extends TerraformResource {
  protected constructor(
    scope: Construct,
    id: string,
    terraformResourceType: string,
    protected readonly props: P,
  ) {
    super(scope, id, {
      terraformResourceType,
      terraformGeneratorMetadata: { providerName: "databricks" },
      lifecycle: props.preventDestroy ? { preventDestroy: true } : undefined,
    });
  }

  /** The attributes in provider order (identity, comment, config, provider_config), camelCase. */
  protected abstract attributes(): Record<string, unknown>;

  protected synthesizeAttributes(): { [name: string]: unknown } {
    return toAttributes({ ...this.attributes(), comment: this.props.comment, providerConfig: this.props.providerConfig }) as { [name: string]: unknown };
  }

  /** `model-services/<catalog>.<schema>.<id>` (and the like): the API resource name, known after apply. */
  get resourceName(): string {
    return this.getStringAttribute("name");
  }
}

/** Common checks of `config.rateLimits` for TypeScript users who bypass the YAML validator. */
export function checkRateLimits(problems: PropsProblem[], limits: readonly ServiceRateLimit[] | undefined, maxLimits: number, maxGroups: number): void {
  const list = limits ?? [];
  const at = "config.rateLimits";
  if (list.length > maxLimits) problems.push(propsError(at, `${list.length} rate limits, at most ${maxLimits}`));
  const groups = list.filter((l) => l.key === "RATE_LIMIT_KEY_USER_GROUP").length;
  if (groups > maxGroups) problems.push(propsError(at, `${groups} user-group rate limits, at most ${maxGroups}`));
  list.forEach((l, i) => {
    const needsPrincipal = l.key === "RATE_LIMIT_KEY_USER" || l.key === "RATE_LIMIT_KEY_USER_GROUP" || l.key === "RATE_LIMIT_KEY_SERVICE_PRINCIPAL";
    if (needsPrincipal && l.principal === undefined) problems.push(propsError(`${at}[${i}].principal`, `${l.key} needs a principal`));
    if (!needsPrincipal && l.principal !== undefined) problems.push(propsError(`${at}[${i}].principal`, `${l.key} takes no principal`));
    if ((l.key === "RATE_LIMIT_KEY_REQUEST_TAG") !== (l.requestTagKey !== undefined)) problems.push(propsError(`${at}[${i}].requestTagKey`, `requestTagKey is required for RATE_LIMIT_KEY_REQUEST_TAG and only for it`));
  });
}

/** Throws one GatewayPropsError (as GovernedEndpoint does) for a service's problems, before it is built. */
export function throwProblems(where: string, what: string, problems: readonly PropsProblem[]): void {
  throwPropsErrors(where, what, problems);
}
