/**
 * The review as Markdown for a pull-request comment: the verdict first, then the changes (what a
 * reviewer must read), then the policy report and who gets what (collapsed: reference material).
 */
import type { AppRow } from "./apps";
import { changeLocation, findingText, Wording } from "./changes";
import { formatNumber } from "./format";
import { ChangeGroup, distinct, environmentsOf, groupChanges } from "./groups";
import { isServiceChange, serviceLabel } from "./services/changes";
import { CANNOT_QUERY } from "./who-gets-what";
import { AccessRow, Change, CHANGE_CLASSES, ChangeClass, EffectiveLimit, EnvironmentReview, PolicyRow, Review, ServiceAccessRow, ServicePolicyRow } from "./types";
import { PROVIDER } from "../databricks";

export interface MarkdownOptions {
  /**
   * Stop adding sections (then change lines) once the text would exceed this many characters,
   * and say so: a GitHub comment holds at most 65,536.
   * @default - no limit
   */
  readonly maxChars?: number;
}

const MARKER: Record<ChangeClass, string> = {
  replaces: "🔴",
  "not-applied": "🟠",
  creates: "🔵",
  loosens: "🟡",
  tightens: "🟢",
  neutral: "⚪",
};

/**
 * Text inside Markdown: no HTML, no table breaks, no line breaks, and no @mentions: a tag value
 * or description `@org/team` would notify the team on every push. A zero-width space after the
 * `@` keeps it readable (GitHub links no mention); an e-mail address (`a@b.com`) is no mention.
 */
function text(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/\r?\n/g, " ")
    .replace(/(?<![\w.+-])@(?=[\w-])/g, "@&#8203;");
}

function code(value: string): string {
  return `\`${value.replace(/`/g, "'")}\``;
}

function plural(n: number, word: string): string {
  return `${formatNumber(n)} ${word}${n === 1 ? "" : "s"}`;
}

/** The sentence of a change (see `phrase`), with the location as code and the class in bold. */
const MARKDOWN: Wording = { where: code, text, label: (label) => `**${label}**` };

/** ` — \`config/gateway.yaml:42\``: where the change is set, when known. */
function sources(changes: readonly Change[]): string {
  const all = distinct(changes.flatMap((c) => (c.source === undefined ? [] : [c.source])));
  if (all.length === 0) return "";
  const shown = all.slice(0, MAX_SOURCES).map(code).join(", ");
  return ` ← ${shown}${all.length > MAX_SOURCES ? ` and ${all.length - MAX_SOURCES} more` : ""}`;
}

const MAX_SOURCES = 3;
const MAX_KEYS = 4;

function signOffMark(changes: readonly Change[]): string {
  const envs = distinct(changes.filter((c) => c.signOff).map((c) => c.environment));
  if (envs.length === 0) return "";
  return changes.every((c) => c.signOff) ? " **(sign-off)**" : ` **(sign-off: ${envs.map(text).join(", ")})**`;
}

/** `prod/chat`, or `` `chat` in dev, prod ``, or `10 endpoints in prod, staging: `a`, `b`, … ` */
function scope(group: ChangeGroup): string {
  const c = group.first;
  if (group.changes.length === 1) return code(changeLocation(c.environment, c.endpoint, c.resource));
  const envs = environmentsOf(group).map(text).join(", ");
  const keys = distinct(group.changes.map((x) => x.endpoint ?? ""));
  if (keys.length === 1) return `${code(keys[0])} in ${envs}`;
  const listed = keys.slice(0, MAX_KEYS).map(code).join(", ");
  return `${plural(group.changes.length, "endpoint")} in ${envs} (${listed}${keys.length > MAX_KEYS ? `, +${keys.length - MAX_KEYS}` : ""})`;
}

/** One line per group of identical changes. */
function groupLine(group: ChangeGroup): string {
  const wording = isServiceChange(group.first) ? { ...MARKDOWN, label: (l: string) => MARKDOWN.label(serviceLabel(l)) } : MARKDOWN;
  return `- ${MARKER[group.first.class]} ${scope(group)}: ${findingText(group.first, wording)}.${signOffMark(group.changes)}${sources(group.changes)}`;
}

