import { SERVICE_CREDENTIAL_PROVIDERS, ServiceProvider } from "../../databricks/ai-gateway-services";
import type { ProviderConnection } from "../schema";
import { error, Finding, ServiceRule } from "./rule";

type Field = keyof ProviderConnection;

/** Fields each provider takes, the required ones, and the credential choices (exactly one). */
const PROVIDER_FIELDS: Record<ServiceProvider, { fields: readonly Field[]; required: readonly Field[]; credentials: ReadonlyArray<readonly Field[]> }> = {
  openai: { fields: ["api_key", "base_url", "organization"], required: ["api_key"], credentials: [] },
  anthropic: { fields: ["api_key"], required: ["api_key"], credentials: [] },
  amazon_bedrock: { fields: ["region", "service_credential", "access_key_id", "secret_access_key"], required: ["region"], credentials: [["service_credential"], ["access_key_id", "secret_access_key"]] },
  azure_openai: { fields: ["base_url", "api_key", "service_credential", "entra"], required: ["base_url"], credentials: [["api_key"], ["service_credential"], ["entra"]] },
  microsoft_foundry: { fields: ["base_url", "api_key", "service_credential", "entra"], required: ["base_url"], credentials: [["api_key"], ["service_credential"], ["entra"]] },
  gemini_enterprise: { fields: ["project_id", "region", "api_key"], required: ["project_id", "region", "api_key"], credentials: [] },
  custom: { fields: ["base_url", "api_key"], required: ["base_url"], credentials: [] },
};

export const serviceCredentials: ServiceRule = {
  id: "service-credentials",
  what: "A model provider service has exactly its provider's block, fields and one credential",
  why: "provider_type selects one provider block; credentials are Unity Catalog service credentials or {{secrets/...}} references (the schema rejects literals), and a provider takes one authentication mode.",
  check(service, at) {
    if (service.type !== "model_provider" || service.provider === undefined) return [];
    const findings: Finding[] = [];
    const blocks = Object.keys(PROVIDER_FIELDS).filter((p) => service[p as ServiceProvider] !== undefined);
    for (const b of blocks) if (b !== service.provider) findings.push(error([...at, b], `provider is ${service.provider}, so the "${b}" block does not apply: move its fields into "${service.provider}"`, true));
    const block = service[service.provider];
    const spec = PROVIDER_FIELDS[service.provider];
    const bAt = [...at, service.provider];
    if (!block) return [...findings, error([...at, "provider"], `provider ${service.provider} needs a "${service.provider}" block with ${spec.required.join(", ")}`)];
    for (const f of Object.keys(block) as Field[]) {
      if (block[f] !== undefined && !spec.fields.includes(f)) findings.push(error([...bAt, f], `${service.provider} takes ${spec.fields.join(", ")}; "${f}" does not apply`, true));
    }
    for (const f of spec.required) if (block[f] === undefined) findings.push(error(bAt, `${service.provider} needs "${f}"${f === "api_key" ? ' as a {{secrets/<scope>/<key>}} reference' : ""}`));
    if (spec.credentials.length > 0) {
      const chosen = spec.credentials.filter((group) => group.some((f) => block[f] !== undefined));
      if (chosen.length !== 1) {
        const options = spec.credentials.map((g) => g.join(" + ")).join(" | ");
        findings.push(error(bAt, `${service.provider} authenticates with exactly one of: ${options}; found ${chosen.length === 0 ? "none" : chosen.map((g) => g.join(" + ")).join(" and ")}`));
      } else {
        const missing = chosen[0].filter((f) => block[f] === undefined);
        if (missing.length > 0) findings.push(error(bAt, `${chosen[0].join(" + ")} go together: add ${missing.join(", ")}`));
      }
    }
    if (block.service_credential !== undefined && !SERVICE_CREDENTIAL_PROVIDERS.includes(service.provider)) {
      findings.push(error([...bAt, "service_credential"], `service credentials are supported for ${SERVICE_CREDENTIAL_PROVIDERS.join(", ")} only`));
    }
    return findings;
  },
};
