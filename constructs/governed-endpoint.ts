import { ModelServing, ModelServingConfig } from "@cdktf/provider-databricks/lib/model-serving";
import { TerraformStack, Token } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { DEFAULT_RENEWAL_PERIOD, GO_DURATION_PATTERN, TERRAFORM_NAME_PATTERN, type PiiBehavior, type RateLimitKey, type Task, type WorkloadSize, type WorkloadType } from "../databricks";
import { constructIdFor } from "./construct-id";
import { EndpointPermission, EndpointPermissions, governEndpointResource } from "./endpoint-permissions";
import type { ExternalModelProps } from "./external-models";
import { validateGovernedEndpointProps } from "./governed-endpoint-validation";
import { reportProblems, type PropsProblem } from "./props-problems";

/** A model served through an external provider (OpenAI, Anthropic, Bedrock, ...). */
export interface ExternalModelEntity {
  /** Unique within the endpoint; routes and fallbacks refer to it. */
  readonly name: string;
  readonly externalModel: ExternalModelProps;
}

/** A foundation model (`system.ai.*` or a UC copy) on provisioned throughput. */
export interface FoundationModelEntity {
  readonly name: string;
  /** e.g. `system.ai.meta_llama_v3_3_70b_instruct`. */
  readonly entityName: string;
  readonly entityVersion: string;
  /** Tokens per second. @default - server default */
  readonly minProvisionedThroughput?: number;
  /** Tokens per second. @default - server default */
  readonly maxProvisionedThroughput?: number;
  /** @default - not used */
  readonly provisionedModelUnits?: number;
  /** @default - server default (false) */
  readonly scaleToZeroEnabled?: boolean;
}

/** A custom model registered in Unity Catalog, on CPU or GPU compute. */
export interface CustomModelEntity {
  readonly name: string;
  /** e.g. `ml.models.ranker`. */
  readonly entityName: string;
  readonly entityVersion: string;
  /** `Small`, `Medium` or `Large`. @default - required unless provisioned concurrency is set */
  readonly workloadSize?: WorkloadSize | (string & {});
  /** @default "CPU" (server side) */
  readonly workloadType?: WorkloadType;
  /** @default - server default (false) */
  readonly scaleToZeroEnabled?: boolean;
  readonly minProvisionedConcurrency?: number;
  readonly maxProvisionedConcurrency?: number;
  /** Values that are credentials must be `{{secrets/<scope>/<key>}}` references. @default - none */
  readonly environmentVars?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly instanceProfileArn?: string;
}

export type ServedEntity = ExternalModelEntity | FoundationModelEntity | CustomModelEntity;

/**
 * How traffic reaches the served entities.
 * - `fallback`: entities in failover order; the first gets 100 %, the rest 0 % (fallback only),
 *   and AI Gateway fallback is enabled. External models only.
 * - `split`: integer percentages per entity summing to 100; with `fallback: true` a failed
 *   request also fails over in served-entity order.
 */
export type Routing =
  | { readonly fallback: readonly string[] }
  | { readonly split: Readonly<Record<string, number>>; readonly fallback?: boolean };

export type { PiiBehavior, RateLimitKey } from "../databricks";

/** A per-minute limit; the stricter of calls and tokens wins. */
export interface RateLimit {
  /** Who the limit applies to. `endpoint` is a global cap. */
  readonly key: RateLimitKey;
  /** Group name (user_group), application id (service_principal), or a user's e-mail (user override). @default - none */
  readonly principal?: string;
  /** Queries per minute. @default - no query limit */
  readonly calls?: number;
  /** Tokens per minute. @default - no token limit */
  readonly tokens?: number;
}

export interface GuardrailPolicy {
  /** Block unsafe content. @default - not set */
  readonly safety?: boolean;
  /** What to do with personal data. @default - not set */
  readonly pii?: PiiBehavior;
}

export interface InferenceTable {
  /** @default - required unless `enabled` is false */
  readonly catalogName?: string;
  /** @default - required unless `enabled` is false */
  readonly schemaName?: string;
  /** @default - the endpoint name (server side) */
  readonly tableNamePrefix?: string;
  /** @default true */
  readonly enabled?: boolean;
}

/** The AI Gateway policy of an endpoint. */
export interface AiGateway {
  /** Write usage to `system.serving.endpoint_usage`. @default - not managed */
  readonly usageTracking?: boolean;
  /** Log requests and responses to `<catalog>.<schema>.<prefix>_payload`; `false` emits no table. @default - no inference table */
  readonly inferenceTable?: InferenceTable | false;
  /** @default - no limits */
  readonly rateLimits?: readonly RateLimit[];
  /** @default - no guardrails */
  readonly guardrails?: { readonly input?: GuardrailPolicy; readonly output?: GuardrailPolicy };
}