function counts(changes: readonly Change[]): Record<ChangeClass, number> {
  const out = { replaces: 0, "not-applied": 0, creates: 0, loosens: 0, tightens: 0, neutral: 0 };
  for (const c of changes) out[c.class]++;
  return out;
}

const SIGN_OFF_REASONS = "replace an endpoint, are not applied by the provider, or create an endpoint or loosen policy in a protected environment";

function verdict(review: Review): string {
  const signOff = review.changes.filter((c) => c.signOff).length;
  const noticeSignOff = review.notices.some((n) => n.signOff);
  if (signOff > 0 || noticeSignOff) {
    const what =
      signOff === 0
        ? "see the notice below"
        : signOff === 1
          ? "1 change, marked (sign-off) below, replaces an endpoint, is not applied by the provider, or creates an endpoint or loosens policy in a protected environment"
          : `${formatNumber(signOff)} changes, marked (sign-off) below, ${SIGN_OFF_REASONS}`;
    return `**Needs sign-off** (exit 2): ${what}.`;
  }
  if (review.changes.length === 0) {
    return `**No changes**: ${code(review.baseLabel)} and the ${text(review.headLabel)} synthesize the same stacks: endpoints, gateway policy, other resources, backend and providers.`;
  }
  return `**No sign-off needed** (exit 0): ${plural(review.changes.length, "change")}, none replaces an endpoint, is ignored by the provider, or creates an endpoint or loosens policy in a protected environment.`;
}

function environmentName(e: EnvironmentReview): string {
  const tags = [e.protected ? "protected" : "", e.status === "present" ? "" : e.status].filter(Boolean);
  return `${text(e.name)}${tags.length ? ` (${tags.join(", ")})` : ""}`;
}

/** Environment, endpoints, changes by class, sign-offs; environments without changes in one row. */
function summaryTable(review: Review): string {
  const head = "| Environment | Endpoints | Changes | Sign-off |\n| --- | --- | --- | --- |";
  const changed = review.environments.filter((e) => e.changes.length > 0);
  const quiet = review.environments.filter((e) => e.changes.length === 0);
  const rows = changed.map((e) => {
    const n = counts(e.changes);
    const byClass = CHANGE_CLASSES.filter((c) => n[c] > 0).map((c) => `${MARKER[c]} ${formatNumber(n[c])}`).join(" · ");
    return `| ${environmentName(e)} | ${formatNumber(e.endpointCount)} | ${byClass} | ${formatNumber(e.changes.filter((c) => c.signOff).length)} |`;
  });
  if (quiet.length > 0) rows.push(`| ${quiet.map(environmentName).join(", ")} | ${quiet.map((e) => formatNumber(e.endpointCount)).join(", ")} | no change | 0 |`);
  return [head, ...rows].join("\n");
}

const CHANGED = "✎";

/** A cell, marked when any of its fields changed. */
function cell(row: PolicyRow, fields: readonly (keyof PolicyRow)[], value: string): string {
  const changed = row.changed?.some((f) => fields.includes(f));
  return changed ? `${CHANGED} ${value}` : value;
}

function endpointCell(row: PolicyRow): string {
  const name = row.name === row.endpoint ? "" : ` ${cell(row, ["name"], text(row.name))}`;
  const mark = row.status === "new" ? "🆕 " : row.status === "removed" ? "❌ " : "";
  return `${mark}${code(row.endpoint)}${name}`;
}

/** Six columns: a PR comment is about 900 pixels wide. */
function policyTable(rows: readonly PolicyRow[]): string {
  const head = "| Endpoint | Serves | Limits /min | Guardrails | Tracking | Access |\n| --- | --- | --- | --- | --- | --- |";
  const body = rows.map((r) => {
    const serves = cell(r, ["servedEntities", "routing"], `${text(r.servedEntities)} · ${text(r.routing)}`);
    const tracking = cell(r, ["usageTracking", "inferenceTable", "tags"], text(`usage ${r.usageTracking}; table ${r.inferenceTable}; tags ${r.tags}`));
    return `| ${endpointCell(r)} | ${serves} | ${cell(r, ["limits"], text(r.limits))} | ${cell(r, ["guardrails"], text(r.guardrails))} | ${tracking} | ${cell(r, ["permissions"], text(r.permissions))} |`;
  });
  return [head, ...body].join("\n");
}

