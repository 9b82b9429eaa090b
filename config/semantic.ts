/**
 * Checks that span several fields, on the merged, schema-valid config of one environment. Each
 * rule is a small pure function returning findings with a path into the effective environment;
 * the loader turns the path into file:line:col of the layer that set the value.
 *
 * Rules come from shared/spec/config-format.md ("What bad input gets") and
 * shared/design/databricks-facts.md; facts marked (?) there are warnings here.
 */
import { isCredentialName } from "../databricks/credentials";
import type { Finding } from "./errors";
import { ENDPOINT_RULES, ENVIRONMENT_RULES } from "./rules";
import { checkProviderVersion } from "./provider-version";
import {
  EnvironmentConfig,
  Endpoint,
  ExternalModel,
  ExternalProvider,
  NAME_PATTERN,
  PROVIDER_CONFIG_KEY,
  SECRET_REFERENCE_PATTERN,
  ServedEntity,
} from "./schema";

type Path = ReadonlyArray<string | number>;
const error = (path: Path, message: string, atKey = false): Finding => ({ severity: "error", path, message, atKey });
const warning = (path: Path, message: string, atKey = false): Finding => ({ severity: "warning", path, message, atKey });

/** Documented only indirectly by Databricks: warnings, not errors. */
export const LIMITS = { maxFallbacks: 2, maxRateLimits: 20, maxGroupRateLimits: 5, maxEndpointNameLength: 63 } as const;

export function checkEnvironment(env: EnvironmentConfig): Finding[] {
  const findings: Finding[] = [...checkEndpointNames(env), ...checkProviderVersion(env), ...checkStateLocking(env)];
  for (const rule of ENVIRONMENT_RULES) findings.push(...rule.check(env));
  for (const [key, endpoint] of Object.entries(env.endpoints)) findings.push(...checkEndpoint(endpoint, ["endpoints", key]));
  return findings;
}

/** The rules of one endpoint on its own; also run when other parts of the environment are invalid. */
export function checkEndpoint(endpoint: Endpoint, at: Path): Finding[] {
  return [
    ...checkServedEntities(endpoint, at),
    ...checkRouting(endpoint, at),
    ...checkRateLimits(endpoint, at),
    ...checkGuardrails(endpoint, at),
    ...checkInferenceTable(endpoint, at),
    ...checkPermissions(endpoint, at),
    ...checkCreateOnlyOnImport(endpoint, at),
    ...ENDPOINT_RULES.flatMap((rule) => rule.check(endpoint, at)),
  ];
}

/** Fields provider 1.99 sends only when it creates the endpoint (never on update). */
export const CREATE_ONLY_FIELDS = ["description", "budget_policy_id", "email_notifications"] as const;

/**
 * An imported endpoint already exists, so its create-only fields will never be applied: the
 * one case where validation knows, without a workspace, that a value cannot take effect.
 */
function checkCreateOnlyOnImport(endpoint: Endpoint, at: Path): Finding[] {
  if (endpoint.import !== true) return [];
  return CREATE_ONLY_FIELDS.filter((k) => endpoint[k] !== undefined).map((k) =>
    warning(
      [...at, k],
      `"${k}" is applied by provider 1.99 only when it creates an endpoint, and this one is imported (import: true): set the same value in the workspace (Serving UI or REST API), or it stays a permanent diff`,
      true,
    ),
  );
}

/** Two deploys of one environment at once corrupt its state: an S3 backend needs a lock. */
function checkStateLocking(env: EnvironmentConfig): Finding[] {
  const state = env.state;
  if (state?.backend !== "s3" || state.use_lockfile === true || state.dynamodb_table !== undefined) return [];
  return [
    warning(["state"], `an s3 state backend without a lock lets two deploys of "${env.name}" write its state at once: add use_lockfile: true (Terraform >= 1.10), or a dynamodb_table; the deploy workflow refuses to run without one`),
  ];
}

