/** The review and the policy report on apps, secret scopes and inference-table schemas (fixture: __tests__/fixtures/apps). */
import * as fs from "fs";
import * as path from "path";
import { renderMarkdown } from "../../review/markdown";
import { reviewStacks } from "../../review/review";
import { loadValid, REPO_ROOT, synthEnv } from "../helpers";

const FIXTURE = path.join(REPO_ROOT, "__tests__", "fixtures", "apps");
const read = (rel: string) => fs.readFileSync(path.join(FIXTURE, rel), "utf8");

/** The prod stack of the fixture with replacements in gateway.yaml. */
function prod(edits: Array<[string, string]> = []): unknown {
  let gateway = read("gateway.yaml");
  for (const [from, to] of edits) {
    expect(gateway.split(from)).toHaveLength(2);
    gateway = gateway.replace(from, to);
  }
  const envs = loadValid({ "gateway.yaml": gateway, "environments/dev.yaml": read("environments/dev.yaml"), "environments/prod.yaml": read("environments/prod.yaml").replace(/apps:[\s\S]*$/, "") });
  return synthEnv(envs.prod);
}

const base = prod();

function sentences(head: unknown): string[] {
  return reviewStacks({ prod: base }, { prod: head }).changes.map((c) => c.sentence);
}

test("an added binding: the app, and so its users, can now query the endpoint; its grant joins the endpoint's ACL", () => {
  expect(sentences(prod([["      - { endpoint: embeddings, alias: embed }\n", "      - { endpoint: embeddings, alias: embed }\n      - { endpoint: ranker, alias: rank }\n"]]))).toEqual([
    'prod/app assistant: binding "rank" none → ranker (CAN_QUERY), the app, and so its users, can now query ranker — loosens.',
  ]);
});

test("a binding moved to CAN_MANAGE loosens, and the endpoint ACL entry names the app's service principal", () => {
  expect(sentences(prod([["      - { endpoint: embeddings, alias: embed }\n", "      - { endpoint: embeddings, alias: embed, permission: CAN_MANAGE }\n"]]))).toEqual([
    "prod/embeddings: permission of app assistant's service principal CAN_QUERY → CAN_MANAGE — loosens.",
    'prod/app assistant: binding "embed" embeddings (CAN_QUERY) → embeddings (CAN_MANAGE) — loosens.',
  ]);
});

test("a new existing app: a grant for its service principal on the endpoint, and a binding", () => {
  const head = prod([["    bindings:\n      - { endpoint: chat, alias: chat }\n\nsecret", "    bindings:\n      - { endpoint: chat, alias: chat }\n      - { endpoint: embeddings, alias: embed }\n\nsecret"]]);
  expect(sentences(head)).toEqual([
    "prod/embeddings: permission of service principal 7f3e0c11-0000-4000-8000-000000000003 none → CAN_QUERY — loosens.",
    'prod/app search-ui: binding "embed" none → embeddings (CAN_QUERY), the app, and so its users, can now query embeddings — loosens.',
  ]);
});

test("scopes, secret ACLs, schemas and grants added and removed", () => {
  const head = prod([
    ["      - { principal: analysts@acme.com, permission: READ }\n", "      - { principal: analysts@acme.com, permission: WRITE }\n      - { principal: apps-sp, permission: READ }\n"],
    ["  vendor:\n    external: true\n", "  vendor:\n    acls: [{ principal: ml-platform, permission: MANAGE }]\n"],
    ["privileges: [USE_SCHEMA, SELECT] }", "privileges: [USE_SCHEMA] }"],
  ]);
  expect(sentences(head)).toEqual([
    "prod/secret scope llm: ACL of analysts@acme.com READ → WRITE — loosens.",
    "prod/secret scope llm: ACL of apps-sp none → READ, can read every secret in the scope — loosens.",
    "prod/secret scope vendor: ACL of ml-platform none → MANAGE — loosens.",
    "prod/schema ml.gateway_logs: grants of ml-platform SELECT, USE_SCHEMA → USE_SCHEMA, removes SELECT — tightens.",
    "prod/secret scope vendor: secret scope none → created — neutral: put its secrets with `databricks secrets put-secret` (values never go through this repository).",
  ]);
});

test("removing a created app or a scope needs sign-off: Terraform destroys them", () => {
  const head = prod([
    ["  assistant:\n    description: Support assistant\n", "  assistant:\n    enabled: false\n    description: Support assistant\n"],
    ["  llm:\n    acls:", "  llm:\n    external: true\n    acls:"],
    ["      - { principal: ml-platform, permission: MANAGE }\n      - { principal: analysts@acme.com, permission: READ }\n", ""],
  ]);
  const review = reviewStacks({ prod: base }, { prod: head });
  const destroyed = review.changes.filter((c) => c.class === "replaces").map((c) => c.sentence);
  expect(destroyed).toEqual([
    'prod/app assistant: app "assistant" → removed — destroys the app: Terraform destroys the app: its URL, service principal and deployments are gone.',
    "prod/secret scope llm: secret scope managed → removed — destroys the scope: Terraform deletes the scope and every secret in it: endpoints whose credentials reference it fail on their next update.",
  ]);
  expect(review.changes.every((c) => c.class !== "replaces" || c.signOff)).toBe(true);
  expect(renderMarkdown(review)).toMatch(/app assistant.*destroys the app/);
});

test("the policy report: what each app can query, so who can query through it", () => {
  const review = reviewStacks({ prod: base }, { prod: base });
  expect(review.environments[0].apps).toEqual([
    {
      app: "assistant",
      name: "assistant",
      managed: true,
      endpoints: "chat → chat (CAN_QUERY), embed → embeddings (CAN_QUERY)",
      reach: "the app's service principal, so every user of the app, can query chat, embeddings",
    },
    {
      app: "search-ui",
      name: "search-ui",
      managed: false,
      endpoints: "chat → chat (CAN_QUERY)",
      reach: "the app's service principal, so every user of the app, can query chat (app not managed here: its users and resources are set where it is managed)",
    },
  ]);
  expect(renderMarkdown(review)).toContain(
    "| `assistant` | assistant | yes | chat → chat (CAN_QUERY), embed → embeddings (CAN_QUERY) | the app's service principal, so every user of the app, can query chat, embeddings |",
  );
});

test("a created app renamed and re-described: the rename replaces the app, other fields are one neutral line, no endpoint is said to be replaced", () => {
  const head = prod([["  assistant:\n    description: Support assistant\n", "  assistant:\n    name: helper\n    description: Support bot\n"]]);
  const review = reviewStacks({ prod: base }, { prod: head });
  expect(review.changes.map((c) => c.sentence)).toEqual([
    'prod/app assistant: app name "assistant" → "helper" — replaces the app: an app name is fixed after creation (databricks/apps.ts): Terraform destroys the app and creates a new one, with a new URL and service principal.',
    "prod/app assistant: app changed, fields: description — neutral.",
  ]);
  expect(review.changes[0].signOff).toBe(true);
  const changesSection = renderMarkdown(review).split("### Changes")[1].split("Classes:")[0];
  expect(changesSection).toContain("**replaces the app**");
  expect(changesSection).not.toContain("replaces the endpoint");
});
