/**
 * Reads the standalone AI Gateway services of one synthesized stack (`cdk.tf.json`): model
 * services, model provider services, MCP services, and the `databricks_grants` on them, into one
 * normalized view per service that the service rules compare and the policy report describes.
 *
 * The review's handling of these four resource types. To move into a per-type handler registry:
 * register the three service types and `databricks_grants` (those naming a service) as parts of
 * this view, the way `databricks_model_serving` and its `databricks_permissions` are parts of the
 * endpoint view; `servicesOf` reads them, ./changes.ts compares them with ./rules, and
 * ./policy.ts describes them. Nothing here depends on how endpoints are read.
 */
import { renewalPeriodOf } from "../../databricks/ai-gateway-services";
import { bool, compareStrings, isObj } from "../endpoint-view";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isObj(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

export type ServiceKind = "model service" | "model provider service" | "MCP service";

export const SERVICE_TYPES: Readonly<Record<string, { kind: ServiceKind; idField: string; grantsField: string }>> = {
  databricks_ai_gateway_model_service: { kind: "model service", idField: "model_service_id", grantsField: "model_service" },
  databricks_ai_gateway_model_provider_service: { kind: "model provider service", idField: "model_provider_service_id", grantsField: "model_provider_service" },
  databricks_ai_gateway_mcp_service: { kind: "MCP service", idField: "mcp_service_id", grantsField: "mcp_service" },
};

export interface ServiceLimitView {
  /** Short key: service, user, user_default, user_group, service_principal, request_tag. */
  readonly key: string;
  readonly principal?: string;
  readonly requestTag?: string;
  /** minute or hour. */
  readonly period: string;
  readonly requests?: number;
  readonly tokens?: number;
}

export interface DestinationView {
  readonly name: string;
  /** `provider service openai: gpt-4o-mini`, `pay-per-token system.ai.x`, `endpoint llama`. */
  readonly target: string;
  /** The serving endpoint (its logical id) when the destination is one of the stack's endpoints. */
  readonly endpoint?: string;
  readonly percentage?: number;
}

export interface GrantView {
  readonly principal: string;
  readonly privileges: readonly string[];
}

export interface ServiceView {
  /** Terraform logical id (the service key). */
  readonly key: string;
  readonly type: string;
  readonly kind: ServiceKind;
  /** `<catalog>.<schema>.<name>`. */
  readonly fullName: string;
  readonly limits: readonly ServiceLimitView[];
  readonly destinations: readonly DestinationView[];
  readonly fallbacks: readonly DestinationView[];
  /** `catalog.schema.prefix_payload`, undefined when there is no inference table. */
  readonly inferenceTable?: string;
  /** Undefined when no databricks_grants manages the service. */
  readonly grants?: readonly GrantView[];
  /** `openai`, `amazon_bedrock`, ...: model provider services only. */
  readonly provider?: string;
  /** `service credential bedrock_access`, `API key (secret reference)`, ...: never a value. */
  readonly credential?: string;
  readonly preventDestroy: boolean;
  /** The resource as synthesized (read by rules; never printed whole). */
  readonly resource: Obj;
}

const shortKey = (key: string | undefined) => (key ?? "?").replace(/^RATE_LIMIT_KEY_/, "").toLowerCase();

function limitsOf(config: Obj): ServiceLimitView[] {
  return arr(config.rate_limits).map((l) => {
    const r = obj(l);
    const tag = str(r.request_tag_key);
    return {
      key: shortKey(str(r.key)),
      principal: str(r.principal),
      requestTag: tag === undefined ? undefined : `${tag}${str(r.request_tag_value) !== undefined ? `=${String(r.request_tag_value)}` : ""}`,
      period: renewalPeriodOf(str(r.renewal_period)),
      requests: num(r.requests),
      tokens: num(r.tokens),
    };
  });
}

const REF = /^\$\{(databricks_[a-z_]+)\.([^.}]+)\.name\}$/;

