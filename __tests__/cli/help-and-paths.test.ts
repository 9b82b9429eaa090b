/**
 * Commands a user pokes at (issue 16 point 4): `--help`/`-h` on every command, a relative
 * `--config` read from where the user ran npm, `npm run --silent review` with nothing but the
 * review on stdout (or `--out FILE`), environments in deploy order, and the provider lock file
 * surviving synth.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { renderHelp } from "../../cli/args";
import { LOCK_FILE } from "../../cli/provider-locks";
import { REVIEW_HELP, runReview } from "../../cli/review";
import { runSchema, SCHEMA_HELP } from "../../cli/schema";

import { runValidate, VALIDATE_HELP } from "../../cli/validate";
import { runSynth, SYNTH_HELP } from "../../cli/synth";
import { EXAMPLE_CONFIG, REPO_ROOT, tempDir } from "../helpers";
import { git, repoWith } from "../review/scenario";

function capture() {
  const sink = { text: "", write: (t: string) => ((sink.text += t), true) };
  return sink;
}

const PKG = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
/** Every npm script that runs one of our TypeScript commands: name → argv. */
const COMMANDS: Array<[string, string[]]> = Object.entries(PKG.scripts as Record<string, string>)
  .filter(([, cmd]) => /^node (--[\w-]+ )*(--require tsx\/cjs|scripts\/run\.cjs) (?!__tests__)[\w/.-]+\.ts$/.test(cmd))
  .map(([name, cmd]) => [name, cmd.split(" ").slice(1)]);

function runAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

describe("--help on every command", () => {
  test("the commands are the npm scripts (synth, validate, review, schema, bench, binding-schema, ...)", () => {
    expect(COMMANDS.map(([n]) => n)).toEqual(expect.arrayContaining(["synth", "validate", "review", "schema", "bench", "binding-schema"]));
  });

  test("each prints usage, one line per flag and its exit codes on stdout, exits 0 and does nothing else", async () => {
    const runs = await Promise.all(COMMANDS.map(([name, args]) => runAsync([...args, name === "bench" ? "-h" : "--help"]).then((r) => ({ name, ...r }))));
    for (const r of runs) {
      expect({ name: r.name, status: r.status, stderr: r.stderr }).toEqual({ name: r.name, status: 0, stderr: "" });
      expect(r.stdout).toMatch(new RegExp(`^Usage: npm run (--silent )?${r.name}\\b`));
      expect(r.stdout).toMatch(/\nOptions:\n(  --[a-z-]+( [A-Z,]+)? +\S.*\n)+\nExit codes:\n(  \d  \S.*\n)+/);
      expect(r.stdout).toContain("  --help ");
    }
    // One node start-up per command, in parallel: a few seconds on an idle machine, more when loaded.
  }, 120_000);

  test("-h is --help, anywhere in the arguments", () => {
    for (const [run, help] of [
      [runValidate, VALIDATE_HELP],
      [runSchema, SCHEMA_HELP],
      [runSynth, SYNTH_HELP],
    ] as const) {
      const out = capture();
      const err = capture();
      expect(run(["--config", "/nonexistent", "-h"], {}, out, err)).toBe(0);
      expect(out.text).toBe(renderHelp(help));
      expect(err.text).toBe("");
    }
    let stdout = "";
    expect(runReview(["-h"], {}, { stdout: (t) => (stdout += t), stderr: () => {} })).toBe(0);
    expect(stdout).toBe(renderHelp(REVIEW_HELP));
  });

  test("every flag a command accepts is in its help (read from its own unknown-argument error)", () => {
    const accepted = (text: string) => [...text.matchAll(/--[a-z-]+/g)].map((m) => m[0]).filter((f) => f !== "--bogus");
    const cases: Array<[string, (err: ReturnType<typeof capture>) => number]> = [
      [renderHelp(VALIDATE_HELP), (err) => runValidate(["--bogus"], {}, capture(), err)],
      [renderHelp(SCHEMA_HELP), (err) => runSchema(["--bogus"], {}, capture(), err)],
      [renderHelp(SYNTH_HELP), (err) => runSynth(["--bogus"], {}, capture(), err)],
      [renderHelp(REVIEW_HELP), (err) => runReview(["--bogus"], {}, { stdout: () => {}, stderr: (t) => err.write(t) })],
    ];
    for (const [help, run] of cases) {
      const err = capture();
      expect(run(err)).toBe(1);
      const flags = accepted(err.text);
      expect(flags.length).toBeGreaterThan(0);
      for (const f of flags) expect(help).toMatch(new RegExp(`\\n  ${f}\\b`));
    }
  });

  test("the review's help documents --max-chars and --out", () => {
    expect(renderHelp(REVIEW_HELP)).toMatch(/\n  --max-chars N +cut the Markdown at N characters/);
    expect(renderHelp(REVIEW_HELP)).toMatch(/\n  --out FILE +write the review to FILE/);
  });
});

