/**
 * `npm run review-screenshot`: docs/review-comment.png, the review as a pull request comment shows
 * it. The README's own example change (its ```diff block under "Reviewing a change > Example")
 * is applied to a copy of the example fixture in a temporary git repository, reviewed with
 * `npm run review`'s code, rendered to HTML by a tiny Markdown subset (headings, lists, tables,
 * quotes, inline code and bold, raw <details>; no new dependency) with GitHub-like styles, and
 * photographed with headless Chromium (Debian: apt-get install chromium fonts-noto-color-emoji, for the
 * class markers).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CommandHelp, printHelpIfAsked } from "../cli/args";
import { runReview } from "../cli/review";

export const REVIEW_SCREENSHOT_HELP: CommandHelp = {
  usage: "npm run review-screenshot",
  summary: "Renders the review of the README's example change as a PR comment and writes docs/review-comment.png\n(headless Chromium: apt-get install chromium).",
  flags: [],
  exitCodes: [
    [0, "written"],
    [1, "no Chromium, or it failed"],
  ],
};

const REPO = path.resolve(__dirname, "..");
const OUT = path.join(REPO, "docs", "review-comment.png");

function git(dir: string, ...args: string[]): void {
  const r = spawnSync("git", ["-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "user.name=docs", "-c", "user.email=docs@example.com", ...args], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
}

/** The review Markdown of the README's example change. */
export function exampleReview(): string {
  const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
  const example = readme.slice(readme.indexOf("### Example", readme.indexOf("## Reviewing a change")));
  const start = example.indexOf("```diff\n") + "```diff\n".length;
  const diff = example.slice(start, example.indexOf("\n```\n", start) + 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "review-shot-"));
  fs.cpSync(path.join(REPO, "__tests__", "fixtures", "example"), path.join(dir, "config"), { recursive: true });
  git(dir, "init", "-q");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "base");
  fs.writeFileSync(path.join(dir, "example.diff"), diff);
  git(dir, "apply", "example.diff");
  let markdown = "";
  runReview(["--base", "main", "--config", path.join(dir, "config")], {}, { stdout: (t) => (markdown += t), stderr: () => undefined });
  fs.rmSync(dir, { recursive: true, force: true });
  return markdown;
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const inline = (s: string) =>
  escape(s)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");

/** The Markdown subset the review uses, to HTML. */
export function markdownToHtml(md: string): string {
  const out: string[] = [];
  const lines = md.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith("|")) {
      const rows: string[][] = [];
      for (; i < lines.length && lines[i].startsWith("|"); i++) rows.push(lines[i].slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
      i--;
      const [head, , ...body] = rows;
      out.push(`<table><thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join("")}</tr></thead><tbody>`);
      for (const r of body) out.push(`<tr>${r.map((c) => `<td>${inline(c.replace(/\\\|/g, "|"))}</td>`).join("")}</tr>`);
      out.push("</tbody></table>");
    } else if (line.startsWith("- ")) {
      out.push("<ul>");
      for (; i < lines.length && lines[i].startsWith("- "); i++) out.push(`<li>${inline(lines[i].slice(2))}</li>`);
      i--;
      out.push("</ul>");
    } else if (/^#{1,4} /.test(line)) {
      const level = line.indexOf(" ");
      out.push(`<h${level}>${inline(line.slice(level + 1))}</h${level}>`);
    } else if (line.startsWith("> ")) out.push(`<blockquote>${inline(line.slice(2))}</blockquote>`);
    else if (line.startsWith("<")) out.push(line); // the review's own <details>/<summary>
    else if (line.trim() !== "") out.push(`<p>${inline(line)}</p>`);
  }
  return out.join("\n");
}

const STYLE = `
body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328; background: #f6f8fa; margin: 0; padding: 16px; }
.comment { max-width: 920px; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; }
.header { background: #f6f8fa; border-bottom: 1px solid #d0d7de; padding: 8px 16px; border-radius: 6px 6px 0 0; color: #59636e; }
.body { padding: 8px 16px 16px; }
h2 { font-size: 1.4em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
h3 { font-size: 1.2em; } h4 { font-size: 1em; }
code { font: 85% ui-monospace, SFMono-Regular, Menlo, monospace; background: #eff1f3; padding: .1em .3em; border-radius: 4px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { border: 1px solid #d1d9e0; padding: 4px 10px; } th { background: #f6f8fa; }
blockquote { margin: 0; padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
ul { padding-left: 2em; } li { margin: .25em 0; }
details { margin: 6px 0; }
`;

function main(argv: readonly string[]): number {
  if (printHelpIfAsked(argv, REVIEW_SCREENSHOT_HELP, process.stdout)) return 0;
  const browser = ["chromium", "chromium-browser", "google-chrome"].find((b) => spawnSync("which", [b]).status === 0);
  if (!browser) {
    process.stderr.write("no headless Chromium: apt-get update && apt-get install -y chromium\n");
    return 1;
  }
  const html = `<!doctype html><meta charset="utf-8"><style>${STYLE}</style><div class="comment"><div class="header"><b>github-actions</b> commented</div><div class="body">\n${markdownToHtml(exampleReview())}\n</div></div>`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "review-shot-html-"));
  const file = path.join(dir, "review.html");
  fs.writeFileSync(file, html);
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  const r = spawnSync(browser, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", `--screenshot=${OUT}`, "--window-size=960,1100", `file://${file}`], { encoding: "utf8" });
  fs.rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0 || !fs.existsSync(OUT)) {
    process.stderr.write(`${browser} failed (exit ${r.status}): ${r.stderr}\n`);
    return 1;
  }
  process.stdout.write(`wrote ${path.relative(process.cwd(), OUT)}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
