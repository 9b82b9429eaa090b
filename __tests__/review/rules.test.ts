/**
 * Every endpoint review rule, cdk-nag style: one case the rule reports (with its class) and one it
 * lets pass. The cases run through the registry (`endpointFindings` over ENDPOINT_RULES), so a
 * rule removed from the registry fails its own case, and a rule added without cases fails the
 * first test.
 */
import { endpointFindings } from "../../review/changes";
import { endpointsOf, ENDPOINT_RULES } from "../../review";
import type { ChangeClass } from "../../review";
import { stableJson } from "../../review/format";

type Obj = Record<string, any>;

function endpoint(extra: Obj = {}): Obj {
  return {
    name: "chat",
    description: "chat",
    config: { served_entities: [{ name: "gpt", external_model: { provider: "openai", name: "gpt-4o", task: "llm/v1/chat", openai_config: { openai_api_key: "{{secrets/a/b}}" } } }, { name: "claude", external_model: { provider: "anthropic", name: "claude", task: "llm/v1/chat", anthropic_config: { anthropic_api_key: "{{secrets/a/c}}" } } }] },
    ai_gateway: {
      usage_tracking_config: { enabled: true },
      inference_table_config: { catalog_name: "ml", schema_name: "logs", enabled: true },
      rate_limits: [{ key: "user", calls: 10, renewal_period: "minute" }],
      guardrails: { input: { safety: true } },
      fallback_config: { enabled: true },
    },
    tags: [{ key: "team", value: "a" }],
    lifecycle: { prevent_destroy: true },
    ...extra,
  };
}

const gateway = (patch: Obj) => ({ ai_gateway: { ...endpoint().ai_gateway, ...patch } });
const ACL = [{ group_name: "analysts", permission_level: "CAN_QUERY" }];

/** An endpoint (resource fields merged over the base) and its ACL. */
interface Side {
  readonly resource?: Obj;
  readonly acl?: Obj[] | null;
}

interface Case {
  /** The change the rule reports, and the class it reports it with. */
  readonly reported: { readonly base?: Side; readonly head: Side; readonly class: ChangeClass };
  /** A change the rule has nothing to say about (it may be another rule's business). */
  readonly passes: { readonly base?: Side; readonly head: Side };
}

const CASES: Record<string, Case> = {
  replacement: { reported: { head: { resource: { name: "chat2" } }, class: "replaces" }, passes: { head: { resource: { description: "new" } } } },
  protection: { reported: { head: { resource: { lifecycle: undefined } }, class: "loosens" }, passes: { head: { resource: { lifecycle: { prevent_destroy: true, ignore_changes: ["tags"] } } } } },
  "create-only": { reported: { head: { resource: { description: "new" } }, class: "not-applied" }, passes: { head: { resource: { tags: [{ key: "team", value: "b" }] } } } },
  "ai-gateway-block": { reported: { head: { resource: { ai_gateway: undefined } }, class: "not-applied" }, passes: { head: { resource: gateway({ usage_tracking_config: { enabled: true }, rate_limits: [] }) } } },
  guardrails: { reported: { head: { resource: gateway({ guardrails: { input: { safety: false } } }) }, class: "loosens" }, passes: { head: { resource: gateway({ rate_limits: [] }) } } },
  "rate-limits": {
    reported: { head: { resource: gateway({ rate_limits: [{ key: "user", calls: 100, renewal_period: "minute" }] }) }, class: "loosens" },
    passes: { head: { resource: gateway({ rate_limits: [{ key: "user", calls: 10 }] }) } },
  },
  "usage-tracking": { reported: { head: { resource: gateway({ usage_tracking_config: { enabled: false } }) }, class: "not-applied" }, passes: { head: { resource: gateway({ guardrails: {} }) } } },
  "inference-table": { reported: { head: { resource: gateway({ inference_table_config: undefined }) }, class: "not-applied" }, passes: { head: { resource: gateway({ inference_table_config: { catalog_name: "ml", schema_name: "logs" } }) } } },
  routing: { reported: { head: { resource: gateway({ fallback_config: undefined }) }, class: "loosens" }, passes: { head: { resource: gateway({ fallback_config: { enabled: true }, rate_limits: [] }) } } },
  permissions: {
    reported: { head: { acl: [...ACL, { group_name: "users", permission_level: "CAN_QUERY" }] }, class: "loosens" },
    passes: { head: { acl: [...ACL], resource: { description: "new" } } },
  },
  "served-entities": {
    reported: { head: { resource: { config: { served_entities: [{ name: "m", entity_name: "ml.models.m", entity_version: "1", workload_size: "Small" }] } } }, class: "not-applied" },
    passes: { head: { resource: { tags: [] } } },
  },
  tags: { reported: { head: { resource: { tags: [{ key: "team", value: "b" }] } }, class: "neutral" }, passes: { head: { resource: { description: "new" } } } },
  "other-attributes": { reported: { head: { resource: { timeouts: { create: "60m" } } }, class: "neutral" }, passes: { head: { resource: { tags: [] } } } },
};

function view(side: Side = {}) {
  const resource = { ...endpoint(), ...(side.resource ?? {}) };
  for (const k of Object.keys(resource)) if (resource[k] === undefined) delete resource[k];
  const acl = side.acl === undefined ? ACL : side.acl;
  const stack = {
    resource: {
      databricks_model_serving: { chat: resource },
      databricks_permissions: acl ? { chat: { serving_endpoint_id: "${databricks_model_serving.chat.serving_endpoint_id}", access_control: acl } } : {},
    },
  };
  return endpointsOf(stack).get("chat")!;
}

function findingsOf(rule: string, base: Side | undefined, head: Side) {
  return endpointFindings(view(base), view(head)).filter((f) => f.rule === rule).map((f) => f.finding);
}

describe("endpoint review rules", () => {
  test("every rule in ENDPOINT_RULES has both cases, and an id, a what and a why", () => {
    expect(Object.keys(CASES).sort()).toEqual(ENDPOINT_RULES.map((r) => r.id).sort());
    for (const rule of ENDPOINT_RULES) {
      expect(rule.what.length).toBeGreaterThan(10);
      expect(rule.why.length).toBeGreaterThan(10);
    }
  });

  describe.each(Object.entries(CASES))("%s", (id, c) => {
    test("reports its change with its class", () => {
      const found = findingsOf(id, c.reported.base, c.reported.head);
      expect(found.map((f) => f.class)).toContain(c.reported.class);
    });

    test("lets a change outside its concern pass", () => {
      const found = findingsOf(id, c.passes.base, c.passes.head);
      expect(found).toEqual([]);
      // The passing case is a real change (another rule's business), not the base again.
      const [b, h] = [view(c.passes.base), view(c.passes.head)];
      expect(stableJson([b.resource, b.acl])).not.toBe(stableJson([h.resource, h.acl]));
    });
  });
});