/** The endpoint name Databricks sees: naming prefix + (name or key) + suffix. */
export function endpointName(env: EnvironmentConfig, key: string): string {
  const base = env.endpoints[key].name ?? key;
  return `${env.naming?.prefix ?? ""}${base}${env.naming?.suffix ?? ""}`;
}

/** What kind of model a served entity is; one endpoint serves one kind. */
export type EntityKind = "external model" | "foundation model" | "custom model";

export function entityKind(entity: ServedEntity): EntityKind {
  if (entity.external_model) return "external model";
  const provisioned =
    entity.min_provisioned_throughput !== undefined ||
    entity.max_provisioned_throughput !== undefined ||
    entity.provisioned_model_units !== undefined;
  return provisioned || entity.entity_name?.startsWith("system.ai.") ? "foundation model" : "custom model";
}

function withArticle(noun: string): string {
  return /^"?[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`;
}

// ---- names -------------------------------------------------------------------------------

function checkEndpointNames(env: EnvironmentConfig): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<string, string>();
  for (const key of Object.keys(env.endpoints)) {
    const name = endpointName(env, key);
    const at: Path = env.endpoints[key].name !== undefined ? ["endpoints", key, "name"] : ["endpoints", key];
    if (!NAME_PATTERN.test(name)) {
      findings.push(
        error(["naming"], `endpoint name "${name}" (after naming prefix/suffix) may contain only letters, digits, "_" and "-": fix naming.prefix / naming.suffix`),
      );
    } else if (name.length > LIMITS.maxEndpointNameLength) {
      findings.push(
        // Documented: the serving-endpoints API takes a name of [1 .. 63] characters, so the create fails.
        error(at, `endpoint name "${name}" is ${name.length} characters; Databricks accepts at most ${LIMITS.maxEndpointNameLength}, so creating it fails: shorten the name or the naming prefix/suffix`, at.length === 2),
      );
    }
    const other = seen.get(name);
    if (other !== undefined) {
      findings.push(
        error(at, `endpoint name "${name}" is already used by endpoint "${other}" in environment "${env.name}"; endpoint names must be unique per environment: give one a different "name"`, at.length === 2),
      );
    } else {
      seen.set(name, key);
    }
  }
  return findings;
}

// ---- served entities ---------------------------------------------------------------------

function checkServedEntities(endpoint: Endpoint, at: Path): Finding[] {
  const findings: Finding[] = [];
  const entities = endpoint.served_entities;
  const names = new Map<string, number>();
  entities.forEach((entity, i) => {
    const first = names.get(entity.name);
    if (first !== undefined) {
      findings.push(error([...at, "served_entities", i, "name"], `served entity name "${entity.name}" is already used by served_entities[${first}]; names must be unique within an endpoint`));
    } else {
      names.set(entity.name, i);
    }
    findings.push(...checkEntity(entity, [...at, "served_entities", i]));
  });

  const kinds = entities.map(entityKind);
  const firstKind = kinds[0];
  const mixed = kinds.findIndex((k) => k !== firstKind);
  if (mixed > 0) {
    findings.push(
      error(
        [...at, "served_entities", mixed],
        `served_entities[${mixed}] is ${withArticle(kinds[mixed])} but served_entities[0] is ${withArticle(firstKind)}: one endpoint serves one kind (external models, custom models or foundation models); put this entity on its own endpoint`,
      ),
    );
  }
  const external = firstKind === "external model" && mixed < 0;
  if (external && endpoint.task === undefined) {
    findings.push(error(at, `"task" is required when the served entities are external models: add task: llm/v1/chat, llm/v1/completions or llm/v1/embeddings`));
  }
  if (!external && mixed < 0 && endpoint.task !== undefined) {
    findings.push(error([...at, "task"], `"task" applies only to external models, but this endpoint serves ${firstKind}s: remove "task"`));
  }
  return findings;
}