export interface GovernedEndpointProps {
  /** The endpoint name in the workspace (letters, digits, `_`, `-`). Changing it replaces the endpoint. */
  readonly name: string;
  /**
   * What the endpoint serves; one kind only (external, foundation or custom models).
   * @default - no `config` block: the served models stay as the workspace has them (adopt an
   * existing endpoint with `importExisting`, e.g. a Databricks-hosted `databricks-*` endpoint)
   */
  readonly servedEntities?: readonly ServedEntity[];
  /** The task of every external model. @default - required when serving external models */
  readonly task?: Task;
  /** @default - a single entity gets all traffic; more than one entity needs routing */
  readonly routing?: Routing;
  /** @default - no AI Gateway block (and no fallback) */
  readonly aiGateway?: AiGateway;
  /** Authoritative ACL (`databricks_permissions` with the same logical id). @default - ACLs not managed */
  readonly permissions?: readonly EndpointPermission[];
  /** Emitted sorted by key. @default - no tags */
  readonly tags?: Readonly<Record<string, string>>;
  /** Applied at creation only on provider 1.99. @default - none */
  readonly budgetPolicyId?: string;
  /** Applied at creation only on provider 1.99. @default - none */
  readonly emailNotifications?: { readonly onUpdateFailure?: readonly string[]; readonly onUpdateSuccess?: readonly string[] };
  /** Applied at creation only on provider 1.99. @default - none */
  readonly description?: string;
  /** Changing it replaces the endpoint. @default - not set (false) */
  readonly routeOptimized?: boolean;
  /** `lifecycle.prevent_destroy`: a plan that would destroy or replace the endpoint fails. @default false */
  readonly preventDestroy?: boolean;
  /**
   * Adopt an endpoint that already exists with this `name`: emits a Terraform `import` block, so
   * the next apply takes it into state instead of failing to create it. @default false
   */
  readonly importExisting?: boolean;
  /** How long Terraform waits for create / update; a create that times out deletes the endpoint. @default - provider default (45 min each) */
  readonly timeouts?: EndpointTimeouts;
}

/** Terraform `timeouts` as Go durations (`60m`, `1h30m`). */
export interface EndpointTimeouts {
  /** @default - provider default */
  readonly create?: string;
  /** @default - provider default */
  readonly update?: string;
}

/**
 * A Databricks model serving endpoint with its AI Gateway policy and ACL.
 *
 * The construct id is the endpoint key and becomes the Terraform logical id of both resources
 * (`databricks_model_serving.<id>`, `databricks_permissions.<id>`), wherever the construct sits
 * in the tree: renaming it destroys the endpoint.
 *
 * @see https://docs.databricks.com/aws/en/ai-gateway/
 */
export class GovernedEndpoint extends Construct {
  readonly endpoint: ModelServing;
  readonly permissions?: EndpointPermissions;

  constructor(scope: Construct, id: string, props: GovernedEndpointProps) {
    super(scope, constructIdFor(id));
    reportProblems(this, `endpoint "${props.name}"`, [...checkLogicalId(id), ...validateGovernedEndpointProps(props), ...claimName(this, props.name)]);
    this.endpoint = new ModelServing(this, "endpoint", renderEndpoint(props));
    this.permissions = governEndpointResource(this, this.endpoint, id, props);
  }

  /** The endpoint name (Terraform `id`). */
  get endpointName(): string {
    return this.endpoint.name;
  }
  get servingEndpointId(): string {
    return this.endpoint.servingEndpointId;
  }
  get endpointUrl(): string {
    return this.endpoint.endpointUrl;
  }
}

/** The construct id is the Terraform logical id of the endpoint and its ACL. */
function checkLogicalId(id: string): PropsProblem[] {
  return TERRAFORM_NAME_PATTERN.test(id)
    ? []
    : [{ severity: "error", path: "(construct id)", message: `"${id}" becomes the Terraform logical id (databricks_model_serving.${id}) and must match ${TERRAFORM_NAME_PATTERN.source}: choose another construct id` }];
}

/** Endpoint names taken in each stack (one stack deploys to one workspace), with the construct path. */
const NAMES_IN_STACK = new WeakMap<IConstruct, Map<string, string>>();

/** Databricks names endpoints per workspace: a second endpoint with one name fails at apply. */
function claimName(endpoint: GovernedEndpoint, name: string): PropsProblem[] {
  if (Token.isUnresolved(name)) return [];
  const stack = TerraformStack.of(endpoint);
  const names = NAMES_IN_STACK.get(stack) ?? NAMES_IN_STACK.set(stack, new Map()).get(stack)!;
  const other = names.get(name);
  if (other !== undefined) {
    return [{ severity: "error", path: "name", message: `endpoint name "${name}" is already used by ${other} in this stack; endpoint names must be unique per workspace: give one a different name` }];
  }
  names.set(name, endpoint.node.path);
  return [];
}

function isExternal(entity: ServedEntity): entity is ExternalModelEntity {
  return "externalModel" in entity;
}

