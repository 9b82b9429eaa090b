/**
 * The review as Markdown for a pull-request comment: the verdict first, then the changes (what a
 * reviewer must read), then the policy report and who gets what (collapsed: reference material).
 */
import { changeLocation, phrase, Wording } from "./changes";
import { formatNumber } from "./format";
import { isServiceChange, serviceLabel } from "./services/changes";
import { CANNOT_QUERY } from "./who-gets-what";
import { AccessRow, Change, CHANGE_CLASSES, CLASS_LABEL, ChangeClass, EffectiveLimit, EnvironmentReview, PolicyRow, Review, ServiceAccessRow, ServicePolicyRow } from "./types";
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

export function changeLine(c: Change): string {
  const signOff = c.signOff ? " **(sign-off)**" : "";
  const wording = isServiceChange(c) ? { ...MARKDOWN, label: (l: string) => MARKDOWN.label(serviceLabel(l)) } : MARKDOWN;
  return `- ${MARKER[c.class]} ${phrase(changeLocation(c.environment, c.endpoint), c, wording)}${signOff}`;
}

function counts(changes: readonly Change[]): Record<ChangeClass, number> {
  const out = { replaces: 0, "not-applied": 0, loosens: 0, tightens: 0, neutral: 0 };
  for (const c of changes) out[c.class]++;
  return out;
}

function verdict(review: Review): string {
  const signOff = review.changes.filter((c) => c.signOff).length;
  const noticeSignOff = review.notices.some((n) => n.signOff);
  if (signOff > 0 || noticeSignOff) {
    const what =
      signOff === 0
        ? "see the notice below"
        : signOff === 1
          ? "1 change, marked (sign-off) below, replaces an endpoint, is not applied by the provider, or loosens policy in a protected environment"
          : `${formatNumber(signOff)} changes, marked (sign-off) below, replace an endpoint, are not applied by the provider, or loosen policy in a protected environment`;
    return `**Needs sign-off** (exit 2): ${what}.`;
  }
  if (review.changes.length === 0) {
    return `**No changes**: ${code(review.baseLabel)} and the ${text(review.headLabel)} synthesize the same endpoints and gateway policy.`;
  }
  return `**No sign-off needed** (exit 0): ${plural(review.changes.length, "change")}, none replaces an endpoint, is ignored by the provider, or loosens a protected environment.`;
}

function summaryTable(review: Review): string {
  const head = `| Environment | Protected | Endpoints | ${CHANGE_CLASSES.map((c) => `${MARKER[c]} ${CLASS_LABEL[c]}`).join(" | ")} |`;
  const rule = `|${" --- |".repeat(3 + CHANGE_CLASSES.length)}`;
  const rows = review.environments.map((e) => {
    const n = counts(e.changes);
    const status = e.status === "present" ? "" : ` (${e.status})`;
    return `| ${text(e.name)}${status} | ${e.protected ? "yes" : "no"} | ${formatNumber(e.endpointCount)} | ${CHANGE_CLASSES.map((c) => formatNumber(n[c])).join(" | ")} |`;
  });
  return [head, rule, ...rows].join("\n");
}

function environmentHeading(e: EnvironmentReview): string {
  const tags = [e.protected ? "protected" : "", e.status === "present" ? "" : e.status].filter(Boolean);
  return `#### ${text(e.name)}${tags.length ? ` (${tags.join(", ")})` : ""}`;
}

function policyTable(rows: readonly PolicyRow[]): string {
  const head =
    "| Endpoint | Name | Served entities | Routing | Limits (per minute) | Guardrails | Usage tracking | Inference table | Permissions | Tags |\n" +
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |";
  const body = rows.map(
    (r) =>
      `| ${code(r.endpoint)} | ${text(r.name)} | ${text(r.servedEntities)} | ${text(r.routing)} | ${text(r.limits)} | ${text(r.guardrails)} | ${text(r.usageTracking)} | ${text(r.inferenceTable)} | ${text(r.permissions)} | ${text(r.tags)} |`,
  );
  return [head, ...body].join("\n");
}

/** `—` for a caller who cannot query; else the limit, also for one who may query through a group. */
export function formatEffective(limit: EffectiveLimit): string {
  if (limit.basis === CANNOT_QUERY.basis) return "—";
  return limit.value === undefined ? "no limit" : `${formatNumber(limit.value)} (${limit.basis})`;
}

function accessTable(rows: readonly AccessRow[]): string {
  const head = "| Endpoint | Who | Access | QPM | TPM |\n| --- | --- | --- | --- | --- |";
  const body = rows.map(
    (r) => `| ${code(r.endpoint)} | ${text(r.principal)} | ${text(r.access)} | ${text(formatEffective(r.qpm))} | ${text(formatEffective(r.tpm))} |`,
  );
  return [head, ...body].join("\n");
}

function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

const LEGEND =
  `Classes: 🔴 replaces the endpoint (destroy + create: downtime, new id) · 🟠 not applied by ${PROVIDER} (do what the sentence says instead) · ` +
  "🟡 loosens · 🟢 tightens · ⚪ neutral. The review exits 2 (sign-off) for 🔴, 🟠, and 🟡 in a protected environment " +
  "(one with lifecycle.prevent_destroy).";

const ACCESS_NOTE =
  "Effective limits per caller under Databricks' precedence: a user's or service principal's own limit over group limits over the default per-user limit; " +
  "a group limit is one budget shared by its members; the endpoint limit caps everyone together; QPM and TPM apply separately. " +
  "Limits apply only to callers who may query (CAN_QUERY or CAN_MANAGE).";

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

export function renderMarkdown(review: Review, options: MarkdownOptions = {}): string {
  // Room for the truncation note, so the result never exceeds maxChars.
  const budget = new Budget(options.maxChars === undefined ? Infinity : Math.max(0, options.maxChars - 200));
  budget.add(`## AI Gateway review: ${code(review.baseLabel)} → ${text(review.headLabel)}`);
  budget.add(verdict(review));
  for (const n of review.notices) budget.add(`> ⚠️ ${text(n.text)}`);
  budget.add(summaryTable(review));

  if (review.changes.length > 0) {
    budget.add("### Changes");
    let shown = 0;
    for (const e of review.environments) {
      if (e.changes.length === 0) continue;
      if (!budget.add(environmentHeading(e))) break;
      for (const [i, c] of e.changes.entries()) {
        if (!budget.add(changeLine(c), i === 0 ? "\n\n" : "\n")) break;
        shown++;
      }
    }
    if (shown < review.changes.length) budget.truncated = true;
    budget.add(LEGEND);
  }

  budget.add("### Policy report");
  for (const e of review.environments) {
    budget.add(details(`<b>${text(e.name)}</b>: ${plural(e.endpointCount, "endpoint")}${e.protected ? ", protected" : ""}${e.status === "removed" ? " (removed: as in the base)" : ""}`, policyTable(e.policy)));
  }
  budget.add("### Who gets what");
  budget.add(ACCESS_NOTE);
  for (const e of review.environments) {
    budget.add(details(`<b>${text(e.name)}</b>: effective QPM / TPM per caller`, accessTable(e.access)));
  }
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