function checkEntity(entity: ServedEntity, at: Path): Finding[] {
  if (entity.external_model) {
    const notForExternal = (
      ["entity_name", "entity_version", "workload_size", "workload_type", "scale_to_zero_enabled", "min_provisioned_throughput", "max_provisioned_throughput", "min_provisioned_concurrency", "max_provisioned_concurrency", "provisioned_model_units", "environment_vars", "instance_profile_arn"] as const
    ).filter((k) => entity[k] !== undefined);
    return [
      ...notForExternal.map((k) => error([...at, k], `"${k}" does not apply to an external model (Databricks proxies the provider's API): remove it`)),
      ...checkExternalModel(entity.external_model, [...at, "external_model"]),
    ];
  }
  const findings: Finding[] = [];
  if (entity.entity_name === undefined) {
    findings.push(error(at, `a served entity needs either "external_model" or "entity_name" (a Unity Catalog model such as ml.models.ranker, or system.ai.<model>)`));
    return findings;
  }
  if (entity.entity_version === undefined) {
    findings.push(error(at, `"entity_version" is required with entity_name "${entity.entity_name}": add the model version to serve, as a string (entity_version: "1")`));
  }
  const kind = entityKind(entity);
  if (kind === "custom model" && entity.workload_size === undefined && entity.min_provisioned_concurrency === undefined && entity.max_provisioned_concurrency === undefined) {
    findings.push(error(at, `a custom model needs "workload_size" (Small | Medium | Large) or min/max_provisioned_concurrency`));
  }
  if (kind === "foundation model" && entity.workload_size !== undefined) {
    findings.push(error([...at, "workload_size"], `"workload_size" does not apply to a foundation model with provisioned throughput: use min/max_provisioned_throughput`));
  }
  findings.push(
    ...checkRange(entity.min_provisioned_throughput, entity.max_provisioned_throughput, [...at, "min_provisioned_throughput"], "provisioned_throughput"),
    ...checkRange(entity.min_provisioned_concurrency, entity.max_provisioned_concurrency, [...at, "min_provisioned_concurrency"], "provisioned_concurrency"),
  );
  for (const [name, value] of Object.entries(entity.environment_vars ?? {})) {
    if (isCredentialName(name) && !SECRET_REFERENCE_PATTERN.test(value)) {
      findings.push(error([...at, "environment_vars", name], `environment variable "${name}" looks like a credential but is a literal value: use a {{secrets/<scope>/<key>}} reference so it stays out of Terraform state`));
    }
  }
  if (entity.scale_to_zero_enabled === false) {
    findings.push(warning([...at, "scale_to_zero_enabled"], `provider 1.99 drops false booleans from requests: "scale_to_zero_enabled: false" may not be applied to an existing endpoint; check the endpoint after deploy`));
  }
  return findings;
}

function checkRange(min: number | undefined, max: number | undefined, at: Path, what: string): Finding[] {
  return min !== undefined && max !== undefined && min > max
    ? [error(at, `min_${what} (${min}) is greater than max_${what} (${max}): swap them or lower the minimum`)]
    : [];
}

/** Required fields of each provider's config block, beyond the schema's types. */
const PROVIDER_REQUIRED: Partial<Record<ExternalProvider, readonly string[]>> = {
  "amazon-bedrock": ["aws_region", "bedrock_provider"],
  "google-cloud-vertex-ai": ["project_id", "region", "private_key"],
  "databricks-model-serving": ["databricks_workspace_url", "databricks_api_token"],
  custom: ["custom_provider_url"],
  anthropic: ["anthropic_api_key"],
  cohere: ["cohere_api_key"],
  ai21labs: ["ai21labs_api_key"],
  palm: ["palm_api_key"],
};