const POLICY_LEGEND =
  `${CHANGED} changed by this pull request · 🆕 new endpoint · ❌ removed endpoint (as in the base) · Serves: served entities · routing · ` +
  "Tracking: usage tracking; inference table; tags · in/out: input/output guardrail.";

/** `—` for a caller who cannot query; else the limit, also for one who may query through a group. */
export function formatEffective(limit: EffectiveLimit): string {
  if (limit.basis === CANNOT_QUERY.basis) return "—";
  return limit.value === undefined ? "no limit" : `${formatNumber(limit.value)} (${limit.basis})`;
}

function accessTable(rows: readonly AccessRow[]): string {
  const head = "| Endpoint | Who | Access | QPM | TPM |\n| --- | --- | --- | --- | --- |";
  const body = rows.map(
    (r) => `| ${r.changed ? `${CHANGED} ` : ""}${code(r.endpoint)} | ${text(r.principal)} | ${text(r.access)} | ${text(formatEffective(r.qpm))} | ${text(formatEffective(r.tpm))} |`,
  );
  return [head, ...body].join("\n");
}

function appsTable(rows: readonly AppRow[]): string {
  const head = "| App | Name | Managed here | Endpoints (alias → endpoint, level) | Who can query through it |\n| --- | --- | --- | --- | --- |";
  const body = rows.map((r) => `| ${code(r.app)} | ${text(r.name)} | ${r.managed ? "yes" : "no (existing)"} | ${text(r.endpoints)} | ${text(r.reach)} |`);
  return [head, ...body].join("\n");
}

