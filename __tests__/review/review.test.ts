/**
 * The pure review functions on synthesized Terraform JSON: hand-written stacks (as a TypeScript
 * user's stack could synthesize) and the example config's real output.
 */
import * as fs from "fs";
import * as path from "path";
import { loadConfig } from "../../config/load";
import { endpointsOf, exitCodeFor, renderMarkdown, reviewStacks, SynthesizedStacks, whoGetsWhat } from "../../review";
import { synthesizeInMemory } from "../../stacks/synth-memory";
import { synthesize } from "../../stacks/synth";
import { stackName } from "../../databricks";
import { EXAMPLE_CONFIG, tempDir } from "../helpers";

type Obj = Record<string, any>;

const exampleEnvironments = loadConfig(EXAMPLE_CONFIG).environments.map((e) => e.config);
const example = synthesizeInMemory(exampleEnvironments) as Record<string, Obj>;

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v));
}

/** A stack with the given model serving resources and permissions resources. */
function stack(serving: Obj, permissions: Obj = {}): Obj {
  return {
    provider: { databricks: [{ host: "https://dbc-secret-host.cloud.databricks.com" }] },
    terraform: { backend: { remote: { organization: "acme-private-org" } } },
    resource: { databricks_model_serving: serving, databricks_permissions: permissions },
  };
}

function endpoint(extra: Obj = {}): Obj {
  return {
    name: "chat",
    config: { served_entities: [{ name: "gpt", external_model: { provider: "openai", name: "gpt-4o", task: "llm/v1/chat", openai_config: { openai_api_key: "{{secrets/a/b}}" } } }] },
    ai_gateway: {
      usage_tracking_config: { enabled: true },
      rate_limits: [{ key: "user", calls: 10, renewal_period: "minute" }],
      guardrails: { input: { safety: true } },
    },
    ...extra,
  };
}

function sentences(base: SynthesizedStacks, head: SynthesizedStacks): string[] {
  return reviewStacks(base, head).changes.map((c) => c.sentence);
}

describe("in-memory synthesis", () => {
  test("gives exactly what synth writes to cdk.tf.json", () => {
    const out = path.join(tempDir("synth-"), "cdktf.out");
    synthesize(exampleEnvironments, out);
    for (const env of ["dev", "staging", "prod"]) {
      const written = JSON.parse(fs.readFileSync(path.join(out, "stacks", stackName(env), "cdk.tf.json"), "utf8"));
      expect(example[env]).toEqual(written);
    }
  });
});

