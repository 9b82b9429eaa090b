/**
 * `validateGovernedEndpointProps`: the checks a GovernedEndpoint runs on its props before it
 * renders anything.
 *
 * One rule, both paths: the props are mapped, field by field, to the endpoint in Databricks'
 * REST vocabulary (snake_case, the shape config/rules/ check for YAML users), the same rule
 * registry runs on it, and the paths come back in the props' camelCase. Only what the YAML path
 * gets from its schema (name characters, secret references, whole numbers), which TypeScript types
 * cannot express, is checked here, with the same facts from databricks/.
 */
import { Token } from "cdktf";
import type { Endpoint, ExternalModel as ExternalModelSpec, ServedEntity as ServedEntitySpec } from "../config/schema";
import { error, type Finding, type Path } from "../config/rules/rule";
import { CREDENTIAL_ADVICE } from "../config/literals";
import { checkEndpoint } from "../config/semantic";
import { findCredential } from "../databricks/credentials";
import {
  GO_DURATION_PATTERN,
  LIMITS,
  NAME_CHARACTERS,
  NAME_PATTERN,
  PROVIDER_CONFIG_KEY,
  PROVIDER_CREDENTIAL_FIELDS,
  SECRET_REFERENCE_HINT,
  isSecretReference,
} from "../databricks";
import type { ExternalModelProps } from "./external-models";
import type { CustomModelEntity, FoundationModelEntity, GovernedEndpointProps, ServedEntity } from "./governed-endpoint";
import { toPropsProblem, type PropsProblem } from "./props-problems";

/**
 * Every problem with the props of a GovernedEndpoint, errors and warnings, each with its path in
 * the props (`rateLimits[1].principal` under `aiGateway`). Empty when the props are fine.
 */
export function validateGovernedEndpointProps(props: GovernedEndpointProps): PropsProblem[] {
  const spec = endpointSpec(props);
  // The rules assume a list has at least one served entity, as the YAML schema guarantees before they run.
  const rules = spec.served_entities?.length !== 0 ? checkEndpoint(spec, []) : [];
  return [...shapeFindings(spec), ...rules].map(toPropsProblem);
}

/** The props in Databricks' REST vocabulary: the shape the rules of config/rules/ read. */
function endpointSpec(props: GovernedEndpointProps): Endpoint {
  const g = props.aiGateway;
  const table = g?.inferenceTable;
  const routing = props.routing;
  return {
    import: props.importExisting,
    name: props.name,
    description: props.description,
    task: props.task,
    served_entities: props.servedEntities?.map(servedEntitySpec),
    routing: routing && ("split" in routing ? { split: { ...routing.split }, fallback: routing.fallback } : { fallback: [...routing.fallback] }),
    ai_gateway: g && {
      usage_tracking: g.usageTracking,
      inference_table:
        table === undefined || table === false
          ? table
          : { catalog_name: table.catalogName, schema_name: table.schemaName, table_name_prefix: table.tableNamePrefix, enabled: table.enabled },
      rate_limits: g.rateLimits?.map((l) => ({ key: l.key, principal: l.principal, calls: l.calls, tokens: l.tokens })),
      guardrails: g.guardrails && { input: g.guardrails.input && { ...g.guardrails.input }, output: g.guardrails.output && { ...g.guardrails.output } },
    },
    permissions: props.permissions?.map((p) => ({
      group_name: p.groupName,
      user_name: p.userName,
      service_principal_name: p.servicePrincipalName,
      level: p.level,
    })),
    tags: props.tags && { ...props.tags },
    budget_policy_id: props.budgetPolicyId,
    email_notifications: props.emailNotifications && {
      on_update_failure: props.emailNotifications.onUpdateFailure && [...props.emailNotifications.onUpdateFailure],
      on_update_success: props.emailNotifications.onUpdateSuccess && [...props.emailNotifications.onUpdateSuccess],
    },
    route_optimized: props.routeOptimized,
    timeouts: props.timeouts && { create: props.timeouts.create, update: props.timeouts.update },
  };
}

