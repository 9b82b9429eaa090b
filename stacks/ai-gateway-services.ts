/**
 * `ai_gateway_services:` → the standalone AI Gateway constructs. Provider services first (model
 * services reference their resource names, which also orders the apply), then model and MCP
 * services, then one authoritative `databricks_grants` per service with grants.
 *
 * Logical ids are a contract: service key K is `databricks_ai_gateway_<type>_service.K` and its
 * grants `databricks_grants.K`, wherever the constructs sit.
 */
import { Construct } from "constructs";
import {
  RATE_LIMIT_KEY_VALUE,
  RENEWAL_PERIOD_VALUE,
  PROVIDER_TYPE_VALUE,
  DESTINATION_TYPE,
  SERVICE_GRANTS_ATTRIBUTE,
  resourceName,
} from "../databricks/ai-gateway-services";
import type { AiGatewayService, EnvironmentConfig, ProviderConnection, ServiceDestination, ServiceRateLimit as RateLimitConfig } from "../config/schema";
import {
  AiGatewayMcpService,
  AiGatewayModelProviderService,
  AiGatewayModelService,
  AiGatewayServiceGrants,
  ModelProviderConfigs,
  ModelProviderType,
  ModelServiceDestination,
  ServiceInferenceTable,
  ServiceRateLimit,
  ServiceRateLimitKeyValue,
  RenewalPeriodValue,
} from "../constructs";
import type { ServiceResource, ServiceBaseProps } from "../constructs/ai-gateway-service-common";
import { constructIdFor } from "../constructs/construct-id";

export type AnyService = ServiceResource<ServiceBaseProps>;

function rateLimits(limits: readonly RateLimitConfig[] | undefined): ServiceRateLimit[] | undefined {
  return limits?.map((l) => ({
    key: RATE_LIMIT_KEY_VALUE[l.key] as ServiceRateLimitKeyValue,
    principal: l.principal,
    renewalPeriod: l.renewal_period && (RENEWAL_PERIOD_VALUE[l.renewal_period] as RenewalPeriodValue),
    requests: l.requests,
    tokens: l.tokens,
    requestTagKey: l.request_tag?.key,
    requestTagValue: l.request_tag?.value,
  }));
}

function inferenceTable(table: AiGatewayService["inference_table"]): ServiceInferenceTable | undefined {
  return table ? { parent: resourceName.schema(table.schema), tableNamePrefix: table.table_name_prefix } : undefined;
}

const secret = (value: string | undefined) => (value === undefined ? undefined : { plaintext: value });

/** One provider block, `{ direct: {...} }`, in the API's field names. */
function providerBlock(c: ProviderConnection): object {
  return {
    direct: {
      apiKey: secret(c.api_key),
      baseUrl: c.base_url,
      organization: c.organization,
      region: c.region,
      projectId: c.project_id,
      serviceCredential: c.service_credential === undefined ? undefined : { name: resourceName.credential(c.service_credential) },
      awsAccessKey: c.access_key_id === undefined ? undefined : { accessKeyId: c.access_key_id, secretAccessKey: secret(c.secret_access_key) },
      entraServicePrincipal: c.entra && { clientId: c.entra.client_id, tenantId: c.entra.tenant_id, clientSecret: { plaintext: c.entra.client_secret } },
    },
  };
}

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

export interface ServicesResult {
  readonly services: Readonly<Record<string, AnyService>>;
  readonly grants: Readonly<Record<string, AiGatewayServiceGrants>>;
}

/** Every service of an environment, with its grants; `endpoints` are the stack's governed endpoints by key. */
export function addServices(scope: Construct, env: EnvironmentConfig, endpoints: Readonly<Record<string, { readonly endpointName: string }>>): ServicesResult {
  const all = Object.entries(env.ai_gateway_services ?? {});
  if (all.length === 0) return { services: {}, grants: {} };
  const serviceScope = new Construct(scope, "services");
  const grantScope = new Construct(scope, "service-grants");
  const services: Record<string, AnyService> = {};
  const grants: Record<string, AiGatewayServiceGrants> = {};
  const base = (key: string, s: AiGatewayService) => ({ parent: resourceName.schema(s.schema!), comment: s.comment, preventDestroy: env.protect === true, id: s.name ?? key });

  const destination = (d: ServiceDestination): ModelServiceDestination => {
    const common = { name: d.name, trafficPercentage: d.traffic_percentage };
    if (d.provider_service !== undefined) {
      return {
        ...common,
        destinationType: DESTINATION_TYPE.external,
        externalModelConfig: { modelProviderService: services[d.provider_service].resourceName, target: { model: d.model!, nativeApiTypes: d.native_api_types } },
      };
    }
    if (d.pay_per_token !== undefined) return { ...common, destinationType: DESTINATION_TYPE.payPerToken, payPerTokenConfig: { model: resourceName.model(d.pay_per_token) } };
    return { ...common, destinationType: DESTINATION_TYPE.provisionedThroughput, provisionedThroughputConfig: { modelServingEndpoint: resourceName.servingEndpoint(endpoints[d.endpoint!].endpointName) } };
  };

  // Provider services first: model services refer to them.
  const ordered = [...all.filter(([, s]) => s.type === "model_provider"), ...all.filter(([, s]) => s.type !== "model_provider")];
  for (const [key, s] of ordered) {
    const { id, ...common } = base(key, s);
    let service: AnyService;
    if (s.type === "model_provider") {
      const provider = s.provider!;
      const blocks: ModelProviderConfigs = { [camel(provider)]: providerBlock(s[provider]!) };
      service = new AiGatewayModelProviderService(serviceScope, constructIdFor(key), {
        ...common,
        modelProviderServiceId: id,
        config: {
          providerType: PROVIDER_TYPE_VALUE[provider] as ModelProviderType,
          ...blocks,
          targets: s.targets?.map((t) => ({ model: t.model, nativeApiTypes: t.native_api_types })),
          allowAllTargets: s.allow_all_targets,
          rateLimits: rateLimits(s.rate_limits),
          inferenceTable: inferenceTable(s.inference_table),
        },
      }) as unknown as AnyService;
    } else if (s.type === "model") {
      service = new AiGatewayModelService(serviceScope, constructIdFor(key), {
        ...common,
        modelServiceId: id,
        config: {
          routing: {
            destinations: s.destinations!.map(destination),
            fallback: s.fallbacks && s.fallbacks.length > 0 ? { destinations: s.fallbacks.map(destination) } : undefined,
            firstTokenTimeout: s.first_token_timeout,
          },
          rateLimits: rateLimits(s.rate_limits),
          inferenceTable: inferenceTable(s.inference_table),
        },
      }) as unknown as AnyService;
    } else {
      service = new AiGatewayMcpService(serviceScope, constructIdFor(key), {
        ...common,
        mcpServiceId: id,
        config: { sourceConnection: { name: resourceName.connection(s.connection!) }, includeToolSelectors: s.include_tools, rateLimits: rateLimits(s.rate_limits) },
      }) as unknown as AnyService;
    }
    service.overrideLogicalId(key);
    services[key] = service;
    if (s.grants && s.grants.length > 0) {
      const securable = { [camel(SERVICE_GRANTS_ATTRIBUTE[s.type])]: `${s.schema}.${id}` } as { modelService: string };
      const g = new AiGatewayServiceGrants(grantScope, constructIdFor(key), {
        ...securable,
        grants: s.grants.map((x) => ({ principal: x.principal, privileges: x.privileges })),
        dependsOn: [service],
      });
      g.overrideLogicalId(key);
      grants[key] = g;
    }
  }
  return { services, grants };
}