describe("reviewStacks", () => {
  test("identical stacks: no changes, exit 0, a report per environment", () => {
    const review = reviewStacks(example, clone(example));
    expect(review.changes).toEqual([]);
    expect(exitCodeFor(review)).toBe(0);
    expect(review.environments.map((e) => [e.name, e.endpointCount, e.protected])).toEqual([
      ["dev", 3, false],
      ["prod", 4, true],
      ["staging", 4, false],
    ]);
  });

  test("the policy report row of the example's prod chat endpoint", () => {
    const prod = reviewStacks(example, example).environments.find((e) => e.name === "prod")!;
    expect(prod.policy.find((r) => r.endpoint === "chat")).toEqual({
      endpoint: "chat",
      name: "chat",
      servedEntities: "openai: openai gpt-4o-mini; anthropic: anthropic claude-sonnet-4-5",
      routing: "fallback openai, then anthropic",
      limits: "endpoint-wide 2,000,000 TPM; per-user 60 QPM + 100,000 TPM; group analysts 600 QPM; service principal 6b1c5f2e-0000-4000-8000-000000000001 1,000 QPM",
      guardrails: "in: safety, PII BLOCK; out: safety, PII BLOCK",
      usageTracking: "on",
      inferenceTable: "ml.gateway_logs.chat_payload",
      permissions: "group analysts CAN_QUERY, group ml-platform CAN_MANAGE, service principal 6b1c5f2e-0000-4000-8000-000000000001 CAN_QUERY, app assistant's service principal CAN_QUERY",
      tags: "cost_center=4711, environment=prod, managed_by=ai-gateway-stack, owner=ml-platform",
    });
  });

  test("never carries provider, backend or secret values into the review", () => {
    const head = stack({ chat: endpoint({ description: "new" }) });
    (head.resource.databricks_model_serving.chat.config.served_entities[0].external_model.openai_config as Obj).openai_api_key_plaintext = "sk-live-123";
    const review = reviewStacks({ prod: stack({ chat: endpoint() }) }, { prod: head });
    const text = JSON.stringify(review) + renderMarkdown(review);
    for (const secret of ["dbc-secret-host", "acme-private-org", "sk-live-123", "{{secrets/a/b}}"]) expect(text).not.toContain(secret);
    expect(review.changes.map((c) => c.sentence)).toContain("prod/chat: served entity gpt external_model.openai_config (values not shown) changed — neutral.");
  });

  test("permissions are matched to their endpoint through serving_endpoint_id, whatever their logical id", () => {
    const acl = (level: string) => ({
      chat_acl: { serving_endpoint_id: "${databricks_model_serving.chat.serving_endpoint_id}", access_control: [{ group_name: "analysts", permission_level: level }] },
    });
    expect(sentences({ e: stack({ chat: endpoint() }, acl("CAN_VIEW")) }, { e: stack({ chat: endpoint() }, acl("CAN_QUERY")) })).toEqual([
      "e/chat: permission of group analysts CAN_VIEW → CAN_QUERY — loosens.",
    ]);
  });

  test("an ACL that stops being managed revokes every grant and needs sign-off anywhere; one that starts being managed tightens", () => {
    const acl = { chat: { serving_endpoint_id: "${databricks_model_serving.chat.serving_endpoint_id}", access_control: [{ user_name: "a@b.com", permission_level: "CAN_QUERY" }] } };
    const removed = reviewStacks({ e: stack({ chat: endpoint() }, acl) }, { e: stack({ chat: endpoint() }) });
    expect(removed.environments[0].protected).toBe(false);
    expect(removed.changes.map((c) => [c.sentence, c.signOff])).toEqual([
      [
        "e/chat: access control list managed (1 grant) → not managed, all grants revoked on deploy: callers lose access (HTTP 403) — not applied by the provider: deleting databricks_permissions does not leave the grants as they are, it resets the endpoint's ACL to admins and the deploying identity; keep an explicit permissions list (to stop managing grants without revoking them, first remove the databricks_permissions resource from the Terraform state with terraform state rm).",
        true,
      ],
    ]);
    expect(exitCodeFor(removed)).toBe(2);
    expect(sentences({ e: stack({ chat: endpoint() }) }, { e: stack({ chat: endpoint() }, acl) })).toEqual([
      "e/chat: access control list not managed → managed (1 grant), it becomes authoritative: grants not listed are revoked — tightens.",
    ]);
  });

  test("a new key for the same endpoint name is one re-key, not a removal and an addition", () => {
    const review = reviewStacks({ e: stack({ chat: endpoint() }) }, { e: stack({ assistant: endpoint({ ai_gateway: undefined }) }) });
    expect(review.changes.map((c) => c.sentence)).toEqual([
      'e/assistant: endpoint key "chat" → "assistant" — replaces the endpoint: Terraform destroys and re-creates it (downtime, new serving_endpoint_id, permissions re-applied), and the create can fail while the old endpoint still holds the name "chat"; keep the key, since Terraform addresses derive from it.',
      "e/assistant: input guardrail safety on → off — loosens.",
      "e/assistant: per-user QPM 10 → no limit — loosens.",
      "e/assistant: usage tracking on → not managed, applied because the endpoint is re-created: usage is no longer recorded — loosens.",
      "e/assistant: ai_gateway block present → removed, applied because the endpoint is re-created — neutral.",
    ]);
    expect(exitCodeFor(review)).toBe(2);
  });

  test("create-only attributes are applied when the endpoint is re-created anyway", () => {
    expect(sentences({ e: stack({ chat: endpoint({ description: "a" }) }) }, { e: stack({ chat: endpoint({ name: "chat2", description: "b" }) }) })).toEqual([
      'e/chat: endpoint name "chat" → "chat2" — replaces the endpoint: Terraform destroys and re-creates it (downtime, new serving_endpoint_id, permissions re-applied); to rename without downtime, add an endpoint with the new name, move callers, then remove this one.',
      'e/chat: description "a" → "b", applied because the endpoint is re-created — neutral.',
    ]);
  });

  test("an inference table moved or switched off on a re-created endpoint is applied at once, not in two deploys", () => {
    const table = (schema: string, enabled = true) =>
      endpoint({ ai_gateway: { ...endpoint().ai_gateway, inference_table_config: { catalog_name: "ml", schema_name: schema, table_name_prefix: "chat", enabled } } });
    const renamed = (e: Obj) => ({ ...e, name: "chat2" });
    const moved = reviewStacks({ e: stack({ chat: table("logs") }) }, { e: stack({ chat: renamed(table("gateway_logs")) }) }).changes;
    expect(moved.map((c) => c.sentence).slice(1)).toEqual(["e/chat: inference table ml.logs.chat_payload → ml.gateway_logs.chat_payload, applied because the endpoint is re-created — neutral."]);
    const off = reviewStacks({ e: stack({ chat: table("logs") }) }, { e: stack({ chat: renamed(table("logs", false)) }) }).changes;
    expect(off.map((c) => c.sentence).slice(1)).toEqual(["e/chat: inference table ml.logs.chat_payload → off, applied because the endpoint is re-created: payloads are no longer logged — loosens."]);
    const tracking = reviewStacks({ e: stack({ chat: endpoint() }) }, { e: stack({ chat: renamed(endpoint({ ai_gateway: { ...endpoint().ai_gateway, usage_tracking_config: { enabled: false } } })) }) }).changes;
    expect(tracking.map((c) => c.sentence).slice(1)).toEqual(["e/chat: usage tracking on → off, applied because the endpoint is re-created: usage is no longer recorded — loosens."]);
  });

  test("converting to a custom model and turning off scale to zero are not applied", () => {
    const custom = (scale: boolean) => ({ config: { served_entities: [{ name: "m", entity_name: "ml.models.m", entity_version: "1", workload_size: "Small", scale_to_zero_enabled: scale }] } });
    expect(sentences({ e: stack({ chat: endpoint() }) }, { e: stack({ chat: endpoint(custom(true)) }) })).toEqual([
      "e/chat: served model kind external models → custom or foundation models — not applied by the provider: an endpoint cannot be converted to or from external models after creation, so the update fails; add a new endpoint key for the new kind and retire this one.",
      "e/chat: served entity gpt openai gpt-4o → removed — neutral.",
      "e/chat: served entity m none → ml.models.m v1 (Small, scales to zero) (custom model) — neutral.",
    ]);
    const offSentence =
      "e/chat: served entity m scale_to_zero_enabled true → false — not applied by the provider: provider 1.99 drops false booleans from requests, so the entity may keep scaling to zero; turn it off in the Serving UI as well and check after the deploy.";
    expect(sentences({ e: stack({ chat: endpoint(custom(true)) }) }, { e: stack({ chat: endpoint(custom(false)) }) })).toEqual([offSentence]);
    // Hand-written Terraform JSON may spell booleans as strings.
    const spelled = (v: string) => ({ config: { served_entities: [{ ...custom(true).config.served_entities[0], scale_to_zero_enabled: v }] } });
    expect(sentences({ e: stack({ chat: endpoint(spelled("true")) }) }, { e: stack({ chat: endpoint(spelled("false")) }) })).toEqual([offSentence]);
  });

  test("lifting prevent_destroy loosens, and needs sign-off because the environment was protected", () => {
    const review = reviewStacks({ e: stack({ chat: endpoint({ lifecycle: { prevent_destroy: true } }) }) }, { e: stack({ chat: endpoint() }) });
    expect(review.changes.map((c) => [c.sentence, c.signOff])).toEqual([
      ["e/chat: lifecycle.prevent_destroy on → off, a deploy may now destroy or replace the endpoint — loosens.", true],
    ]);
    expect(review.environments[0].protected).toBe(true);
  });

  test("attributes no rule knows are still listed", () => {
    expect(sentences({ e: stack({ chat: endpoint() }) }, { e: stack({ chat: endpoint({ timeouts: { create: "60m" }, lifecycle: { ignore_changes: ["tags"] } }) }) })).toEqual([
      "e/chat: lifecycle (other than prevent_destroy) changed — neutral.",
      "e/chat: timeouts changed — neutral.",
    ]);
  });

  test("a difference no rule words is still a change: never \"No changes\" for a changed endpoint", () => {
    const keywords = (words: string[]) => endpoint({ ai_gateway: { ...endpoint().ai_gateway, guardrails: { input: { safety: true, invalid_keywords: words } } } });
    const review = reviewStacks({ e: stack({ chat: keywords(["a"]) }) }, { e: stack({ chat: keywords(["b"]) }) });
    expect(review.changes.map((c) => c.sentence)).toEqual(["e/chat: endpoint changed, fields: ai_gateway.guardrails.input.invalid_keywords — neutral."]);
    expect(renderMarkdown(review)).toContain("**No sign-off needed** (exit 0): 1 change,");
  });

  test("route_optimized written as a string is the same as the boolean: no replacement", () => {
    expect(sentences({ e: stack({ chat: endpoint({ route_optimized: "true" }) }) }, { e: stack({ chat: endpoint({ route_optimized: true }) }) })).toEqual([
      "e/chat: endpoint changed, fields: route_optimized — neutral.",
    ]);
  });

  test("a removed environment is one change of its stack, not a destroy of each endpoint", () => {
    const review = reviewStacks({ old: stack({ chat: endpoint(), embed: endpoint({ name: "embed" }) }) }, {});
    expect(review.environments[0]).toMatchObject({ name: "old", status: "removed", endpointCount: 2 });
    expect(review.changes.map((c) => [c.endpoint, c.rule, c.class, c.signOff])).toEqual([[undefined, "environment", "not-applied", true]]);
    expect(review.changes[0].sentence).toMatch(/^old: stack gateway-old deployed \(2 endpoints\) → no longer synthesized — not applied by the provider: no deploy touches gateway-old any more, so its endpoints keep running unmanaged/);
    expect(exitCodeFor(review)).toBe(2);
  });
});