function destination(d: unknown): DestinationView {
  const r = obj(d);
  const name = str(r.name) ?? "?";
  const percentage = num(r.traffic_percentage);
  const ext = obj(r.external_model_config);
  if (isObj(r.external_model_config)) {
    const ref = str(ext.model_provider_service) ?? "?";
    const m = REF.exec(ref);
    const who = m ? `provider service ${m[2]}` : ref.replace(/^model-provider-services\//, "provider service ");
    return { name, target: `${who}: ${str(obj(ext.target).model) ?? "?"}`, percentage };
  }
  if (isObj(r.pay_per_token_config)) return { name, target: `pay-per-token ${(str(r.pay_per_token_config.model) ?? "?").replace(/^models\//, "")}`, percentage };
  const endpoint = (str(obj(r.provisioned_throughput_config).model_serving_endpoint) ?? "?").replace(/^serving-endpoints\//, "");
  const m = /^\$\{databricks_model_serving\.([^.}]+)\.(?:name|id)\}$/.exec(endpoint);
  return { name, target: `endpoint ${m ? m[1] : endpoint}`, endpoint: m?.[1], percentage };
}

function credentialOf(config: Obj, provider: string | undefined): string | undefined {
  if (!provider) return undefined;
  const direct = obj(obj(config[provider]).direct);
  if (isObj(direct.service_credential)) return `service credential ${(str(direct.service_credential.name) ?? "?").replace(/^credentials\//, "")}`;
  if (isObj(direct.entra_service_principal)) return "Entra service principal";
  if (isObj(direct.aws_access_key)) return "AWS access key";
  if (isObj(direct.api_key)) return /^\{\{secrets\/[^}]+\}\}$/.test(str(direct.api_key.plaintext) ?? "") ? "API key (secret reference)" : "API key";
  return isObj(obj(config[provider]).relayed) ? "relayed caller token" : "none";
}

const PROVIDER_OF: Record<string, string> = {
  EXTERNAL_MODEL_PROVIDER_TYPE_OPENAI: "openai",
  EXTERNAL_MODEL_PROVIDER_TYPE_ANTHROPIC: "anthropic",
  EXTERNAL_MODEL_PROVIDER_TYPE_AMAZON_BEDROCK: "amazon_bedrock",
  EXTERNAL_MODEL_PROVIDER_TYPE_AZURE_OPENAI: "azure_openai",
  EXTERNAL_MODEL_PROVIDER_TYPE_MICROSOFT_FOUNDRY: "microsoft_foundry",
  EXTERNAL_MODEL_PROVIDER_TYPE_GEMINI_ENTERPRISE: "gemini_enterprise",
  EXTERNAL_MODEL_PROVIDER_TYPE_CUSTOM: "custom",
};

/** The services of one synthesized stack by key, sorted by key. */
export function servicesOf(stack: unknown): Map<string, ServiceView> {
  const resources = obj(obj(stack).resource);
  const grantsByName = new Map<string, GrantView[]>();
  for (const g of Object.values(obj(resources.databricks_grants))) {
    const r = obj(g);
    const target = Object.values(SERVICE_TYPES).map((t) => str(r[t.grantsField])).find((v) => v !== undefined);
    if (target === undefined) continue;
    const list = grantsByName.get(target.toLowerCase()) ?? [];
    for (const item of arr(r.grant)) list.push({ principal: str(obj(item).principal) ?? "?", privileges: arr(obj(item).privileges).map(String).sort(compareStrings) });
    grantsByName.set(target.toLowerCase(), list);
  }
  const out: Array<[string, ServiceView]> = [];
  for (const [type, meta] of Object.entries(SERVICE_TYPES)) {
    for (const [key, value] of Object.entries(obj(resources[type]))) {
      const resource = obj(value);
      const config = obj(resource.config);
      const schema = (str(resource.parent) ?? "?").replace(/^schemas\//, "");
      const fullName = `${schema}.${str(resource[meta.idField]) ?? key}`;
      const routing = obj(config.routing);
      const table = isObj(config.inference_table) ? config.inference_table : undefined;
      const provider = PROVIDER_OF[str(config.provider_type) ?? ""];
      out.push([
        key,
        {
          key,
          type,
          kind: meta.kind,
          fullName,
          limits: limitsOf(config),
          destinations: arr(routing.destinations).map(destination),
          fallbacks: arr(obj(routing.fallback).destinations).map(destination),
          inferenceTable: table && `${(str(table.parent) ?? "?").replace(/^schemas\//, "")}.${str(table.table_name_prefix) ?? str(resource[meta.idField]) ?? key}_payload`,
          grants: grantsByName.get(fullName.toLowerCase()),
          provider,
          credential: credentialOf(config, provider),
          preventDestroy: bool(obj(resource.lifecycle).prevent_destroy) === true,
          resource,
        },
      ]);
    }
  }
  return new Map(out.sort((a, b) => compareStrings(a[0], b[0])));
}
