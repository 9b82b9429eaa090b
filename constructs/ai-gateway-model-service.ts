import { Construct } from "constructs";
import { SERVICE_LIMITS } from "../databricks/ai-gateway-services";
import {
  checkRateLimits,
  renderRateLimits,
  ServiceBaseProps,
  ServiceInferenceTable,
  ServiceRateLimit,
  ServiceResource,
  throwProblems,
} from "./ai-gateway-service-common";
import { propsError, type PropsProblem } from "./props-problems";

/** Where a destination sends requests; exactly one of the three configs, matching `destinationType`. */
export interface ModelServiceDestination {
  /** Unique within the service; used in routing references. */
  readonly name: string;
  readonly destinationType:
    | "DESTINATION_TYPE_EXTERNAL_FOUNDATION_MODEL"
    | "DESTINATION_TYPE_PAY_PER_TOKEN_FOUNDATION_MODEL"
    | "DESTINATION_TYPE_PROVISIONED_THROUGHPUT_FOUNDATION_MODEL";
  /** Share of traffic, 0–100; primary destinations sum to 100. @default - none (fallback destinations) */
  readonly trafficPercentage?: number;
  /** An external model through a model provider service. @default - none */
  readonly externalModelConfig?: {
    /** `model-provider-services/<catalog>.<schema>.<name>`. */
    readonly modelProviderService: string;
    readonly target: { readonly model: string; readonly nativeApiTypes?: readonly string[] };
  };
  /** A pay-per-token foundation model: `models/<catalog>.<schema>.<model>`. @default - none */
  readonly payPerTokenConfig?: { readonly model: string };
  /** A provisioned-throughput serving endpoint: `serving-endpoints/<name>`. @default - none */
  readonly provisionedThroughputConfig?: { readonly modelServingEndpoint: string };
}

export interface ModelServiceRouting {
  /** Primary destinations, at most 10. */
  readonly destinations: readonly ModelServiceDestination[];
  /** Tried in list order after the primary destinations fail, at most 5. @default - no fallback */
  readonly fallback?: { readonly destinations: readonly ModelServiceDestination[] };
  /** Streaming only: fail over when no first token arrives within this duration, e.g. "30s" (not in the 1.132 bindings). @default - no timeout */
  readonly firstTokenTimeout?: string;
}

export interface AiGatewayModelServiceProps extends ServiceBaseProps {
  /** The service name within its schema. Changing it replaces the service. */
  readonly modelServiceId: string;
  /** Routing, rate limits and the inference table; required when the service is created. */
  readonly config: {
    readonly routing: ModelServiceRouting;
    /** @default - no rate limits */
    readonly rateLimits?: readonly ServiceRateLimit[];
    /** @default - no inference table */
    readonly inferenceTable?: ServiceInferenceTable;
  };
}

/**
 * `databricks_ai_gateway_model_service`: a model endpoint of the standalone AI Gateway (the AI
 * Gateway UI's LLMs tab) that routes to external, pay-per-token or provisioned-throughput models
 * with traffic splitting and fallbacks, logs usage to `system.ai_gateway.usage`, and is a Unity
 * Catalog securable. Limits on a serving endpoint it routes to do not apply to its traffic.
 *
 * @see https://docs.databricks.com/aws/en/ai-gateway/model-services
 */
export class AiGatewayModelService extends ServiceResource<AiGatewayModelServiceProps> {
  static readonly tfResourceType = "databricks_ai_gateway_model_service";

  constructor(scope: Construct, id: string, props: AiGatewayModelServiceProps) {
    validateModelService(`${scope.node.path}/${id}`, props);
    super(scope, id, AiGatewayModelService.tfResourceType, props);
  }

  protected attributes(): Record<string, unknown> {
    const { config } = this.props;
    return {
      modelServiceId: this.props.modelServiceId,
      parent: this.props.parent,
      config: {
        routing: config.routing,
        rateLimits: renderRateLimits(config.rateLimits),
        inferenceTable: config.inferenceTable,
      },
    };
  }
}

function validateModelService(where: string, props: AiGatewayModelServiceProps): void {
  const problems: PropsProblem[] = [];
  const { destinations, fallback } = props.config.routing;
  const fallbacks = fallback?.destinations ?? [];
  const primaryAt = "config.routing.destinations";
  const fallbackAt = "config.routing.fallback.destinations";
  if (destinations.length === 0) problems.push(propsError(primaryAt, "routing.destinations is empty: route to at least one destination"));
  if (destinations.length > SERVICE_LIMITS.maxDestinations) problems.push(propsError(primaryAt, `${destinations.length} destinations, at most ${SERVICE_LIMITS.maxDestinations}`));
  if (fallbacks.length > SERVICE_LIMITS.maxFallbacks) problems.push(propsError(fallbackAt, `${fallbacks.length} fallback destinations, at most ${SERVICE_LIMITS.maxFallbacks}`));
  const total = destinations.reduce((sum, d) => sum + (d.trafficPercentage ?? 0), 0);
  if (destinations.length > 0 && total !== 100) problems.push(propsError(primaryAt, `traffic percentages sum to ${total}, expected 100`));
  const names = [...destinations, ...fallbacks].map((d) => d.name);
  if (new Set(names).size !== names.length) problems.push(propsError("config.routing", `destination names must be unique, got ${names.join(", ")}`));
  const all = [...destinations.map((d, i) => ({ d, at: `${primaryAt}[${i}]` })), ...fallbacks.map((d, i) => ({ d, at: `${fallbackAt}[${i}]` }))];
  for (const { d, at } of all) {
    const configs = [d.externalModelConfig, d.payPerTokenConfig, d.provisionedThroughputConfig].filter((c) => c !== undefined).length;
    if (configs !== 1) problems.push(propsError(at, `destination "${d.name}" needs exactly one of externalModelConfig, payPerTokenConfig, provisionedThroughputConfig`));
  }
  checkRateLimits(problems, props.config.rateLimits, SERVICE_LIMITS.maxRateLimits, SERVICE_LIMITS.maxGroupRateLimits);
  throwProblems(where, `model service "${props.modelServiceId}"`, problems);
}
