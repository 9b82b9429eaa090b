import { SERVICE_CREDENTIAL_PROVIDERS } from "../../databricks/ai-gateway-services";
import { Finding, ServiceRule, warning } from "./rule";

/**
 * The credential fields that the provider binding writes to `ProviderSecret.plaintext`, its only
 * secret field (provider 1.132; terraform-provider-databricks
 * docs/resources/ai_gateway_model_provider_service.md: "Inline plaintext credential").
 */
const PLAINTEXT_FIELDS = [["api_key"], ["secret_access_key"], ["entra", "client_secret"]] as const;

export const serviceSecretReferences: ServiceRule = {
  id: "service-secret-references",
  what: "A {{secrets/...}} reference in a provider service's plaintext credential is flagged as unconfirmed",
  why: "The provider documents ProviderSecret.plaintext as an inline plaintext credential and says nothing of secret references; if the service stores the reference text as the key, every request through it fails authentication. Unity Catalog service credentials are the documented indirection.",
  check(service, at) {
    if (service.type !== "model_provider" || service.provider === undefined) return [];
    const block = service[service.provider];
    if (!block) return [];
    const findings: Finding[] = [];
    const alternative = SERVICE_CREDENTIAL_PROVIDERS.includes(service.provider)
      ? `use service_credential (a Unity Catalog service credential) instead`
      : `${service.provider} takes no service_credential (only ${SERVICE_CREDENTIAL_PROVIDERS.join(", ")} do), so send one request through the service after deploy to check that it authenticates`;
    for (const path of PLAINTEXT_FIELDS) {
      const value = path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], block);
      if (value === undefined) continue;
      findings.push(warning([...at, service.provider, ...path], `the secret reference is written to the provider's plaintext field, which its docs describe as an inline plaintext credential; that the service resolves {{secrets/...}} there is unconfirmed: ${alternative}`));
    }
    return findings;
  },
};