describe("rate-limit sentences: the caller's effective limit before and after", () => {
  const limits = (rateLimits: Obj[]) => stack({ chat: endpoint({ ai_gateway: { rate_limits: rateLimits } }) });
  test.each([
    [
      "a per-user limit raised above the endpoint cap: the caller gets the cap, and the sentence says both",
      [{ key: "endpoint", calls: 100 }, { key: "user", calls: 20 }],
      [{ key: "endpoint", calls: 100 }, { key: "user", calls: 200 }],
      ["e/chat: per-user QPM 20 → 100 (endpoint cap, shared by all callers), 5×: the per-user limit 20 → 200 — loosens."],
    ],
    [
      "raised further while capped: no effect",
      [{ key: "endpoint", calls: 100 }, { key: "user", calls: 200 }],
      [{ key: "endpoint", calls: 100 }, { key: "user", calls: 300 }],
      ["e/chat: per-user QPM 200 → 300, no effect: the caller still gets 100 (endpoint cap, shared by all callers) — neutral."],
    ],
    [
      "a group limit removed: its members fall to the per-user limit",
      [{ key: "user", calls: 20 }, { key: "user_group", principal: "analysts", calls: 300 }],
      [{ key: "user", calls: 20 }],
      ["e/chat: group analysts QPM 300 → 20 (per user), 15× cut: the group limit (300 QPM, no TPM) is removed — tightens."],
    ],
    [
      "the per-user limit removed: no limit",
      [{ key: "user", calls: 20 }],
      [],
      ["e/chat: per-user QPM 20 → no limit — loosens."],
    ],
    [
      "the endpoint cap lowered",
      [{ key: "endpoint", tokens: 1000 }],
      [{ key: "endpoint", tokens: 500 }],
      ["e/chat: endpoint-wide TPM 1,000 → 500, 2× cut — tightens."],
    ],
  ])("%s", (_what, before, after, expected) => {
    expect(sentences({ e: limits(before) }, { e: limits(after) })).toEqual(expected);
  });
});