function checkExternalModel(model: ExternalModel, at: Path): Finding[] {
  const expectedKey = PROVIDER_CONFIG_KEY[model.provider];
  const blocks = Object.values(PROVIDER_CONFIG_KEY).filter((k) => model[k as keyof ExternalModel] !== undefined);
  const findings: Finding[] = blocks
    .filter((k) => k !== expectedKey)
    .map((k) => error([...at, k], `"${k}" does not match provider "${model.provider}": an external model takes exactly one config block, "${expectedKey}"; remove "${k}"`, true));
  const config = model[expectedKey as keyof ExternalModel] as Record<string, unknown> | undefined;
  if (config === undefined) {
    findings.push(error(at, `provider "${model.provider}" needs ${withArticle(`"${expectedKey}"`)} block with its credentials (for example ${example(model.provider)})`));
    return findings;
  }
  const cfgAt = [...at, expectedKey];
  for (const field of PROVIDER_REQUIRED[model.provider] ?? []) {
    if (config[field] === undefined) findings.push(error(cfgAt, `"${expectedKey}.${field}" is required for provider "${model.provider}"`));
  }
  if (model.provider === "openai") {
    const entra = ["microsoft_entra_client_id", "microsoft_entra_client_secret", "microsoft_entra_tenant_id"].filter((f) => config[f] !== undefined);
    if (config.openai_api_key === undefined && entra.length < 3) {
      findings.push(error(cfgAt, `openai_config needs "openai_api_key", or all three of microsoft_entra_client_id, microsoft_entra_client_secret and microsoft_entra_tenant_id (Azure OpenAI with Entra ID)`));
    }
    if (config.openai_api_key !== undefined && entra.length > 0) {
      findings.push(error(cfgAt, `openai_config takes "openai_api_key" or Microsoft Entra ID credentials, not both: remove one`));
    }
  }
  if (model.provider === "amazon-bedrock") {
    const keys = ["aws_access_key_id", "aws_secret_access_key"].filter((f) => config[f] !== undefined).length;
    const profile = config.instance_profile_arn !== undefined;
    if (!profile && keys < 2) {
      findings.push(error(cfgAt, `amazon_bedrock_config needs "instance_profile_arn", or both aws_access_key_id and aws_secret_access_key as secret references`));
    }
  }
  if (model.provider === "custom") {
    const auth = ["api_key_auth", "bearer_token_auth"].filter((f) => config[f] !== undefined);
    if (auth.length !== 1) {
      findings.push(error(cfgAt, `custom_provider_config needs exactly one of "api_key_auth" or "bearer_token_auth", found ${auth.length === 0 ? "none" : "both"}`));
    }
    const apiKey = config.api_key_auth as { value?: string } | undefined;
    if (apiKey && apiKey.value === undefined) findings.push(error([...cfgAt, "api_key_auth"], `"api_key_auth.value" is required: a {{secrets/<scope>/<key>}} reference`));
    const bearer = config.bearer_token_auth as { token?: string } | undefined;
    if (bearer && bearer.token === undefined) findings.push(error([...cfgAt, "bearer_token_auth"], `"bearer_token_auth.token" is required: a {{secrets/<scope>/<key>}} reference`));
  }
  return findings;
}

function example(provider: ExternalProvider): string {
  const key = PROVIDER_CONFIG_KEY[provider];
  const field = PROVIDER_REQUIRED[provider]?.find((f) => /key|token/.test(f)) ?? (provider === "openai" ? "openai_api_key" : "...");
  return `${key}: { ${field}: "{{secrets/<scope>/<key>}}" }`;
}

// ---- routing -----------------------------------------------------------------------------

