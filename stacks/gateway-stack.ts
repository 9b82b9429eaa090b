import { DatabricksProvider } from "@cdktf/provider-databricks/lib/provider";
import {
  AzurermBackend,
  GcsBackend,
  LocalBackend,
  NamedRemoteWorkspace,
  PrefixedRemoteWorkspaces,
  RemoteBackend,
  S3Backend,
  S3BackendConfig,
  TerraformBackend,
  TerraformOutput,
  TerraformStack,
} from "cdktf";
import { Construct } from "constructs";
import * as path from "path";
import { providerConstraint } from "../config/provider-version";
import type { Endpoint, EnvironmentConfig, ExternalModel as ExternalModelConfig, ServedEntity as ServedEntityConfig, State } from "../config/schema";
import {
  AiGateway,
  EndpointPermission,
  ExternalModelProps,
  GovernedApp,
  GovernedEndpoint,
  GovernedEndpointProps,
  ProvisionedThroughputEndpoint,
  ProvisionedThroughputEndpointProps,
  Routing,
  ServedEntity,
} from "../constructs";
import { constructIdFor } from "../constructs/construct-id";
import { endpointName, stackName } from "../databricks";
import { appEndpointGrants, renderApps, renderInferenceSchemas, renderSecretScopes } from "./apps";
import { prepareStandaloneStack, stackToTerraform } from "./cdktf-internals";

import { addServices, ServicesResult } from "./ai-gateway-services";

/**
 * One environment: the Databricks provider (host only; credentials come from the deploy job's
 * environment), its state backend, and one governed endpoint per enabled endpoint key.
 * This is the only place that translates config (snake_case YAML vocabulary) into construct props.
 */
export class GatewayStack extends TerraformStack {
  readonly endpoints: Readonly<Record<string, GovernedEndpoint | ProvisionedThroughputEndpoint>>;
  /** The apps this stack creates (existing apps only get endpoint grants). */
  readonly apps: Readonly<Record<string, GovernedApp>>;
  /** The standalone AI Gateway services (`ai_gateway_services`) and their grants, by key. */
  readonly services: ServicesResult;

  constructor(scope: Construct, env: EnvironmentConfig) {
    super(scope, stackName(env.name));
    new DatabricksProvider(this, "databricks", { host: env.workspace.host });
    this.addOverride("terraform.required_providers.databricks.version", providerConstraint(env));
    renderBackend(this, env.state ?? { backend: "local" }, env.name);

    // Endpoint keys are user-chosen: their own scopes keep them clear of the stack's fixed
    // construct ids ("databricks", "backend") and of each other's outputs.
    const endpointScope = new Construct(this, "endpoints");
    const outputScope = new Construct(this, "outputs");
    const endpoints: Record<string, GovernedEndpoint | ProvisionedThroughputEndpoint> = {};
    const appGrants = appEndpointGrants(env, () => this.apps);
    for (const [key, endpoint] of Object.entries(env.endpoints)) {
      const common = { name: endpointName(env.naming, endpoint.name ?? key), preventDestroy: env.protect === true, importExisting: endpoint.import === true };
      // The ACL is authoritative: the grants of apps bound to this endpoint go into it.
      const withApps = <P extends { readonly permissions?: readonly EndpointPermission[] }>(p: P): P => ({ ...p, permissions: p.permissions && [...p.permissions, ...(appGrants.get(key) ?? [])] });
      // databricks_model_serving_provisioned_throughput exports no endpoint_url.
      const governed =
        endpoint.kind === "provisioned_throughput"
          ? new ProvisionedThroughputEndpoint(endpointScope, key, { ...withApps(provisionedThroughputProps(endpoint)), ...common })
          : new GovernedEndpoint(endpointScope, key, { ...withApps(endpointProps(endpoint)), ...common });
      endpoints[key] = governed;
      new TerraformOutput(outputScope, constructIdFor(key), {
        description: `Endpoint "${key}" in ${env.name}: bind apps to this name per environment`,
        value: {
          name: governed.endpointName,
          serving_endpoint_id: governed.servingEndpointId,
          ...(governed instanceof GovernedEndpoint && { endpoint_url: governed.endpointUrl }),
        },
      }).overrideLogicalId(key);
    }
    this.endpoints = endpoints;
    this.apps = renderApps(this, env, endpoints, outputScope);
    renderSecretScopes(this, env);
    renderInferenceSchemas(this, env, endpoints);
    this.services = addServices(this, env, endpoints);
  }

  /** Environment stacks never reference each other: see `prepareStandaloneStack`. */
  prepareStack(): void {
    prepareStandaloneStack(this);
  }