describe("who gets what", () => {
  function rows(rateLimits: Obj[], acl?: Obj[]) {
    const s = stack(
      { x: endpoint({ ai_gateway: { rate_limits: rateLimits } }) },
      acl ? { x: { serving_endpoint_id: "${databricks_model_serving.x.serving_endpoint_id}", access_control: acl } } : {},
    );
    return whoGetsWhat(endpointsOf(s).get("x")!).map((r) => [r.principal, r.access, r.qpm.value ?? "∞", r.qpm.basis, r.tpm.value ?? "∞", r.tpm.basis]);
  }

  test("own limits over group limits over the default, capped by the endpoint, per dimension", () => {
    expect(
      rows(
        [
          { key: "endpoint", calls: 500, tokens: 50000 },
          { key: "user", calls: 20, tokens: 1000 },
          { key: "user_group", principal: "analysts", calls: 1000 },
          { key: "user", principal: "vip@acme.com", calls: 100, tokens: 90000 },
          { key: "service_principal", principal: "sp-1", tokens: 30000 },
        ],
        [
          { group_name: "analysts", permission_level: "CAN_QUERY" },
          { user_name: "vip@acme.com", permission_level: "CAN_QUERY" },
          { service_principal_name: "sp-1", permission_level: "CAN_MANAGE" },
          { group_name: "viewers", permission_level: "CAN_VIEW" },
        ],
      ),
    ).toEqual([
      ["group analysts", "CAN_QUERY", 500, "endpoint cap, shared by all callers", 50000, "endpoint cap, shared by all callers"],
      ["user vip@acme.com", "CAN_QUERY", 100, "own limit", 50000, "endpoint cap, shared by all callers"],
      ["service principal sp-1", "CAN_MANAGE", 500, "endpoint cap, shared by all callers", 30000, "own limit"],
      ["group viewers", "CAN_VIEW (cannot query)", 0, "cannot query", 0, "cannot query"],
      ["any other user", "no access", 0, "cannot query", 0, "cannot query"],
    ]);
  });

  test("a user or service principal with a limit but no grant of its own may query through a group: its limit is shown", () => {
    const limits = [
      { key: "endpoint", calls: 500 },
      { key: "user", calls: 20 },
      { key: "user", principal: "vip@acme.com", calls: 100 },
      { key: "service_principal", principal: "sp-1", calls: 1000 },
    ];
    expect(rows(limits, [{ group_name: "analysts", permission_level: "CAN_QUERY" }]).slice(0, 2)).toEqual([
      ["user vip@acme.com", "no direct grant (may query through a group)", 100, "own limit", "∞", "no limit"],
      ["service principal sp-1", "no direct grant (may query through a group)", 500, "endpoint cap, shared by all callers", "∞", "no limit"],
    ]);
    const s = stack({ x: endpoint({ ai_gateway: { rate_limits: limits } }) }, {
      x: { serving_endpoint_id: "${databricks_model_serving.x.serving_endpoint_id}", access_control: [{ group_name: "analysts", permission_level: "CAN_QUERY" }] },
    });
    const md = renderMarkdown(reviewStacks({}, { e: s }));
    expect(md).toContain("| `x` | user vip@acme.com | no direct grant (may query through a group) | 100 (own limit) | no limit |\n");
    expect(md).toContain("| `x` | any other user | no access | — | — |\n");
  });

  test("a group budget is shared; the users group decides what anyone gets; an unmanaged ACL lets anyone in", () => {
    expect(rows([{ key: "user_group", principal: "analysts", calls: 300 }, { key: "user", calls: 20 }], [
      { group_name: "analysts", permission_level: "CAN_QUERY" },
      { group_name: "users", permission_level: "CAN_QUERY" },
    ])).toEqual([
      ["group analysts", "CAN_QUERY", 300, "shared by the group", "∞", "no limit"],
      ["group users", "CAN_QUERY", 20, "per user", "∞", "no limit"],
      ["any other user", "CAN_QUERY", 20, "per user", "∞", "no limit"],
    ]);
    expect(rows([])).toEqual([["any other user", "not managed here", "∞", "no limit", "∞", "no limit"]]);
  });
});