function checkRouting(endpoint: Endpoint, at: Path): Finding[] {
  const names = endpoint.served_entities.map((e) => e.name);
  const routing = endpoint.routing;
  const rAt: Path = [...at, "routing"];
  // `fallback: false` without a split routes nothing: the same as no routing at all.
  if (!routing || (routing.split === undefined && !Array.isArray(routing.fallback) && routing.fallback !== true)) {
    return names.length > 1
      ? [error([...at, "served_entities"], `${names.length} served entities but no "routing": add routing.split (traffic percentages) or routing.fallback (failover order) so traffic is explicit`)]
      : [];
  }
  const findings: Finding[] = [];
  const external = endpoint.served_entities.every((e) => e.external_model !== undefined);
  if (routing.split !== undefined) {
    const split = routing.split;
    const total = Object.values(split).reduce((a, b) => a + b, 0);
    if (total !== 100) findings.push(error([...rAt, "split"], `split percentages sum to ${total}, expected 100: adjust them so they add up to 100`));
    for (const name of Object.keys(split)) {
      if (!names.includes(name)) findings.push(error([...rAt, "split", name], `split names "${name}", which is not a served entity of this endpoint (served entities: ${names.join(", ")})`, true));
    }
    const missing = names.filter((n) => !Object.hasOwn(split, n));
    if (missing.length > 0) findings.push(error([...rAt, "split"], `split must name every served entity; missing: ${missing.join(", ")} (give it 0 to keep it without traffic)`));
    if (Array.isArray(routing.fallback)) {
      findings.push(error([...rAt, "fallback"], `with "split", "fallback" is true or false (fail over in served-entity order); a fallback list and a split cannot be combined`));
    }
    if (routing.fallback === true && !external) findings.push(error([...rAt, "fallback"], `fallback is supported for external models only`));
  } else if (Array.isArray(routing.fallback)) {
    const order = routing.fallback;
    if (order.length < 2) findings.push(error([...rAt, "fallback"], `fallback needs at least two served entities (a primary and a fallback), got ${order.length}`));
    const seen = new Set<string>();
    order.forEach((name, i) => {
      if (!names.includes(name)) findings.push(error([...rAt, "fallback", i], `fallback names "${name}", which is not a served entity of this endpoint (served entities: ${names.join(", ")})`));
      else if (seen.has(name)) findings.push(error([...rAt, "fallback", i], `"${name}" appears twice in fallback; list each served entity once`));
      seen.add(name);
    });
    const missing = names.filter((n) => !order.includes(n));
    if (missing.length > 0 && order.length >= 2) {
      findings.push(error([...rAt, "fallback"], `fallback must list every served entity in failover order; missing: ${missing.join(", ")}`));
    }
    if (!external) findings.push(error([...rAt, "fallback"], `fallback is supported for external models only; use routing.split for custom and foundation models`));
    if (order.length - 1 > LIMITS.maxFallbacks) {
      findings.push(warning([...rAt, "fallback"], `${order.length - 1} fallbacks after the primary; Databricks documents at most ${LIMITS.maxFallbacks} for serving endpoints, later ones may never be tried`));
    }
  } else if (routing.fallback === true) {
    findings.push(error([...rAt, "fallback"], `"fallback: true" needs a "split"; without one, list the failover order: fallback: [${names.join(", ")}]`));
  }
  return findings;
}

// ---- AI Gateway ----------------------------------------------------------------------------

function checkRateLimits(endpoint: Endpoint, at: Path): Finding[] {
  const limits = endpoint.ai_gateway?.rate_limits ?? [];
  const lAt: Path = [...at, "ai_gateway", "rate_limits"];
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  limits.forEach((limit, i) => {
    const itemAt = [...lAt, i];
    if ((limit.key === "user_group" || limit.key === "service_principal") && limit.principal === undefined) {
      const what = limit.key === "user_group" ? "a group name" : "the service principal's application id";
      findings.push(error(itemAt, `a "${limit.key}" rate limit needs "principal" (${what})`));
    }
    if (limit.key === "endpoint" && limit.principal !== undefined) {
      findings.push(error([...itemAt, "principal"], `an "endpoint" rate limit is a global cap and takes no "principal": remove it, or use key user_group / service_principal / user`));
    }
    if (limit.calls === undefined && limit.tokens === undefined) {
      findings.push(error(itemAt, `a rate limit needs "calls" (queries per minute) or "tokens" (tokens per minute), or both`));
    }
    const id = `${limit.key}\0${limit.principal ?? ""}`;
    const first = seen.get(id);
    if (first !== undefined) {
      const who = limit.principal ? `key ${limit.key}, principal ${limit.principal}` : `key ${limit.key}`;
      findings.push(error(itemAt, `a second rate limit for ${who} (the first is rate_limits[${first}]): put calls and tokens in one entry`));
    } else {
      seen.set(id, i);
    }
  });
  if (limits.length > LIMITS.maxRateLimits) {
    findings.push(warning(lAt, `${limits.length} rate limits; Databricks documents at most ${LIMITS.maxRateLimits} per endpoint`));
  }
  const groups = limits.filter((l) => l.key === "user_group").length;
  if (groups > LIMITS.maxGroupRateLimits) {
    findings.push(warning(lAt, `${groups} user_group rate limits; Databricks documents at most ${LIMITS.maxGroupRateLimits} per endpoint`));
  }
  return findings;
}

