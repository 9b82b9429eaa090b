/**
 * The review covers every resource, the backend and the provider constraint: each registered
 * resource type with a case it reports and one it lets pass, and everything unregistered as a
 * neutral "changed, fields: …" line that never shows a value and never lets the verdict say
 * "No changes".
 */
import * as path from "path";
import { loadConfig } from "../../config/load";
import { exitCodeFor, renderMarkdown, reviewStacks } from "../../review";
import { synthesizeInMemory } from "../../stacks/synth-memory";
import { REPO_ROOT } from "../helpers";
import { RESOURCE_HANDLERS } from "../../review/resources";

type Obj = Record<string, any>;

function serving(extra: Obj = {}): Obj {
  return {
    name: "chat",
    config: { served_entities: [{ name: "gpt", external_model: { provider: "openai", name: "gpt-4o", task: "llm/v1/chat", openai_config: { openai_api_key: "{{secrets/a/b}}" } } }] },
    ai_gateway: { rate_limits: [{ key: "user", calls: 10 }] },
    ...extra,
  };
}

const ACL = { serving_endpoint_id: "${databricks_model_serving.chat.serving_endpoint_id}", access_control: [{ group_name: "analysts", permission_level: "CAN_QUERY" }] };

function stack(resources: Obj = {}, rest: Obj = {}): Obj {
  return {
    "//": { metadata: { version: "0.21.0", stackName: "gateway-e" } },
    terraform: {
      required_providers: { databricks: { source: "databricks/databricks", version: "1.99.0" } },
      backend: { remote: { organization: "acme-private-org", workspaces: { name: "gw" } } },
    },
    provider: { databricks: [{ host: "https://dbc-secret-host.cloud.databricks.com" }] },
    resource: { databricks_model_serving: { chat: serving() }, databricks_permissions: { chat: ACL }, ...resources },
    ...rest,
  };
}

function review(base: Obj, head: Obj) {
  const r = reviewStacks({ e: base }, { e: head });
  return { r, sentences: r.changes.map((c) => c.sentence), rules: r.changes.map((c) => c.rule), text: JSON.stringify(r) + renderMarkdown(r) };
}

const SECRETS = ["dbc-secret-host", "acme-private-org", "acme-other-org", "sk-live-123", "{{secrets/a/b}}", "s3cr3t-bucket"];

/** Per registered type: a change it reports (through the endpoint view), and one it lets pass. */
const HANDLER_CASES: Record<string, { reported: [Obj, Obj, string]; passes: [Obj, Obj] }> = {
  databricks_model_serving: {
    reported: [stack(), stack({ databricks_model_serving: { chat: serving({ ai_gateway: { rate_limits: [{ key: "user", calls: 100 }] } }) } }), "rate-limits"],
    // cdktf's construct metadata is not deployed.
    passes: [stack(), stack({ databricks_model_serving: { chat: { ...serving(), "//": { metadata: { path: "gateway-e/other/path" } } } } })],
  },
  databricks_model_serving_provisioned_throughput: (() => {
    const pt = (value: string, extra: Obj = {}) => ({
      name: "pt",
      config: { served_entities: [{ name: "llama", entity_name: "system.ai.llama", entity_version: "1", provisioned_model_units: 50 }] },
      tags: [{ key: "team", value }],
      ...extra,
    });
    const withPt = (r: Obj) => stack({ databricks_model_serving_provisioned_throughput: { pt: r } });
    return { reported: [withPt(pt("a")), withPt(pt("b")), "tags"], passes: [withPt(pt("a")), withPt(pt("a", { "//": { metadata: { path: "x" } } }))] };
  })(),
  databricks_permissions: {
    reported: [stack(), stack({ databricks_permissions: { chat: { ...ACL, access_control: [{ group_name: "analysts", permission_level: "CAN_MANAGE" }] } } }), "permissions"],
    passes: [stack(), stack({ databricks_permissions: { chat: { ...ACL } } })],
  },
};

/** The gateway fixture (AI Gateway services) synthesized: the services view's resource types. */
const GATEWAY_FIXTURE = path.join(REPO_ROOT, "__tests__/fixtures/gateway/config");
const services = synthesizeInMemory(loadConfig(GATEWAY_FIXTURE).environments.map((e) => e.config)).prod as Obj;

function withResource(type: string, change: (r: Obj) => Obj | undefined): Obj {
  const copy = JSON.parse(JSON.stringify(services));
  const name = Object.keys(copy.resource[type])[0];
  const changed = change(copy.resource[type][name]);
  if (changed === undefined) delete copy.resource[type][name];
  else copy.resource[type][name] = changed;
  return copy;
}

/** Types read by the services view: removing one is reported by its rules, not the generic line. */
for (const type of ["databricks_ai_gateway_model_service", "databricks_ai_gateway_model_provider_service", "databricks_ai_gateway_mcp_service", "databricks_grants"]) {
  const reported = withResource(type, (r) => (type === "databricks_grants" ? { ...r, grant: [] } : undefined));
  const rule = review(services, reported).rules.find((id) => id !== "resource") ?? "(none)";
  HANDLER_CASES[type] = { reported: [services, reported, rule === "(none)" ? "a service rule" : rule], passes: [services, withResource(type, (r) => ({ ...r, "//": { metadata: { path: "moved" } } }))] };
}