function servedEntitySpec(entity: ServedEntity): ServedEntitySpec {
  if ("externalModel" in entity) return { name: entity.name, external_model: externalModelSpec(entity.externalModel) };
  // Either kind, read through one view: the fields of the other kind are simply absent.
  const e: Partial<FoundationModelEntity & CustomModelEntity> & { readonly name: string } = entity;
  return {
    name: e.name,
    entity_name: e.entityName,
    entity_version: e.entityVersion,
    workload_size: e.workloadSize,
    workload_type: e.workloadType,
    scale_to_zero_enabled: e.scaleToZeroEnabled,
    min_provisioned_throughput: e.minProvisionedThroughput,
    max_provisioned_throughput: e.maxProvisionedThroughput,
    min_provisioned_concurrency: e.minProvisionedConcurrency,
    max_provisioned_concurrency: e.maxProvisionedConcurrency,
    provisioned_model_units: e.provisionedModelUnits,
    environment_vars: e.environmentVars && { ...e.environmentVars },
    instance_profile_arn: e.instanceProfileArn,
  };
}

/** The provider's config block, field by field, in the REST names (the reverse of GatewayStack's mapping). */
function externalModelSpec(m: ExternalModelProps): ExternalModelSpec {
  const { provider, name } = m;
  switch (m.provider) {
    case "openai": {
      const c = m.openaiConfig;
      return {
        provider,
        name,
        openai_config: {
          openai_api_key: c.openaiApiKey,
          openai_api_base: c.openaiApiBase,
          openai_api_type: c.openaiApiType,
          openai_api_version: c.openaiApiVersion,
          openai_deployment_name: c.openaiDeploymentName,
          openai_organization: c.openaiOrganization,
          microsoft_entra_client_id: c.microsoftEntraClientId,
          microsoft_entra_client_secret: c.microsoftEntraClientSecret,
          microsoft_entra_tenant_id: c.microsoftEntraTenantId,
        },
      };
    }
    case "anthropic":
      return { provider, name, anthropic_config: { anthropic_api_key: m.anthropicConfig.anthropicApiKey } };
    case "amazon-bedrock": {
      const c = m.amazonBedrockConfig;
      return {
        provider,
        name,
        amazon_bedrock_config: {
          aws_region: c.awsRegion,
          bedrock_provider: c.bedrockProvider,
          aws_access_key_id: c.awsAccessKeyId,
          aws_secret_access_key: c.awsSecretAccessKey,
          instance_profile_arn: c.instanceProfileArn,
        },
      };
    }
    case "google-cloud-vertex-ai": {
      const c = m.googleCloudVertexAiConfig;
      return { provider, name, google_cloud_vertex_ai_config: { project_id: c.projectId, region: c.region, private_key: c.privateKey } };
    }
    case "cohere":
      return { provider, name, cohere_config: { cohere_api_key: m.cohereConfig.cohereApiKey, cohere_api_base: m.cohereConfig.cohereApiBase } };
    case "ai21labs":
      return { provider, name, ai21labs_config: { ai21labs_api_key: m.ai21LabsConfig.ai21LabsApiKey } };
    case "databricks-model-serving": {
      const c = m.databricksModelServingConfig;
      return { provider, name, databricks_model_serving_config: { databricks_workspace_url: c.databricksWorkspaceUrl, databricks_api_token: c.databricksApiToken } };
    }
    case "custom": {
      const c = m.customProviderConfig;
      return {
        provider,
        name,
        custom_provider_config: {
          custom_provider_url: c.customProviderUrl,
          api_key_auth: c.apiKeyAuth && { key: c.apiKeyAuth.key, value: c.apiKeyAuth.value },
          bearer_token_auth: c.bearerTokenAuth && { token: c.bearerTokenAuth.token },
        },
      };
    }
    case "palm":
      return { provider, name, palm_config: { palm_api_key: m.palmConfig.palmApiKey } };
  }
}

/**
 * What the YAML path's schema checks and TypeScript types cannot: name characters, credentials as
 * secret references, whole numbers in range. Values that are cdktf tokens are resolved only at
 * deploy time and are not checked.
 */