function details(summary: string, body: string, open = false): string {
  return `<details${open ? " open" : ""}><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

const LEGEND =
  `Classes: 🔴 replaces the endpoint (destroy + create: downtime, new id) · 🟠 not applied by ${PROVIDER} (do what the sentence says instead) · ` +
  "🔵 creates an endpoint (with what it grants) · 🟡 loosens · 🟢 tightens · ⚪ neutral. Limits are what the caller gets (Who gets what), before → after. " +
  "← the YAML line that sets the value. The review exits 2 (sign-off) for 🔴 and 🟠, and for 🔵 and 🟡 in a protected environment " +
  "(one with lifecycle.prevent_destroy).";

const ACCESS_NOTE =
  "Effective limits per caller under Databricks' precedence: a user's or service principal's own limit over group limits over the default per-user limit; " +
  "a group limit is one budget shared by its members; the endpoint limit caps everyone together; QPM and TPM apply separately. " +
  "Limits apply only to callers who may query (CAN_QUERY or CAN_MANAGE). " +
  `${CHANGED} marks a caller whose access or limits change.`;

const SERVICES_NOTE =
  "Model, model provider and MCP services of the standalone AI Gateway (provider >= 1.124): Unity Catalog securables with their own limits and grants (EXECUTE to query). " +
  "Limits on a serving endpoint do not cover traffic that reaches it through a service: only the service's own limits apply to that traffic. " +
  "Per-caller limits follow the same precedence as for endpoints; requests and tokens, per minute and per hour, apply separately.";

function servicesTable(rows: readonly ServicePolicyRow[]): string {
  const head = "| Service | Kind | Name | Serves | Limits | Inference table | Grants |\n| --- | --- | --- | --- | --- | --- | --- |";
  const body = rows.map(
    (r) =>
      `| ${code(r.service)} | ${text(r.kind)} | ${text(r.name)} | ${text(r.serves)}${r.note ? ` ⚠️ ${text(r.note)}` : ""} | ${text(r.limits)} | ${text(r.inferenceTable)} | ${text(r.grants)} |`,
  );
  return [head, ...body].join("\n");
}

function serviceAccessTable(rows: readonly ServiceAccessRow[]): string {
  const head = "| Service | Who | Access | Requests | Tokens |\n| --- | --- | --- | --- | --- |";
  const body = rows.map((r) => `| ${code(r.service)} | ${text(r.principal)} | ${text(r.access)} | ${text(r.requests)} | ${text(r.tokens)} |`);
  return [head, ...body].join("\n");
}

/** Appends sections while they fit in a character budget; remembers whether any was left out. */
class Budget {
  private out = "";
  truncated = false;

  constructor(private readonly max: number) {}

  /** `separator` goes before the section: a blank line between blocks, a newline inside a list. */
  add(section: string, separator = "\n\n"): boolean {
    const piece = this.out === "" ? section : `${separator}${section}`;
    if (this.truncated || this.out.length + piece.length > this.max) {
      this.truncated = true;
      return false;
    }
    this.out += piece;
    return true;
  }

  text(): string {
    return this.out;
  }
}

/** Environments with no change: one collapsed line for all of them. */
function unchangedLine(quiet: readonly EnvironmentReview[], what: string, body: (e: EnvironmentReview) => string): string {
  const names = quiet.map((e) => `${text(e.name)} (${plural(e.endpointCount, "endpoint")})`).join(", ");
  return details(`no change in ${names}: ${what}`, quiet.map((e) => `<b>${text(e.name)}</b>\n\n${body(e)}`).join("\n\n"));
}

export function renderMarkdown(review: Review, options: MarkdownOptions = {}): string {
  // Room for the truncation note, so the result never exceeds maxChars.
  const budget = new Budget(options.maxChars === undefined ? Infinity : Math.max(0, options.maxChars - 200));
  budget.add(`## AI Gateway review: ${code(review.baseLabel)} → ${text(review.headLabel)}`);
  budget.add(verdict(review));
  for (const n of review.notices) budget.add(`> ⚠️ ${text(n.text)}`);
  budget.add(summaryTable(review));

  const changed = review.environments.filter((e) => e.changes.length > 0);
  const quiet = review.environments.filter((e) => e.changes.length === 0);
  if (review.changes.length > 0) {
    budget.add("### Changes");
    let shown = 0;
    for (const [i, group] of groupChanges(review.changes).entries()) {
      if (!budget.add(groupLine(group), i === 0 ? "\n\n" : "\n")) break;
      shown += group.changes.length;
    }
    if (shown < review.changes.length) budget.truncated = true;
    budget.add(LEGEND);
  }

  budget.add("### Policy report");
  for (const e of changed) {
    const removed = e.status === "removed" ? " (removed: as in the base)" : "";
    budget.add(details(`<b>${text(e.name)}</b>: ${plural(e.endpointCount, "endpoint")}${e.protected ? ", protected" : ""}${removed}`, policyTable(e.policy) + (e.apps?.length ? `\n\n${appsTable(e.apps)}` : ""), true));
  }
  if (quiet.length > 0) budget.add(unchangedLine(quiet, "policy as in the base", (e) => policyTable(e.policy) + (e.apps?.length ? `\n\n${appsTable(e.apps)}` : "")));
  budget.add(POLICY_LEGEND);
  budget.add("### Who gets what");
  budget.add(ACCESS_NOTE);
  for (const e of changed) {
    budget.add(details(`<b>${text(e.name)}</b>: effective QPM / TPM per caller`, accessTable(e.access)));
  }
  if (quiet.length > 0) budget.add(unchangedLine(quiet, "as in the base", (e) => accessTable(e.access)));
  if (review.environments.some((e) => e.services.length > 0)) {
    budget.add("### AI Gateway services");
    budget.add(SERVICES_NOTE);
    for (const e of review.environments) {
      if (e.services.length === 0) continue;
      budget.add(details(`<b>${text(e.name)}</b>: ${plural(e.services.length, "service")}`, `${servicesTable(e.services)}\n\n${serviceAccessTable(e.serviceAccess)}`));
    }
  }

  let out = budget.text();
  if (budget.truncated) {
    out += `\n\n_Truncated to fit: ${plural(review.changes.length, "change")} in total. Run \`npm run review -- --base ${review.baseLabel.replace(/`/g, "'")}\` for the full review._`;
  }
  return `${out}\n`;
}