describe("registered resource types", () => {
  test("every handler has a reported and a passing case; types are unique", () => {
    expect(Object.keys(HANDLER_CASES).sort()).toEqual(RESOURCE_HANDLERS.map((h) => h.type).sort());
    expect(new Set(RESOURCE_HANDLERS.map((h) => h.type)).size).toBe(RESOURCE_HANDLERS.length);
  });

  describe.each(Object.entries(HANDLER_CASES))("%s", (_type, c) => {
    test("reports its change, with its own rules (not the generic line)", () => {
      const { rules } = review(c.reported[0], c.reported[1]);
      expect(rules).toContain(c.reported[2]);
      expect(rules).not.toContain("resource");
    });
    test("lets an equivalent resource pass", () => {
      expect(review(c.passes[0], c.passes[1]).r.changes).toEqual([]);
    });
  });

  test("permissions of something other than an endpoint of this stack get the generic line, not an ACL of some endpoint", () => {
    const cluster = (level: string) => ({ cluster_id: "abc", access_control: [{ group_name: "admins", permission_level: level }] });
    const orphan = { serving_endpoint_id: "${databricks_model_serving_provisioned_throughput.pt.serving_endpoint_id}", access_control: [] };
    const { sentences } = review(stack({ databricks_permissions: { chat: ACL, cluster: cluster("CAN_ATTACH_TO") } }), stack({ databricks_permissions: { chat: ACL, cluster: cluster("CAN_MANAGE"), pt: orphan } }));
    expect(sentences).toEqual([
      "e/databricks_permissions.cluster: resource changed, fields: access_control — neutral.",
      "e/databricks_permissions.pt: resource none → created, fields: access_control, serving_endpoint_id — neutral.",
    ]);
  });
});

describe("anything else is a neutral line naming the fields, never 'No changes'", () => {
  test.each([
    [
      "a resource type without a handler, changed",
      stack({ databricks_ai_gateway_policy: { p: { name: "p", limits: { qpm: 1 }, secret: "sk-live-123" } } }),
      stack({ databricks_ai_gateway_policy: { p: { name: "p", limits: { qpm: 2 }, secret: "sk-live-456" } } }),
      ["e/databricks_ai_gateway_policy.p: resource changed, fields: limits.qpm, secret — neutral."],
    ],
    [
      "a resource type without a handler, created and removed",
      stack({ databricks_notebook: { old: { path: "/old" } } }),
      stack({ databricks_app: { a: { name: "app", description: "x" } } }),
      [
        "e/databricks_app.a: resource none → created, fields: description, name — neutral.",
        "e/databricks_notebook.old: resource present → removed, Terraform destroys it — neutral.",
      ],
    ],
    [
      "the backend",
      stack(),
      { ...stack(), terraform: { ...stack().terraform, backend: { remote: { organization: "acme-other-org", workspaces: { name: "gw" } } } } },
      [
        "e: backend changed, fields: remote.organization — neutral: cdktf deploy does not move state between backends: migrate it first (terraform init -migrate-state in the stack directory), or the next deploy finds no state and tries to create every endpoint again.",
      ],
    ],
    [
      "the backend type",
      stack(),
      { ...stack(), terraform: { ...stack().terraform, backend: { s3: { bucket: "s3cr3t-bucket" } } } },
      [
        "e: backend changed, fields: remote, s3 — neutral: cdktf deploy does not move state between backends: migrate it first (terraform init -migrate-state in the stack directory), or the next deploy finds no state and tries to create every endpoint again.",
      ],
    ],
    [
      "the provider version constraint",
      stack(),
      { ...stack(), terraform: { ...stack().terraform, required_providers: { databricks: { source: "databricks/databricks", version: "1.100.0" } } } },
      ['e: required_providers databricks version "1.99.0" → "1.100.0", the deploy initializes the new provider version; read its changelog — neutral.'],
    ],
    [
      "a required provider added",
      stack(),
      { ...stack(), terraform: { ...stack().terraform, required_providers: { ...stack().terraform.required_providers, aws: { source: "hashicorp/aws", version: "6.0.0" } } } },
      [
        'e: required_providers aws version not set → "6.0.0", the deploy initializes the new provider version; read its changelog — neutral.',
        "e: required_providers aws none → created, fields: source — neutral.",
      ],
    ],
    [
      "the provider block",
      stack(),
      { ...stack(), provider: { databricks: [{ host: "https://dbc-secret-host-2.cloud.databricks.com" }] } },
      ["e: provider databricks changed, fields: (whole block) — neutral."],
    ],
    [
      "an output and a data source",
      stack(),
      stack({}, { output: { extra: { value: "x" } }, data: { databricks_current_user: { me: {} } } }),
      ["e: data databricks_current_user me none → created — neutral.", "e: output extra none → created, fields: value — neutral."],
    ],
  ])("%s", (_what, base, head, expected) => {
    const { r, sentences, text } = review(base, head);
    expect(sentences).toEqual(expected);
    expect(r.changes.every((c) => c.class === "neutral" && !c.signOff)).toBe(true);
    expect(exitCodeFor(r)).toBe(0);
    expect(renderMarkdown(r)).toContain("**No sign-off needed** (exit 0)");
    expect(renderMarkdown(r)).not.toContain("**No changes**");
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  });

  test("cdktf's metadata alone is no change", () => {
    const head = { ...stack(), "//": { metadata: { version: "0.21.1", stackName: "gateway-e" } } };
    expect(review(stack(), head).r.changes).toEqual([]);
  });
});