function shapeFindings(spec: Endpoint): Finding[] {
  const findings: Finding[] = [];
  const checkName = (value: string | undefined, at: Path, what: string) => {
    if (value !== undefined && !Token.isUnresolved(value) && !NAME_PATTERN.test(value)) findings.push(error(at, `${what} ${NAME_CHARACTERS}, got ${JSON.stringify(value)}`));
  };
  const whole = (value: number | undefined, at: Path, min: number, max = Infinity) => {
    if (value === undefined || Token.isUnresolved(value)) return;
    if (!Number.isInteger(value)) findings.push(error(at, `expected a whole number, got ${value}`));
    else if (value < min || value > max) findings.push(error(at, `expected a whole number ${max === Infinity ? `>= ${min}` : `from ${min} to ${max}`}, got ${value}`));
  };

  checkName(spec.name, ["name"], "an endpoint name");
  if (spec.name !== undefined && !Token.isUnresolved(spec.name) && spec.name.length > LIMITS.maxEndpointNameLength) {
    findings.push(error(["name"], `endpoint name is ${spec.name.length} characters; Databricks accepts at most ${LIMITS.maxEndpointNameLength}: shorten it`));
  }
  findings.push(...literalCredentials(spec));
  if (spec.served_entities?.length === 0) findings.push(error(["served_entities"], `no served entities: an endpoint serves at least one model`));
  (spec.served_entities ?? []).forEach((e, i) => {
    const at: Path = ["served_entities", i];
    checkName(e.name, [...at, "name"], "a served entity name");
    whole(e.min_provisioned_throughput, [...at, "min_provisioned_throughput"], 0);
    whole(e.max_provisioned_throughput, [...at, "max_provisioned_throughput"], 0);
    whole(e.min_provisioned_concurrency, [...at, "min_provisioned_concurrency"], 0);
    whole(e.max_provisioned_concurrency, [...at, "max_provisioned_concurrency"], 0);
    whole(e.provisioned_model_units, [...at, "provisioned_model_units"], 1);
    if (e.external_model) findings.push(...credentialFindings(e.external_model, [...at, "external_model"]));
  });
  for (const [name, percent] of Object.entries(spec.routing?.split ?? {})) whole(percent, ["routing", "split", name], 0, 100);
  (spec.ai_gateway?.rate_limits ?? []).forEach((l, i) => {
    whole(l.calls, ["ai_gateway", "rate_limits", i, "calls"], 1);
    whole(l.tokens, ["ai_gateway", "rate_limits", i, "tokens"], 1);
  });
  for (const k of ["create", "update"] as const) {
    const value = spec.timeouts?.[k];
    if (value !== undefined && !Token.isUnresolved(value) && !GO_DURATION_PATTERN.test(value)) findings.push(error(["timeouts", k], `expected a duration such as "60m" or "1h30m", got ${JSON.stringify(value)}`));
  }
  return findings;
}

/** Every string value and map key, checked by the one credential detector (databricks/credentials.ts), never echoed. */
function literalCredentials(spec: Endpoint): Finding[] {
  const findings: Finding[] = [];
  // One path, extended and shortened as the walk goes; copied only into a finding (rare), not
  // once per value of every endpoint.
  const at: Array<string | number> = [];
  const walk = (value: unknown, name: string | undefined): void => {
    if (typeof value === "string") {
      const found = Token.isUnresolved(value) ? undefined : findCredential(value, name);
      if (found) findings.push(error([...at], `this value looks like ${found.kind}${found.shown === "…" ? "" : ` (${found.shown})`}: ${CREDENTIAL_ADVICE}`));
    } else if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        at.push(i);
        walk(value[i], name);
        at.pop();
      }
    } else if (value !== null && typeof value === "object") {
      for (const k of Object.keys(value)) {
        const key = findCredential(k);
        // At the map, never at the key: the path would repeat the credential.
        if (key) findings.push(error([...at], `a key here looks like ${key.kind}${key.shown === "…" ? "" : ` (${key.shown})`}: ${CREDENTIAL_ADVICE}`));
        else {
          at.push(k);
          walk((value as Record<string, unknown>)[k], k);
          at.pop();
        }
      }
    }
  };
  walk(spec, undefined);
  return findings;
}

/**
 * Each credential field of the provider's config block (databricks/providers.ts) holds a secret
 * reference. Credentials pasted into other strings (tags, description, environment variables) are
 * the credential detector's job (databricks/credentials.ts, issue 13): once it lands, a walk over
 * every string of the spec belongs beside this check, so both paths share the detector.
 */
function credentialFindings(model: ExternalModelSpec, at: Path): Finding[] {
  const key = PROVIDER_CONFIG_KEY[model.provider];
  const block: unknown = model[key];
  return PROVIDER_CREDENTIAL_FIELDS[model.provider].flatMap((field) => {
    const parts = field.split(".");
    const value = parts.reduce<unknown>((node, part) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined), block);
    if (typeof value !== "string" || Token.isUnresolved(value) || isSecretReference(value)) return [];
    // Never the value: it is the credential.
    return [error([...at, key, ...parts], `${SECRET_REFERENCE_HINT}, got a literal string (value not shown)`)];
  });
}