function checkGuardrails(endpoint: Endpoint, at: Path): Finding[] {
  const guardrails = endpoint.ai_gateway?.guardrails;
  if (!guardrails) return [];
  const gAt: Path = [...at, "ai_gateway", "guardrails"];
  const findings: Finding[] = [];
  if (guardrails.output?.pii === "MASK") {
    findings.push(warning([...gAt, "output", "pii"], `pii: MASK on output is not confirmed for provider 1.99 (its docs name only BLOCK); check the endpoint after deploy, or use BLOCK`));
  }
  const kinds = new Set(endpoint.served_entities.map(entityKind));
  if (kinds.has("custom model")) {
    findings.push(warning(gAt, `guardrails apply to LLM endpoints (external and foundation models); this endpoint serves custom models: set "guardrails: null" for it`));
  }
  return findings;
}

function checkInferenceTable(endpoint: Endpoint, at: Path): Finding[] {
  const ai = endpoint.ai_gateway;
  const findings: Finding[] = [];
  const table = ai?.inference_table;
  const tAt: Path = [...at, "ai_gateway", "inference_table"];
  if (table && table.enabled !== false) {
    for (const field of ["catalog_name", "schema_name"] as const) {
      if (table[field] === undefined) findings.push(error(tAt, `"${field}" is required when the inference table is enabled (the table is <catalog_name>.<schema_name>.<table_name_prefix>_payload); or set inference_table: false`));
    }
  }
  if (table && table.enabled === false) {
    findings.push(warning([...tAt, "enabled"], `provider 1.99 drops false booleans (issue #5504): "enabled: false" does not disable an existing inference table; disable it in the Databricks UI or API, then remove the block`));
  }
  if (ai?.usage_tracking === false) {
    findings.push(warning([...at, "ai_gateway", "usage_tracking"], `provider 1.99 drops false booleans: "usage_tracking: false" may not switch off usage tracking on an existing endpoint; check it after deploy`));
  }
  return findings;
}

function checkPermissions(endpoint: Endpoint, at: Path): Finding[] {
  const findings: Finding[] = [];
  if (endpoint.permissions?.length === 0) {
    findings.push(warning([...at, "permissions"], `an empty permissions list emits no ACL, so the endpoint's grants stay as they are in the workspace (it does not revoke them): list the identities that keep access, or remove the key`));
  }
  const seen = new Map<string, number>();
  (endpoint.permissions ?? []).forEach((p, i) => {
    const pAt: Path = [...at, "permissions", i];
    const ids = (["group_name", "user_name", "service_principal_name"] as const).filter((k) => p[k] !== undefined);
    if (ids.length !== 1) {
      findings.push(error(pAt, `a permission names exactly one of group_name, user_name or service_principal_name, found ${ids.length === 0 ? "none" : ids.join(" and ")}`));
      return;
    }
    const id = `${ids[0]}=${p[ids[0]]}`;
    if (p.group_name === "admins") {
      findings.push(error([...pAt, "group_name"], `the "admins" group always has CAN_MANAGE and cannot be set: remove this entry`));
    }
    const first = seen.get(id);
    if (first !== undefined) {
      findings.push(error(pAt, `${ids[0]} "${p[ids[0]]}" already has a level in permissions[${first}]: one level per identity (two drift forever); keep the one you mean`));
    } else {
      seen.set(id, i);
    }
  });
  return findings;
}
