/**
 * The renewal period the review assumes for a rate limit that names none is a Databricks fact with
 * one owner in databricks/ (DEFAULT_RENEWAL_PERIOD for endpoints, DEFAULT_SERVICE_RENEWAL_PERIOD
 * and renewalPeriodOf for the AI Gateway services), not a "minute" literal in review/. Shown on
 * today's value, and by swapping the owner in an isolated module registry: the review follows it.
 */
import { DEFAULT_RENEWAL_PERIOD } from "../../databricks";
import { DEFAULT_SERVICE_RENEWAL_PERIOD, RENEWAL_PERIOD_VALUE, renewalPeriodOf, SERVICE_RENEWAL_PERIODS } from "../../databricks/ai-gateway-services";

type Obj = Record<string, any>;

interface Review {
  endpointsOf: typeof import("../../review").endpointsOf;
  endpointFindings: typeof import("../../review/changes").endpointFindings;
  servicesOf: typeof import("../../review/services/view").servicesOf;
  unit: typeof import("../../review/services/describe").unit;
}

/** The review's modules, loaded fresh; `enums` replaces exports of databricks/enums.ts. */
function loadReview(enums: Obj = {}): Review {
  let review!: Review;
  jest.isolateModules(() => {
    jest.doMock("../../databricks/enums", () => ({ ...jest.requireActual("../../databricks/enums"), ...enums }));
    review = {
      endpointsOf: require("../../review").endpointsOf,
      endpointFindings: require("../../review/changes").endpointFindings,
      servicesOf: require("../../review/services/view").servicesOf,
      unit: require("../../review/services/describe").unit,
    };
  });
  return review;
}

/** One endpoint with one per-user limit of 10 QPM, the limit's renewal_period as given. */
function endpointStack(renewalPeriod?: string): Obj {
  const limit: Obj = { key: "user", calls: 10 };
  if (renewalPeriod !== undefined) limit.renewal_period = renewalPeriod;
  return {
    resource: {
      databricks_model_serving: {
        chat: {
          name: "chat",
          config: { served_entities: [{ name: "gpt", external_model: { provider: "openai", name: "gpt-4o", task: "llm/v1/chat", openai_config: { openai_api_key: "{{secrets/a/b}}" } } }] },
          ai_gateway: { rate_limits: [limit] },
        },
      },
    },
  };
}

function rateLimitFindings(review: Review, base: Obj, head: Obj) {
  const view = (stack: Obj) => review.endpointsOf(stack).get("chat")!;
  return review.endpointFindings(view(base), view(head)).filter((f) => f.rule === "rate-limits").map((f) => f.finding);
}

describe("the review's default renewal period comes from databricks/", () => {
  test("endpoints: the default is a minute, so leaving renewal_period out of a limit is no change", () => {
    expect(DEFAULT_RENEWAL_PERIOD).toBe("minute");
    const review = loadReview();
    expect(rateLimitFindings(review, endpointStack(), endpointStack("minute"))).toEqual([]);
    expect(rateLimitFindings(review, endpointStack("minute"), endpointStack())).toEqual([]);
  });

  test("endpoints: with another default in databricks/enums.ts, the review compares against that one", () => {
    const review = loadReview({ DEFAULT_RENEWAL_PERIOD: "hour" });
    expect(rateLimitFindings(review, endpointStack(), endpointStack("minute"))).toEqual([
      { class: "neutral", what: expect.stringContaining("renewal_period"), before: expect.anything(), after: '"minute"', field: ["ai_gateway", "rate_limits", 0, "renewal_period"] },
    ]);
    expect(rateLimitFindings(review, endpointStack(), endpointStack("hour"))).toEqual([]);
  });

  test("services: a limit without renewal_period is read in the default period, named by the API value it stands for", () => {
    expect(renewalPeriodOf(undefined)).toBe(DEFAULT_SERVICE_RENEWAL_PERIOD);
    for (const period of SERVICE_RENEWAL_PERIODS) expect(renewalPeriodOf(RENEWAL_PERIOD_VALUE[period])).toBe(period);
    const stack = {
      resource: {
        databricks_ai_gateway_mcp_service: {
          tools: { mcp_service_id: "tools", parent: "schemas/main.default", config: { rate_limits: [{ key: "RATE_LIMIT_KEY_SERVICE", requests: 100 }] } },
        },
      },
    };
    const [view] = [...loadReview().servicesOf(stack).values()];
    expect(view.limits.map((l) => l.period)).toEqual([DEFAULT_SERVICE_RENEWAL_PERIOD]);
  });

  test("services: QPM/TPM name the endpoints' renewal period, whatever databricks/enums.ts says it is", () => {
    expect(loadReview().unit("requests", "minute")).toBe("QPM");
    expect(loadReview().unit("tokens", "hour")).toBe("tokens/hour");
    const swapped = loadReview({ DEFAULT_RENEWAL_PERIOD: "hour" });
    expect([swapped.unit("requests", "hour"), swapped.unit("tokens", "minute")]).toEqual(["QPM", "tokens/minute"]);
  });
});
