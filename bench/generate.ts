/**
 * Synthetic but realistic configurations for the benchmark: N endpoints in gateway.yaml and three
 * environment files (dev, staging, prod) that override a share of them, written the way platform
 * teams write them (block style for structure, flow style for short records, comments).
 *
 * Endpoint kinds rotate so every size has the same mix:
 * - external chat with a fallback chain (OpenAI → Anthropic, or Bedrock → OpenAI),
 * - external embeddings (OpenAI or Cohere),
 * - external completions through a custom provider or another Databricks workspace,
 * - a foundation model on provisioned throughput,
 * - a custom Unity Catalog model with a canary split.
 * Policy covers rate limits (endpoint, user, user_group, service_principal), guardrails,
 * inference tables, permissions (groups, users, service principals), tags and notifications.
 *
 * Output is deterministic (seeded); `variant: "head"` changes a fixed share of endpoints (rate
 * limits, model versions, splits, tags, permissions) for the review benchmark.
 */

import * as fs from "fs";
import * as path from "path";

export type EndpointKind = "chat" | "embeddings" | "completions" | "foundation" | "custom";
export const ENDPOINT_KINDS: readonly EndpointKind[] = ["chat", "embeddings", "completions", "foundation", "custom"];
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;

export interface GenerateOptions {
  /** Endpoints in gateway.yaml. */
  readonly endpoints: number;
  /** `head` changes `changedFraction` of the endpoints relative to `base`. @default "base" */
  readonly variant?: "base" | "head";
  /** @default 0.1 */
  readonly changedFraction?: number;
  /** @default 42 */
  readonly seed?: number;
}

/** Relative path → file content (gateway.yaml, environments/<env>.yaml). */
export type ConfigFiles = Record<string, string>;

/** mulberry32: small, fast, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEAMS = ["search", "support", "growth", "risk", "finance", "legal", "hr", "sales", "ops", "research", "ads", "infra"];
const GROUPS = ["analysts", "data-engineers", "ml-platform", "support-agents", "finance-analysts", "researchers", "app-devs"];
const CHAT_MODELS = ["gpt-4o-mini", "gpt-4o", "gpt-4.1-mini", "o4-mini"];
const CLAUDE_MODELS = ["claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1"];
const FOUNDATION_MODELS = [
  "system.ai.meta_llama_v3_3_70b_instruct",
  "system.ai.meta_llama_v3_1_8b_instruct",
  "system.ai.gte_large_en_v1_5",
  "system.ai.mixtral_8x7b_instruct_v0_1",
];

/** A service principal application id (UUID shape), stable per index. */
function spId(i: number): string {
  const hex = (i * 2654435761 + 0x1234567).toString(16).padStart(12, "0").slice(-12);
  return `6b1c5f2e-${hex.slice(0, 4)}-4000-8000-${hex}`;
}

/** `group`, unless it is `taken` (one level per identity): then the next group in the list. */
function otherThan(group: string, taken: string): string {
  return group === taken ? GROUPS[(GROUPS.indexOf(group) + 1) % GROUPS.length] : group;
}

function pad(i: number): string {
  return String(i).padStart(4, "0");
}

/** The endpoint key of index i: `<team>-<kind>-<nnnn>`, unique, a valid Terraform address. */
export function endpointKey(i: number): string {
  return `${TEAMS[i % TEAMS.length]}-${ENDPOINT_KINDS[i % ENDPOINT_KINDS.length]}-${pad(i)}`;
}

export function endpointKind(i: number): EndpointKind {
  return ENDPOINT_KINDS[i % ENDPOINT_KINDS.length];
}

/**
 * Whether endpoint i is one of the endpoints the head variant changes: one per block of
 * `1 / fraction` endpoints, at a position that moves with the block, so the changes rotate
 * through every endpoint kind (a fixed position would hit one kind only, as kinds repeat).
 */
export function isChanged(i: number, fraction = 0.1): boolean {
  if (fraction <= 0) return false;
  const every = Math.max(1, Math.round(1 / fraction));
  return i % every === Math.floor(i / every) % every;
}

/** Writes `files` under `dir` (created as needed); returns `dir`. */
export function writeConfig(dir: string, files: ConfigFiles): string {
  for (const [rel, content] of Object.entries(files)) {
    const full = path.join(dir, rel);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, content);
  }
  return dir;
}

