import { Construct } from "constructs";
import { SERVICE_LIMITS } from "../databricks/ai-gateway-services";
import { checkRateLimits, renderRateLimits, ServiceBaseProps, ServiceRateLimit, ServiceResource, throwProblems } from "./ai-gateway-service-common";
import { propsError, type PropsProblem } from "./props-problems";

export interface AiGatewayMcpServiceProps extends ServiceBaseProps {
  /** The service name within its schema. Changing it replaces the service. */
  readonly mcpServiceId: string;
  readonly config: {
    /** The Unity Catalog connection to the MCP server: `connections/<catalog>.<schema>.<connection>`. */
    readonly sourceConnection: { readonly name: string };
    /** Exact tool names or prefix patterns (`read_*`) to expose. @default - every tool */
    readonly includeToolSelectors?: readonly string[];
    /** Requests per minute only: MCP tool calls have no token count. @default - no rate limits */
    readonly rateLimits?: readonly ServiceRateLimit[];
  };
}

/**
 * `databricks_ai_gateway_mcp_service`: an external MCP server behind a Unity Catalog connection,
 * governed as a Unity Catalog securable (EXECUTE to call its tools), with its own rate limits.
 *
 * @see https://docs.databricks.com/aws/en/ai-gateway/mcp-services
 */
export class AiGatewayMcpService extends ServiceResource<AiGatewayMcpServiceProps> {
  static readonly tfResourceType = "databricks_ai_gateway_mcp_service";

  constructor(scope: Construct, id: string, props: AiGatewayMcpServiceProps) {
    const problems: PropsProblem[] = [];
    checkRateLimits(problems, props.config.rateLimits, SERVICE_LIMITS.maxRateLimits, SERVICE_LIMITS.maxGroupRateLimits);
    (props.config.rateLimits ?? []).forEach((l, i) => {
      if (l.tokens !== undefined) problems.push(propsError(`config.rateLimits[${i}].tokens`, "MCP services take request limits (QPM) only, not tokens"));
      if (l.renewalPeriod === "RATE_LIMIT_RENEWAL_PERIOD_HOUR") problems.push(propsError(`config.rateLimits[${i}].renewalPeriod`, "MCP services take per-minute limits (QPM) only"));
    });
    throwProblems(`${scope.node.path}/${id}`, `MCP service "${props.mcpServiceId}"`, problems);
    super(scope, id, AiGatewayMcpService.tfResourceType, props);
  }

  protected attributes(): Record<string, unknown> {
    const { rateLimits, ...config } = this.props.config;
    return { mcpServiceId: this.props.mcpServiceId, parent: this.props.parent, config: { ...config, rateLimits: renderRateLimits(rateLimits) } };
  }
}