/** Served entities in emission order: fallback order when failing over, else as written. */
function emissionOrder(entities: readonly ServedEntity[], routing: Routing | undefined): ServedEntity[] {
  if (routing && "fallback" in routing && Array.isArray(routing.fallback)) {
    const order = routing.fallback as readonly string[];
    return [...entities].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  }
  return [...entities];
}

function renderEndpoint(props: GovernedEndpointProps): ModelServingConfig {
  const entities = props.servedEntities ? emissionOrder(props.servedEntities, props.routing) : undefined;
  const fallback = props.routing !== undefined && "fallback" in props.routing && props.routing.fallback !== false && props.routing.fallback !== undefined;
  return {
    name: props.name,
    description: props.description,
    budgetPolicyId: props.budgetPolicyId,
    routeOptimized: props.routeOptimized,
    config: entities
      ? {
          servedEntities: entities.map((e) => renderEntity(e, props.task)),
          trafficConfig: renderTraffic(entities, props.routing),
        }
      : undefined,
    aiGateway: renderAiGateway(props.aiGateway, fallback),
    tags: renderTags(props.tags),
    emailNotifications: renderEmailNotifications(props.emailNotifications),
    timeouts: renderTimeouts(props.timeouts),
  };
}

/** Sorted by key, so the output does not depend on the order tags were written. */
export function renderTags(tags: Readonly<Record<string, string>> | undefined) {
  return tags && Object.keys(tags).length > 0 ? Object.keys(tags).sort().map((key) => ({ key, value: tags[key] })) : undefined;
}

export function renderEmailNotifications(n: GovernedEndpointProps["emailNotifications"]) {
  return n
    ? { onUpdateFailure: n.onUpdateFailure ? [...n.onUpdateFailure] : undefined, onUpdateSuccess: n.onUpdateSuccess ? [...n.onUpdateSuccess] : undefined }
    : undefined;
}

export function renderTimeouts(t: EndpointTimeouts | undefined) {
  return t && (t.create !== undefined || t.update !== undefined) ? { create: t.create, update: t.update } : undefined;
}

function renderEntity(entity: ServedEntity, task: Task | undefined) {
  if (isExternal(entity)) {
    return { name: entity.name, externalModel: { ...entity.externalModel, task: task as string } };
  }
  return { ...entity, environmentVars: "environmentVars" in entity && entity.environmentVars ? { ...entity.environmentVars } : undefined };
}

export function renderTraffic(entities: readonly { readonly name: string }[], routing: Routing | undefined) {
  if (!routing) return undefined;
  if ("split" in routing) {
    return { routes: entities.map((e) => ({ servedEntityName: e.name, trafficPercentage: routing.split[e.name] })) };
  }
  return { routes: entities.map((e, i) => ({ servedEntityName: e.name, trafficPercentage: i === 0 ? 100 : 0 })) };
}

export function renderAiGateway(gateway: AiGateway | undefined, fallback: boolean) {
  if (!gateway && !fallback) return undefined;
  const table = gateway?.inferenceTable;
  return {
    usageTrackingConfig: gateway?.usageTracking === undefined ? undefined : { enabled: gateway.usageTracking },
    // `false` emits no block: a block with only `enabled: false` does not disable an existing
    // table on provider 1.99 (#5504), and on create "no block" is exactly "no table".
    inferenceTableConfig:
      table === undefined || table === false
        ? undefined
        : {
              catalogName: table.catalogName,
              schemaName: table.schemaName,
              tableNamePrefix: table.tableNamePrefix,
              enabled: table.enabled ?? true,
            },
    rateLimits: gateway?.rateLimits?.map((l) => ({
      key: l.key,
      principal: l.principal,
      calls: l.calls,
      tokens: l.tokens,
      renewalPeriod: DEFAULT_RENEWAL_PERIOD,
    })),
    guardrails: gateway?.guardrails
      ? { input: renderGuardrail(gateway.guardrails.input), output: renderGuardrail(gateway.guardrails.output) }
      : undefined,
    fallbackConfig: fallback ? { enabled: true } : undefined,
  };
}

function renderGuardrail(policy: GuardrailPolicy | undefined) {
  if (!policy) return undefined;
  return { safety: policy.safety, pii: policy.pii ? { behavior: policy.pii } : undefined };
}

/** Problems of ProvisionedThroughputEndpoint timeouts (GovernedEndpoint checks them with its other props). */
export function validateTimeouts(t: EndpointTimeouts | undefined): PropsProblem[] {
  return (["create", "update"] as const)
    .filter((k) => t?.[k] !== undefined && !Token.isUnresolved(t[k]) && !GO_DURATION_PATTERN.test(t[k]!))
    .map((k) => ({ severity: "error", path: `timeouts.${k}`, message: `expected a duration such as "60m" or "1h30m", got ${JSON.stringify(t![k])}` }));
}
