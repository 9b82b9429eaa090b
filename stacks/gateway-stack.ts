import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import {
  AzurermBackend,
  GcsBackend,
  LocalBackend,
  RemoteBackend,
  S3Backend,
  TerraformBackend,
  TerraformElement,
  TerraformOutput,
  TerraformStack,
} from "cdktf";
import { resolve } from "cdktf/lib/_tokens";
import { deepMerge } from "cdktf/lib/util";
import { Construct, IConstruct } from "constructs";
import * as path from "path";
import { BINDINGS_PROVIDER_VERSION, DEFAULT_PROVIDER_CONSTRAINT } from "../config/provider-version";
import type { Endpoint, EnvironmentConfig, ServedEntity as ServedEntityConfig, State } from "../config/schema";
import { endpointName } from "../config/semantic";
import {
  AiGateway,
  EndpointPermission,
  ExternalModelProps,
  GovernedEndpoint,
  GovernedEndpointProps,
  Routing,
  ServedEntity,
} from "../constructs";
import { constructIdFor } from "../constructs/construct-id";

// Owned by config/provider-version.ts, which also checks each `provider.version` against them.
export { BINDINGS_PROVIDER_VERSION, DEFAULT_PROVIDER_CONSTRAINT };

/** The stack name of an environment: `gateway-<env>`. */
export function stackName(environment: string): string {
  return `gateway-${environment}`;
}

/**
 * One environment: the Databricks provider (host only; credentials come from the deploy job's
 * environment), its state backend, and one governed endpoint per enabled endpoint key.
 * This is the only place that translates config (snake_case YAML vocabulary) into construct props.
 */
export class GatewayStack extends TerraformStack {
  readonly endpoints: Readonly<Record<string, GovernedEndpoint>>;

  constructor(scope: Construct, env: EnvironmentConfig) {
    super(scope, stackName(env.name));
    new DatabricksProvider(this, "databricks", { host: env.workspace.host });
    this.addOverride("terraform.required_providers.databricks.version", env.provider?.version ?? DEFAULT_PROVIDER_CONSTRAINT);
    renderBackend(this, env.state ?? { backend: "local" }, env.name);

    // Endpoint keys are user-chosen: their own scopes keep them clear of the stack's fixed
    // construct ids ("databricks", "backend") and of each other's outputs.
    const endpointScope = new Construct(this, "endpoints");
    const outputScope = new Construct(this, "outputs");
    const endpoints: Record<string, GovernedEndpoint> = {};
    for (const [key, endpoint] of Object.entries(env.endpoints)) {
      const governed = new GovernedEndpoint(endpointScope, key, {
        ...endpointProps(endpoint),
        name: endpointName(env, key),
        preventDestroy: env.protect === true,
        importExisting: endpoint.import === true,
      });
      endpoints[key] = governed;
      new TerraformOutput(outputScope, constructIdFor(key), {
        description: `Endpoint "${key}" in ${env.name}: bind apps to this name per environment`,
        value: {
          name: governed.endpointName,
          serving_endpoint_id: governed.servingEndpointId,
          endpoint_url: governed.endpointUrl,
        },
      }).overrideLogicalId(key);
    }
    this.endpoints = endpoints;
  }

  /**
   * cdktf's default also resolves every element once in "preparing" mode, which only discovers
   * cross-stack references. Environment stacks never reference each other, so that pass is pure
   * cost (about a quarter of synth time at 1,000 endpoints; output byte-identical, see bench/).
   * Remove this override if a stack ever references another.
   */
  prepareStack(): void {
    this.ensureBackendExists();
  }

  /**
   * cdktf's TerraformStack.toTerraform (0.21.0), minus its last step: resolving the whole merged
   * document again after every element was resolved on its own. The fragments hold no tokens by
   * then and the stack's overrides are resolved here, so that pass re-walks plain data (about a
   * tenth of `npm run synth` at 1,000 endpoints). Output is byte-identical (snapshots, and
   * bench/floor.ts, which writes the same JSON without cdktf). cdktf is frozen at 0.21.0, so the
   * internals used here do not move.
   */
  toTerraform(): Record<string, unknown> {
    const internals = this as unknown as { rawOverrides: Record<string, unknown>; cdktfVersion: string };
    const elements = terraformElements(this);
    const metadata: Record<string, unknown> = {
      version: internals.cdktfVersion,
      stackName: this.node.id,
      backend: "local",
      cloud: undefined,
      ...(Object.keys(internals.rawOverrides).length > 0 ? { overrides: { stack: Object.keys(internals.rawOverrides) } } : {}),
    };
    for (const element of elements) deepMerge(metadata, resolve(this, element.toMetadata()));
    const outputs: Record<string, unknown> = {};
    for (const element of elements) {
      if (!TerraformOutput.isTerraformOutput(element)) continue;
      const nested = element.node.path
        .split("/")
        .reduceRight<Record<string, unknown>>((inner, part) => ({ [part]: Object.keys(inner).length === 0 ? element.friendlyUniqueId : inner }), {});
      deepMerge(outputs, nested);
    }
    const tf: Record<string, unknown> = { "//": { metadata, outputs } };
    for (const element of elements) deepMerge(tf, resolve(this, element.toTerraform()));
    deepMerge(tf, resolve(this, internals.rawOverrides));
    return tf;
  }
}

