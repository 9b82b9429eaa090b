import {
  BEDROCK_ACCESS_KEY_FIELDS,
  CUSTOM_PROVIDER_AUTH_FIELDS,
  exampleCredentialField,
  NOT_FOR_EXTERNAL_MODELS,
  OPENAI_ENTRA_FIELDS,
  PROVIDER_CONFIG_KEY,
  PROVIDER_CONFIG_KEYS,
  PROVIDER_REQUIRED,
  type ExternalProvider,
} from "../../databricks";
import type { ExternalModel } from "../schema";
import { error, withArticle, type EndpointRule, type Finding, type Path } from "./rule";

function example(provider: ExternalProvider): string {
  return `${PROVIDER_CONFIG_KEY[provider]}: { ${exampleCredentialField(provider)}: "{{secrets/<scope>/<key>}}" }`;
}

function checkExternalModel(model: ExternalModel, at: Path): Finding[] {
  const expectedKey = PROVIDER_CONFIG_KEY[model.provider];
  const blocks = PROVIDER_CONFIG_KEYS.filter((k) => model[k] !== undefined);
  const findings: Finding[] = blocks
    .filter((k) => k !== expectedKey)
    .map((k) => error([...at, k], `"${k}" does not match provider "${model.provider}": an external model takes exactly one config block, "${expectedKey}"; remove "${k}"`, true));
  const config: Record<string, unknown> | undefined = model[expectedKey];
  if (config === undefined) {
    findings.push(error(at, `provider "${model.provider}" needs ${withArticle(`"${expectedKey}"`)} block with its credentials (for example ${example(model.provider)})`));
    return findings;
  }
  const cfgAt = [...at, expectedKey];
  for (const field of PROVIDER_REQUIRED[model.provider]) {
    if (config[field] === undefined) findings.push(error(cfgAt, `"${expectedKey}.${field}" is required for provider "${model.provider}"`));
  }
  if (model.provider === "openai") {
    const entra = OPENAI_ENTRA_FIELDS.filter((f) => config[f] !== undefined);
    if (config.openai_api_key === undefined && entra.length < OPENAI_ENTRA_FIELDS.length) {
      findings.push(error(cfgAt, `openai_config needs "openai_api_key", or all three of microsoft_entra_client_id, microsoft_entra_client_secret and microsoft_entra_tenant_id (Azure OpenAI with Entra ID)`));
    }
    if (config.openai_api_key !== undefined && entra.length > 0) {
      findings.push(error(cfgAt, `openai_config takes "openai_api_key" or Microsoft Entra ID credentials, not both: remove one`));
    }
  }
  if (model.provider === "amazon-bedrock") {
    const keys = BEDROCK_ACCESS_KEY_FIELDS.filter((f) => config[f] !== undefined).length;
    const profile = config.instance_profile_arn !== undefined;
    if (!profile && keys < BEDROCK_ACCESS_KEY_FIELDS.length) {
      findings.push(error(cfgAt, `amazon_bedrock_config needs "instance_profile_arn", or both aws_access_key_id and aws_secret_access_key as secret references`));
    }
  }
  if (model.provider === "custom") {
    const auth = CUSTOM_PROVIDER_AUTH_FIELDS.filter((f) => config[f] !== undefined);
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

export const externalModel: EndpointRule = {
  id: "external-model",
  what: "An external model has exactly its provider's config block with the required fields, and no fields of served models",
  why: "Databricks proxies the provider's API: it needs that provider's credentials, and sizing fields do not apply.",
  check(endpoint, at) {
    return (endpoint.served_entities ?? []).flatMap((entity, i) => {
      if (!entity.external_model) return [];
      const eAt: Path = [...at, "served_entities", i];
      return [
        ...NOT_FOR_EXTERNAL_MODELS.filter((k) => entity[k] !== undefined).map((k) =>
          error([...eAt, k], `"${k}" does not apply to an external model (Databricks proxies the provider's API): remove it`),
        ),
        ...checkExternalModel(entity.external_model, [...eAt, "external_model"]),
      ];
    });
  },
};