  /** cdktf's own `toTerraform`, faster, same result: see `stackToTerraform`. */
  toTerraform(): Record<string, unknown> {
    return stackToTerraform(this);
  }
}

/** Config of one endpoint → construct props (everything but the name and protection). */
function endpointProps(e: Endpoint): Omit<GovernedEndpointProps, "name"> {
  return {
    description: e.description,
    task: e.task,
    servedEntities: e.served_entities?.map(servedEntity),
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
    timeouts: e.timeouts,
  };
}

/** Config of a `kind: provisioned_throughput` endpoint → construct props (validation made sure of the entity fields). */
export function provisionedThroughputProps(e: Endpoint): Omit<ProvisionedThroughputEndpointProps, "name"> {
  const common = endpointProps(e);
  return {
    servedEntities: (e.served_entities ?? []).map((s) => ({
      name: s.name,
      entityName: s.entity_name ?? "",
      entityVersion: s.entity_version ?? "",
      provisionedModelUnits: s.provisioned_model_units ?? 0,
    })),
    split: e.routing?.split,
    aiGateway: common.aiGateway,
    permissions: common.permissions,
    tags: common.tags,
    budgetPolicyId: common.budgetPolicyId,
    emailNotifications: common.emailNotifications,
    timeouts: common.timeouts,
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
  if (e.external_model) return { name: e.name, externalModel: externalModel(e.external_model) };
  return {
    name: e.name,
    entityName: required(e.entity_name, "entity_name"),
    entityVersion: required(e.entity_version, "entity_version"),
    workloadSize: e.workload_size,
    workloadType: e.workload_type,
    scaleToZeroEnabled: e.scale_to_zero_enabled,
    minProvisionedThroughput: e.min_provisioned_throughput,
    maxProvisionedThroughput: e.max_provisioned_throughput,
    minProvisionedConcurrency: e.min_provisioned_concurrency,
    maxProvisionedConcurrency: e.max_provisioned_concurrency,
    provisionedModelUnits: e.provisioned_model_units,
    // Keys are the user's variable names, not field names: passed as written.
    environmentVars: e.environment_vars,
    instanceProfileArn: e.instance_profile_arn,
  };
}

/**
 * A field the schema leaves optional but a rule (config/rules/) requires: the stack is built only
 * from config that passed them, so a missing one is a bug, not bad input.
 */
function required<T>(value: T | undefined, field: string): T {
  if (value === undefined) throw new Error(`${field} is missing: GatewayStack takes only validated config (loadConfig)`);
  return value;
}

/** The provider's config block, field by field, in the bindings' camelCase. */
function externalModel(m: ExternalModelConfig): ExternalModelProps {
  const { provider, name } = m;
  switch (provider) {
    case "openai": {
      const c = required(m.openai_config, "openai_config");
      return {
        provider,
        name,
        openaiConfig: {
          openaiApiKey: c.openai_api_key,
          openaiApiBase: c.openai_api_base,
          openaiApiType: c.openai_api_type,
          openaiApiVersion: c.openai_api_version,
          openaiDeploymentName: c.openai_deployment_name,
          openaiOrganization: c.openai_organization,
          microsoftEntraClientId: c.microsoft_entra_client_id,
          microsoftEntraClientSecret: c.microsoft_entra_client_secret,
          microsoftEntraTenantId: c.microsoft_entra_tenant_id,
        },
      };
    }
    case "anthropic": {
      const c = required(m.anthropic_config, "anthropic_config");
      return { provider, name, anthropicConfig: { anthropicApiKey: required(c.anthropic_api_key, "anthropic_api_key") } };
    }
    case "amazon-bedrock": {
      const c = required(m.amazon_bedrock_config, "amazon_bedrock_config");
      return {
        provider,
        name,
        amazonBedrockConfig: {
          awsRegion: required(c.aws_region, "aws_region"),
          bedrockProvider: required(c.bedrock_provider, "bedrock_provider"),
          awsAccessKeyId: c.aws_access_key_id,
          awsSecretAccessKey: c.aws_secret_access_key,
          instanceProfileArn: c.instance_profile_arn,
        },
      };
    }
    case "google-cloud-vertex-ai": {
      const c = required(m.google_cloud_vertex_ai_config, "google_cloud_vertex_ai_config");
      return {
        provider,
        name,
        googleCloudVertexAiConfig: { projectId: required(c.project_id, "project_id"), region: required(c.region, "region"), privateKey: c.private_key },
      };
    }
    case "cohere": {
      const c = required(m.cohere_config, "cohere_config");
      return { provider, name, cohereConfig: { cohereApiKey: required(c.cohere_api_key, "cohere_api_key"), cohereApiBase: c.cohere_api_base } };
    }
    case "ai21labs": {
      const c = required(m.ai21labs_config, "ai21labs_config");
      return { provider, name, ai21LabsConfig: { ai21LabsApiKey: required(c.ai21labs_api_key, "ai21labs_api_key") } };
    }
    case "databricks-model-serving": {
      const c = required(m.databricks_model_serving_config, "databricks_model_serving_config");
      return {
        provider,
        name,
        databricksModelServingConfig: {
          databricksWorkspaceUrl: required(c.databricks_workspace_url, "databricks_workspace_url"),
          databricksApiToken: c.databricks_api_token,
        },
      };
    }
    case "custom": {
      const c = required(m.custom_provider_config, "custom_provider_config");
      return {
        provider,
        name,
        customProviderConfig: {
          customProviderUrl: required(c.custom_provider_url, "custom_provider_url"),
          apiKeyAuth: c.api_key_auth && { key: c.api_key_auth.key, value: required(c.api_key_auth.value, "api_key_auth.value") },
          bearerTokenAuth: c.bearer_token_auth && { token: required(c.bearer_token_auth.token, "bearer_token_auth.token") },
        },
      };
    }
    case "palm": {
      const c = required(m.palm_config, "palm_config");
      return { provider, name, palmConfig: { palmApiKey: required(c.palm_api_key, "palm_api_key") } };
    }
  }
}

/**
 * Terraform runs in `cdktf.out/stacks/<stack>/`, and synth replaces `cdktf.out` wholesale, so a
 * local state file written there is lost on the next synth. Relative paths are anchored at the
 * project root instead (where cdktf's own absolute default puts it), and stay relative so the
 * output is identical across checkouts.
 */
export const STACK_DIR_TO_PROJECT_ROOT = "../../..";

/** The local state path as Terraform sees it from the stack directory. */
function localStatePath(configured: string | undefined, environment: string): string {
  const file = configured ?? `terraform.${stackName(environment)}.tfstate`;
  return path.isAbsolute(file) ? file : path.posix.join(STACK_DIR_TO_PROJECT_ROOT, file);
}

/**
 * S3 fields whose Terraform spelling moved: Terraform >= 1.11 rejects a top-level `role_arn`
 * ("No argument or block type is named role_arn") and deprecates `endpoint`; both keep their
 * short config names and are written in the nested form Terraform takes. cdktf 0.21's
 * S3BackendConfig predates `use_lockfile` (Terraform 1.10); cdktf writes every prop in snake_case,
 * so it is passed as an extra prop.
 */
function s3Props(s: Extract<State, { backend: "s3" }>): S3BackendConfig & { readonly useLockfile?: boolean } {
  return {
    bucket: s.bucket,
    key: s.key,
    region: s.region,
    useLockfile: s.use_lockfile,
    dynamodbTable: s.dynamodb_table,
    encrypt: s.encrypt,
    kmsKeyId: s.kms_key_id,
    profile: s.profile,
    workspaceKeyPrefix: s.workspace_key_prefix,
    ...(s.role_arn !== undefined && { assumeRole: { roleArn: s.role_arn } }),
    ...(s.endpoint !== undefined && { endpoints: { s3: s.endpoint } }),
  };
}

function renderBackend(stack: TerraformStack, state: State, environment: string): TerraformBackend {
  switch (state.backend) {
    case "local":
      return new LocalBackend(stack, { path: localStatePath(state.path, environment) });
    case "s3":
      return new S3Backend(stack, s3Props(state));
    case "gcs":
      return new GcsBackend(stack, {
        bucket: state.bucket,
        prefix: state.prefix,
        impersonateServiceAccount: state.impersonate_service_account,
        kmsEncryptionKey: state.kms_encryption_key,
      });
    case "azurerm":
      return new AzurermBackend(stack, {
        storageAccountName: state.storage_account_name,
        containerName: state.container_name,
        key: state.key,
        resourceGroupName: state.resource_group_name,
        subscriptionId: state.subscription_id,
        tenantId: state.tenant_id,
        clientId: state.client_id,
        useAzureadAuth: state.use_azuread_auth,
        useOidc: state.use_oidc,
        useMsi: state.use_msi,
      });
    case "remote":
      return new RemoteBackend(stack, {
        hostname: state.hostname,
        organization: state.organization,
        workspaces: "name" in state.workspaces ? new NamedRemoteWorkspace(state.workspaces.name) : new PrefixedRemoteWorkspaces(state.workspaces.prefix),
      });
  }
}