/** The Terraform elements of a stack, in construct-tree order (as cdktf collects them). */
function terraformElements(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) {
    if (!TerraformStack.isStack(child)) terraformElements(child, into);
  }
  return into;
}

/** Config of one endpoint → construct props (everything but the name and protection). */
export function endpointProps(e: Endpoint): Omit<GovernedEndpointProps, "name"> {
  return {
    description: e.description,
    task: e.task,
    servedEntities: e.served_entities.map(servedEntity),
    routing: routing(e),
    aiGateway: aiGateway(e.ai_gateway),
    permissions: e.permissions?.map(
      (p): EndpointPermission => ({
        groupName: p.group_name,
        userName: p.user_name,
        servicePrincipalName: p.service_principal_name,
        level: p.level,
      }),
    ),
    tags: e.tags,
    budgetPolicyId: e.budget_policy_id,
    emailNotifications: e.email_notifications && {
      onUpdateFailure: e.email_notifications.on_update_failure,
      onUpdateSuccess: e.email_notifications.on_update_success,
    },
    routeOptimized: e.route_optimized,
  };
}

function routing(e: Endpoint): Routing | undefined {
  const r = e.routing;
  if (r?.split) return { split: r.split, fallback: r.fallback === true ? true : undefined };
  if (Array.isArray(r?.fallback)) return { fallback: r.fallback };
  return undefined;
}

function aiGateway(g: Endpoint["ai_gateway"]): AiGateway | undefined {
  if (!g) return undefined;
  const table = g.inference_table;
  return {
    usageTracking: g.usage_tracking,
    inferenceTable:
      table === undefined || table === false
        ? table
        : {
            catalogName: table.catalog_name,
            schemaName: table.schema_name,
            tableNamePrefix: table.table_name_prefix,
            enabled: table.enabled,
          },
    rateLimits: g.rate_limits?.map((l) => ({ key: l.key, principal: l.principal, calls: l.calls, tokens: l.tokens })),
    guardrails: g.guardrails,
  };
}

function servedEntity(e: ServedEntityConfig): ServedEntity {
  if (e.external_model) {
    const { provider, name, ...blocks } = e.external_model;
    const model: Record<string, unknown> = { provider, name };
    for (const [block, config] of Object.entries(blocks)) {
      if (config !== undefined) model[camelKey(block)] = camelKeys(config);
    }
    return { name: e.name, externalModel: model as unknown as ExternalModelProps };
  }
  // Keys are field names, except inside environment_vars, where they are the user's variables.
  const { environment_vars: environmentVars, ...fields } = e;
  return { ...(camelKeys(fields) as object), environmentVars } as unknown as ServedEntity;
}

/** snake_case → the bindings' camelCase (which spells ai21labs as ai21Labs). */
function camelKey(key: string): string {
  return key.replace(/^ai21labs/, "ai21_labs").replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [camelKey(k), camelKeys(v)]));
}

/** Backend config keys → cdktf's camelCase props (it turns them back into Terraform's names). */
function backendProps(state: State): Record<string, unknown> {
  const { backend: _backend, ...fields } = state;
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [camelKey(k), v]));
}

/**
 * Terraform runs in `cdktf.out/stacks/<stack>/`, and synth replaces `cdktf.out` wholesale, so a
 * local state file written there is lost on the next synth. Relative paths are anchored at the
 * project root instead (where cdktf's own absolute default puts it), and stay relative so the
 * output is identical across checkouts.
 */
export const STACK_DIR_TO_PROJECT_ROOT = "../../..";

/** The local state path as Terraform sees it from the stack directory. */
export function localStatePath(configured: string | undefined, environment: string): string {
  const file = configured ?? `terraform.${stackName(environment)}.tfstate`;
  return path.isAbsolute(file) ? file : path.posix.join(STACK_DIR_TO_PROJECT_ROOT, file);
}

/**
 * S3 fields whose Terraform spelling moved: Terraform >= 1.11 rejects a top-level `role_arn`
 * ("No argument or block type is named role_arn") and deprecates `endpoint`; both keep their
 * short config names and are written in the nested form Terraform takes.
 */
function s3Props(state: State & { backend: "s3" }): Record<string, unknown> {
  const { role_arn: roleArn, endpoint, ...rest } = state;
  return {
    ...backendProps(rest),
    ...(roleArn !== undefined && { assumeRole: { roleArn } }),
    ...(endpoint !== undefined && { endpoints: { s3: endpoint } }),
  };
}

function renderBackend(stack: TerraformStack, state: State, environment: string): TerraformBackend {
  switch (state.backend) {
    case "local":
      return new LocalBackend(stack, { path: localStatePath(state.path, environment) });
    case "s3":
      return new S3Backend(stack, s3Props(state) as never);
    case "gcs":
      return new GcsBackend(stack, backendProps(state) as never);
    case "azurerm":
      return new AzurermBackend(stack, backendProps(state) as never);
    case "remote":
      return new RemoteBackend(stack, backendProps(state) as never);
  }
}