describe("renderMarkdown", () => {
  const prodHead = clone(example.prod);
  prodHead.resource.databricks_model_serving.chat.ai_gateway.rate_limits[1].calls = 600;
  const review = reviewStacks(example, { ...example, prod: prodHead }, { baseLabel: "main", headLabel: "working tree" });

  test("verdict, change line, and the sign-off mark", () => {
    const md = renderMarkdown(review);
    expect(md.startsWith("## AI Gateway review: `main` → working tree\n\n**Needs sign-off** (exit 2): 1 change, marked (sign-off) below, replaces an endpoint, is not applied by the provider, or creates an endpoint or loosens policy in a protected environment.\n")).toBe(true);
    expect(md).toContain("- 🟡 `prod/chat`: per-user QPM 60 → 600, 10× — **loosens**. **(sign-off)**\n");
  });

  test("fits a character budget and says it was cut", () => {
    const full = renderMarkdown(review);
    const cut = renderMarkdown(review, { maxChars: 3000 });
    expect(full.length).toBeGreaterThan(3000);
    expect(cut.length).toBeLessThanOrEqual(3000);
    expect(cut).toContain("per-user QPM 60 → 600");
    expect(cut).toContain("_Truncated to fit: 1 change in total. Run `npm run review -- --base main` for the full review._");
  });

  test("values cannot @mention a user or team; e-mail addresses stay as they are", () => {
    const head = stack({ chat: endpoint({ tags: [{ key: "owner", value: "@acme/platform-team, cc @octocat" }] }) }, {
      chat: { serving_endpoint_id: "${databricks_model_serving.chat.serving_endpoint_id}", access_control: [{ user_name: "vip@acme.com", permission_level: "CAN_QUERY" }] },
    });
    const md = renderMarkdown(reviewStacks({}, { e: head }));
    expect(md).toContain("owner=@&#8203;acme/platform-team, cc @&#8203;octocat");
    expect(md).not.toMatch(/(^|[^\w.+-])@(?!&#8203;)[\w-]/m);
    expect(md).toContain("user vip@acme.com CAN_QUERY");
  });

  test("values cannot break the table or inject HTML", () => {
    const head = stack({ chat: endpoint({ tags: [{ key: "team", value: "a|b <img src=x>" }] }) });
    const md = renderMarkdown(reviewStacks({}, { e: head }));
    expect(md).toContain("team=a\\|b &lt;img src=x&gt;");
    expect(md).not.toContain("<img");
  });
});

describe("scale", () => {
  test("1,000 endpoints × 3 environments: every change found, the comment fits its budget", () => {
    const chat = example.prod.resource.databricks_model_serving.chat;
    const acl = example.prod.resource.databricks_permissions.chat;
    const build = (changedEvery: number) => {
      const stacks: Record<string, Obj> = {};
      for (const env of ["dev", "staging", "prod"]) {
        const serving: Obj = {};
        const permissions: Obj = {};
        for (let i = 0; i < 1000; i++) {
          const r = clone(chat);
          r.name = `${env}-ep-${i}`;
          if (changedEvery && i % changedEvery === 0) r.ai_gateway.rate_limits[1].calls = 120;
          serving[`ep_${i}`] = r;
          permissions[`ep_${i}`] = { ...acl, serving_endpoint_id: `\${databricks_model_serving.ep_${i}.serving_endpoint_id}` };
        }
        stacks[env] = stack(serving, permissions);
      }
      return stacks;
    };
    const base = build(0);
    const head = build(10);
    // Time is measured by `npm run bench`, not asserted here (a shared CI runner is noisy).
    const review = reviewStacks(base, head);
    expect(renderMarkdown(review, { maxChars: 60000 }).length).toBeLessThanOrEqual(60000);
    expect(review.changes).toHaveLength(300);
    expect(review.changes[0].sentence).toBe("dev/ep_0: per-user QPM 60 → 120, 2× — loosens.");
  });
});