describe("a relative --config is read from where the user ran the command", () => {
  const fixtures = path.dirname(EXAMPLE_CONFIG);

  test("relative to INIT_CWD (set by npm), shown relative to the project", () => {
    const out = capture();
    expect(runValidate(["--config", "example"], { INIT_CWD: fixtures }, out, capture())).toBe(0);
    expect(out.text).toMatch(/^__tests__\/fixtures\/example: valid: /);
    const viaEnv = capture();
    expect(runValidate([], { INIT_CWD: fixtures, GATEWAY_CONFIG_DIR: "./example" }, viaEnv, capture())).toBe(0);
    expect(viaEnv.text).toBe(out.text);
  });

  test("the default config/ stays the project's own, wherever npm was run", () => {
    const out = capture();
    const err = capture();
    runValidate([], { INIT_CWD: fixtures }, out, err);
    expect(`${out.text}${err.text}`).toMatch(/^config: /m);
  });

  test("not found: the error shows the absolute path tried", () => {
    const err = capture();
    expect(runValidate(["--config", "no-such-config"], { INIT_CWD: "/nonexistent/here" }, capture(), err)).toBe(1);
    expect(err.text).toContain("config directory not found (tried /nonexistent/here/no-such-config)");
    const err2 = capture();
    expect(runValidate(["--config", "no-such-config"], {}, capture(), err2)).toBe(1);
    expect(err2.text).toContain(`(tried ${path.join(REPO_ROOT, "no-such-config")})`);
  });

  test("for real under npm: `npm run validate -- --config .` inside the config directory", () => {
    const r = spawnSync("npm", ["run", "--silent", "validate", "--", "--config", "."], { cwd: EXAMPLE_CONFIG, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("__tests__/fixtures/example: valid: 3 environment(s) (dev, staging, prod), 11 endpoint(s), 0 errors, 0 warnings\n");
    expect(r.status).toBe(0);
  });
});

describe("npm run --silent review > review.md", () => {
  const dir = repoWith(Object.fromEntries(walk(EXAMPLE_CONFIG).map((f) => [path.join("config", f), fs.readFileSync(path.join(EXAMPLE_CONFIG, f), "utf8")])));
  fs.appendFileSync(path.join(dir, "config/environments/dev.yaml"), "protect: true\n");
  // A tag change in every environment, so each has a row in the review's summary.
  const gateway = path.join(dir, "config/gateway.yaml");
  fs.writeFileSync(gateway, fs.readFileSync(gateway, "utf8").replace('cost_center: "4711"', 'cost_center: "4799"'));

  test("writes nothing but the review on stdout (as the README and CI run it)", () => {
    const r = spawnSync("npm", ["run", "--silent", "review", "--", "--base", "HEAD", "--config", path.join(dir, "config")], { cwd: REPO_ROOT, encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^## AI Gateway review: `HEAD` → working tree\n/);
  });

  test("--out FILE writes the review there (relative to where npm ran), stdout stays empty", () => {
    const outDir = tempDir("review-out-");
    let stdout = "";
    let stderr = "";
    const code = runReview(["--base", "HEAD", "--config", path.join(dir, "config"), "--out", "review.md"], { INIT_CWD: outDir }, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    expect(code).toBe(0);
    expect(stdout).toBe("");
    const written = fs.readFileSync(path.join(outDir, "review.md"), "utf8");
    expect(written).toMatch(/^## AI Gateway review: `HEAD` → working tree\n/);
    expect(stderr).toContain(`review written to ${path.join(outDir, "review.md")} (exit 0)`);
    git(dir, "status", "--short"); // the repository is untouched by the review
  });

  test("environments in deploy order (dev, staging, prod), as CI deploys them", () => {
    let stdout = "";
    runReview(["--base", "HEAD", "--config", path.join(dir, "config")], {}, { stdout: (t) => (stdout += t), stderr: () => {} });
    const rows = [...stdout.matchAll(/^\| (dev|staging|prod)(?: \(protected\))? \|/gm)].map((m) => m[1]);
    expect(rows).toEqual(["dev", "staging", "prod"]);
  });
});

describe("environments in one order", () => {
  test("validate and synth list them in deploy order (deploy.order, then name)", () => {
    const out = capture();
    runValidate(["--config", EXAMPLE_CONFIG], {}, out, capture());
    expect(out.text).toContain("(dev, staging, prod)");
    const synthOut = capture();
    const outdir = path.join(tempDir("order-"), "cdktf.out");
    expect(runSynth(["--config", EXAMPLE_CONFIG], { CDKTF_OUTDIR: outdir }, synthOut, capture())).toBe(0);
    expect([...synthOut.text.matchAll(/^ {2}gateway-(\w+):/gm)].map((m) => m[1])).toEqual(["dev", "staging", "prod"]);
  });
});

describe("the provider lock file survives synth", () => {
  const LOCK = '# This file is maintained automatically by "terraform init".\nprovider "registry.terraform.io/databricks/databricks" {\n  version = "1.99.0"\n}\n';

  function configWithLocks(locks: Record<string, string>): string {
    const dir = path.join(tempDir("locks-"), "config");
    fs.cpSync(EXAMPLE_CONFIG, dir, { recursive: true });
    for (const [stack, text] of Object.entries(locks)) {
      fs.mkdirSync(path.join(dir, "locks"), { recursive: true });
      fs.writeFileSync(path.join(dir, "locks", `${stack}.terraform.lock.hcl`), text);
    }
    return dir;
  }
  const lockIn = (outdir: string, stack: string) => path.join(outdir, "stacks", stack, LOCK_FILE);

  test("the committed config/locks/<stack>.terraform.lock.hcl is copied into its stack on every synth", () => {
    const config = configWithLocks({ "gateway-prod": LOCK });
    const outdir = path.join(path.dirname(config), "cdktf.out");
    for (let i = 0; i < 2; i++) {
      const err = capture();
      expect(runSynth(["--config", config], { CDKTF_OUTDIR: outdir }, capture(), err)).toBe(0);
      expect(fs.readFileSync(lockIn(outdir, "gateway-prod"), "utf8")).toBe(LOCK);
      expect(fs.existsSync(lockIn(outdir, "gateway-dev"))).toBe(false);
      expect(err.text).toBe("");
    }
  });

  test("one terraform init wrote (nothing committed) is kept, with how to commit it", () => {
    const config = configWithLocks({});
    const outdir = path.join(path.dirname(config), "cdktf.out");
    expect(runSynth(["--config", config], { CDKTF_OUTDIR: outdir }, capture(), capture())).toBe(0);
    fs.writeFileSync(lockIn(outdir, "gateway-dev"), LOCK); // terraform init
    const err = capture();
    expect(runSynth(["--config", config], { CDKTF_OUTDIR: outdir }, capture(), err)).toBe(0);
    expect(fs.readFileSync(lockIn(outdir, "gateway-dev"), "utf8")).toBe(LOCK);
    expect(err.text).toBe(
      `gateway-dev: kept the provider lock file terraform wrote, not committed yet; commit it: mkdir -p ${config}/locks && cp ${lockIn(outdir, "gateway-dev")} ${config}/locks/gateway-dev.terraform.lock.hcl\n`,
    );
  });

  test("a newer one from terraform init -upgrade is kept over the committed one; an older one is not", () => {
    const config = configWithLocks({ "gateway-dev": LOCK });
    const outdir = path.join(path.dirname(config), "cdktf.out");
    expect(runSynth(["--config", config], { CDKTF_OUTDIR: outdir }, capture(), capture())).toBe(0);
    const upgraded = LOCK.replace("1.99.0", "1.100.0");
    fs.writeFileSync(lockIn(outdir, "gateway-dev"), upgraded);
    const future = new Date(Date.now() + 60_000);
    fs.utimesSync(lockIn(outdir, "gateway-dev"), future, future);
    const err = capture();
    expect(runSynth(["--config", config], { CDKTF_OUTDIR: outdir }, capture(), err)).toBe(0);
    expect(fs.readFileSync(lockIn(outdir, "gateway-dev"), "utf8")).toBe(upgraded);
    expect(err.text).toContain("gateway-dev: kept the provider lock file terraform wrote, newer than");
    // A pull brings a newer committed lock: it wins over the stale one in cdktf.out.
    const later = new Date(Date.now() + 120_000);
    fs.utimesSync(path.join(config, "locks/gateway-dev.terraform.lock.hcl"), later, later);
    expect(runSynth(["--config", config], { CDKTF_OUTDIR: outdir }, capture(), capture())).toBe(0);
    expect(fs.readFileSync(lockIn(outdir, "gateway-dev"), "utf8")).toBe(LOCK);
  });
});

function walk(dir: string, rel = ""): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(dir, path.join(rel, e.name)) : [path.join(rel, e.name)]));
}