/** The synthetic config: gateway.yaml and environments/{dev,staging,prod}.yaml. */
export function generateConfig(options: GenerateOptions): ConfigFiles {
  const n = options.endpoints;
  const head = options.variant === "head";
  const fraction = options.changedFraction ?? 0.1;
  const random = rng(options.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));

  const gw: string[] = [
    "# Endpoints and the default AI Gateway policy shared by every environment.",
    "# Generated by bench/generate.ts: synthetic, deterministic.",
    "",
    "defaults:",
    "  ai_gateway:",
    "    usage_tracking: true",
    "    guardrails:",
    "      input: { safety: true, pii: BLOCK }",
    "      output: { pii: BLOCK }",
    "    rate_limits:",
    "      - { key: user, calls: 60 }",
    "  tags:",
    "    owner: ml-platform",
    "    managed_by: ai-gateway-stack",
    "",
    "endpoints:",
  ];
  const envLines: Record<(typeof ENVIRONMENTS)[number], string[]> = {
    dev: [
      "# Development: prefixed names, local state, low limits.",
      "workspace:",
      "  host: https://dbc-dev-1234.cloud.databricks.com",
      "state:",
      "  backend: local",
      "  path: terraform.gateway-dev.tfstate",
      "naming:",
      "  prefix: dev-",
      "defaults:",
      "  ai_gateway:",
      "    rate_limits:",
      "      - { key: user, calls: 20 }",
      "  tags:",
      "    environment: dev",
      "endpoints:",
    ],
    staging: [
      "# Staging: production-shaped, state in S3.",
      "workspace:",
      "  host: https://dbc-staging-5678.cloud.databricks.com",
      "state:",
      "  backend: s3",
      "  bucket: acme-terraform-state",
      "  key: ai-gateway/staging.tfstate",
      "  region: us-east-1",
      "  use_lockfile: true",
      "  encrypt: true",
      "naming:",
      "  suffix: -stg",
      "defaults:",
      "  tags:",
      "    environment: staging",
      "endpoints:",
    ],
    prod: [
      "# Production: protected endpoints, state in HCP Terraform.",
      "workspace:",
      "  host: https://dbc-prod-9012.cloud.databricks.com",
      "state:",
      "  backend: remote",
      "  organization: acme",
      "  workspaces:",
      "    name: ai-gateway-prod",
      "protect: true",
      "defaults:",
      "  tags:",
      "    environment: prod",
      "endpoints:",
    ],
  };

  for (let i = 0; i < n; i++) {
    const key = endpointKey(i);
    const kind = endpointKind(i);
    const team = TEAMS[i % TEAMS.length];
    const changed = head && isChanged(i, fraction);
    // Draw the same random numbers in both variants so unchanged endpoints stay identical.
    const r = {
      model: pick(CHAT_MODELS),
      claude: pick(CLAUDE_MODELS),
      foundation: pick(FOUNDATION_MODELS),
      group: otherThan(pick(GROUPS), "ml-platform"),
      group2: pick(GROUPS),
      tokens: int(2, 40) * 100_000,
      calls: int(1, 20) * 50,
      groupCalls: int(2, 30) * 100,
      spCalls: int(5, 50) * 100,
      version: int(1, 30),
      throughput: int(1, 20) * 950,
      cost: int(1000, 9999),
      flavor: random(),
    };
    const calls = changed ? r.calls * 2 : r.calls;
    const e: string[] = [`  ${key}:`];
    e.push(`    description: ${capitalize(team)} ${kind} endpoint ${pad(i)}`);
    switch (kind) {
      case "chat": {
        const bedrockFirst = r.flavor < 0.3;
        e.push("    task: llm/v1/chat", "    served_entities:");
        if (bedrockFirst) {
          e.push(
            "      - name: bedrock",
            "        external_model:",
            "          provider: amazon-bedrock",
            `          name: anthropic.${r.claude}-v1:0`,
            "          amazon_bedrock_config:",
            "            aws_region: us-east-1",
            "            bedrock_provider: anthropic",
            `            instance_profile_arn: arn:aws:iam::123456789012:instance-profile/${team}-bedrock`,
          );
        }
        e.push(
          "      - name: openai",
          "        external_model:",
          "          provider: openai",
          `          name: ${changed ? "gpt-4.1" : r.model}`,
          "          openai_config:",
          `            openai_api_key: "{{secrets/llm-${team}/openai_key}}"`,
        );
        if (!bedrockFirst) {
          e.push(
            "      - name: anthropic",
            "        external_model:",
            "          provider: anthropic",
            `          name: ${r.claude}`,
            "          anthropic_config:",
            `            anthropic_api_key: "{{secrets/llm-${team}/anthropic_key}}"`,
          );
        }
        e.push("    routing:", `      fallback: [${bedrockFirst ? "bedrock, openai" : "openai, anthropic"}]`);
        e.push(
          "    ai_gateway:",
          `      inference_table: { catalog_name: ml, schema_name: gateway_logs, table_name_prefix: ${key.replace(/-/g, "_")} }`,
          "      rate_limits:",
          `        - { key: endpoint, tokens: ${r.tokens} }`,
          `        - { key: user, calls: ${calls}, tokens: ${r.tokens / 20} }`,
          `        - { key: user_group, principal: ${r.group}, calls: ${r.groupCalls} }`,
          `        - { key: service_principal, principal: ${spId(i)}, calls: ${r.spCalls} }`,
          "    permissions:",
          `      - { group_name: ${r.group}, level: CAN_QUERY }`,
          "      - { group_name: ml-platform, level: CAN_MANAGE }",
          `      - { service_principal_name: ${spId(i)}, level: CAN_QUERY }`,
        );
        if (changed) e.push(`      - { user_name: ${team}-lead@acme.com, level: CAN_VIEW }`);
        e.push(`    tags: { cost_center: "${r.cost}", team: ${team} }`);
        e.push(`    email_notifications: { on_update_failure: [${team}-oncall@acme.com] }`);
        break;
      }
      case "embeddings": {
        const cohere = r.flavor < 0.4;
        e.push("    task: llm/v1/embeddings", "    served_entities:");
        if (cohere) {
          e.push(
            "      - name: cohere-embed",
            "        external_model:",
            "          provider: cohere",
            "          name: embed-english-v3.0",
            "          cohere_config:",
            `            cohere_api_key: "{{secrets/llm-${team}/cohere_key}}"`,
          );
        } else {
          e.push(
            "      - name: openai-embed",
            "        external_model:",
            "          provider: openai",
            "          name: text-embedding-3-large",
            "          openai_config:",
            `            openai_api_key: "{{secrets/llm-${team}/openai_key}}"`,
          );
        }
        e.push(
          "    ai_gateway:",
          "      guardrails:",
          "        output: null                # vectors: nothing to screen",
          "      rate_limits:",
          `        - { key: endpoint, tokens: ${changed ? r.tokens * 2 : r.tokens} }`,
          `        - { key: user, calls: ${calls * 5} }`,
          "    permissions:",
          `      - { group_name: data-engineers, level: CAN_QUERY }`,
          `    tags: { cost_center: "${r.cost}" }`,
        );
        break;
      }
      case "completions": {
        const custom = r.flavor < 0.5;
        e.push("    task: llm/v1/completions", "    served_entities:");
        if (custom) {
          e.push(
            "      - name: inhouse",
            "        external_model:",
            "          provider: custom",
            `          name: ${team}-completion-v${r.version}`,
            "          custom_provider_config:",
            `            custom_provider_url: https://llm.${team}.acme.internal/v1`,
            "            bearer_token_auth:",
            `              token: "{{secrets/llm-${team}/inhouse_token}}"`,
          );
        } else {
          e.push(
            "      - name: shared",
            "        external_model:",
            "          provider: databricks-model-serving",
            `          name: shared-completions-${r.version}`,
            "          databricks_model_serving_config:",
            "            databricks_workspace_url: https://dbc-shared-4321.cloud.databricks.com",
            `            databricks_api_token: "{{secrets/llm-${team}/shared_token}}"`,
          );
        }
        e.push(
          "    ai_gateway:",
          "      rate_limits:",
          `        - { key: endpoint, calls: ${calls * 10} }`,
          `        - { key: user_group, principal: ${r.group}, calls: ${r.groupCalls} }`,
          "    permissions:",
          `      - { group_name: ${r.group}, level: CAN_QUERY }`,
          `      - { user_name: ${team}-lead@acme.com, level: CAN_MANAGE }`,
        );
        if (changed) e.push(`    tags: { cost_center: "${r.cost + 1}" }`);
        else e.push(`    tags: { cost_center: "${r.cost}" }`);
        break;
      }
      case "foundation": {
        e.push(
          "    served_entities:",
          "      - name: llama",
          `        entity_name: ${r.foundation}`,
          `        entity_version: "${changed ? r.version + 1 : r.version}"`,
          // No `min_provisioned_throughput: 0`: provider 1.99 drops zeros (validate warns); scale_to_zero_enabled says it.
          `        max_provisioned_throughput: ${r.throughput}`,
          "        scale_to_zero_enabled: true",
          "    ai_gateway:",
          `      inference_table: { catalog_name: ml, schema_name: gateway_logs, table_name_prefix: ${key.replace(/-/g, "_")} }`,
          "    permissions:",
          `      - { group_name: ${r.group}, level: CAN_QUERY }`,
        );
        break;
      }
      case "custom": {
        const candidate = changed ? 25 : 10;
        e.push(
          "    served_entities:",
          `      - { name: current, entity_name: ml.${team}.model_${pad(i)}, entity_version: "${r.version}", workload_size: Small, scale_to_zero_enabled: true }`,
          `      - { name: candidate, entity_name: ml.${team}.model_${pad(i)}, entity_version: "${r.version + 1}", workload_size: ${r.flavor < 0.5 ? "Small" : "Medium"}, scale_to_zero_enabled: true }`,
          "    routing:",
          `      split: { current: ${100 - candidate}, candidate: ${candidate} }`,
          "    ai_gateway:",
          "      guardrails: null              # guardrails are for LLM endpoints",
          "      rate_limits:",
          `        - { key: endpoint, calls: ${calls * 20} }`,
          `        - { key: service_principal, principal: ${spId(i)}, calls: ${r.spCalls} }`,
          "    permissions:",
          `      - { service_principal_name: ${spId(i)}, level: CAN_QUERY }`,
          `      - { group_name: ${r.group2}, level: CAN_VIEW }`,
        );
        break;
      }
    }
    gw.push(...e, "");

    // Environment overrides: about a third of endpoints per environment, differently per env.
    if (kind === "foundation" && i % 2 === 0) {
      envLines.dev.push(`  ${key}:`, "    enabled: false                # provisioned throughput is too costly for dev");
    } else if (kind === "chat" && i % 3 === 0) {
      envLines.dev.push(
        `  ${key}:`,
        "    ai_gateway:",
        "      inference_table: false        # no payload logging in dev",
        "      rate_limits:",
        `        - { key: endpoint, tokens: ${r.tokens / 10} }`,
        `        - { key: user, calls: 20, tokens: 20000 }`,
      );
    }
    if (kind === "custom" && i % 2 === 1) {
      envLines.staging.push(`  ${key}:`, "    routing:", "      split: { current: 50, candidate: 50 }");
    } else if (kind === "chat" && i % 2 === 0) {
      envLines.staging.push(
        `  ${key}:`,
        "    ai_gateway:",
        `      inference_table: { catalog_name: ml_staging, schema_name: gateway_logs, table_name_prefix: ${key.replace(/-/g, "_")} }`,
      );
    }
    if (kind === "chat" && i % 4 === 1) {
      envLines.prod.push(`  ${key}:`, "    ai_gateway:", "      guardrails:", "        output: { safety: true, pii: BLOCK }");
    } else if (kind === "foundation") {
      envLines.prod.push(
        `  ${key}:`,
        "    served_entities:",
        "      - name: llama",
        `        entity_name: ${r.foundation}`,
        `        entity_version: "${changed ? r.version + 1 : r.version}"`,
        `        min_provisioned_throughput: ${r.throughput}`,
        `        max_provisioned_throughput: ${r.throughput * 2}`,
      );
    } else if (kind === "embeddings" && i % 3 === 0) {
      envLines.prod.push(`  ${key}:`, "    permissions:", "      - { group_name: data-engineers, level: CAN_QUERY }", `      - { group_name: ${otherThan(r.group, "data-engineers")}, level: CAN_QUERY }`);
    }
  }

  const files: ConfigFiles = { "gateway.yaml": gw.join("\n") };
  for (const env of ENVIRONMENTS) {
    const lines = envLines[env];
    // An environment without overrides must not leave a dangling `endpoints:` (null).
    if (lines[lines.length - 1] === "endpoints:") lines.pop();
    files[`environments/${env}.yaml`] = lines.join("\n") + "\n";
  }
  return files;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
