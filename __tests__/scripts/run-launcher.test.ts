/**
 * scripts/run.cjs, the launcher behind `npm run synth|validate|review|schema|import` and cdktf.json's
 * `app` (issue 15: the example config's synth within 1 s). It must behave exactly like
 * `node --require tsx/cjs <entry.ts>`, never run stale code, and survive a broken, unwritable or
 * shared cache. Most cases run on a tiny project of their own (a copy of the launcher, the
 * repository's node_modules linked), so edits and cache damage never touch the real one.
 */
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { EXAMPLE_CONFIG, REPO_ROOT, tempDir, writeTree } from "../helpers";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const launcher = require("../../scripts/run.cjs") as {
  slugOf(entry: string): string;
  entryOf(arg: unknown): { rel?: string; error?: string };
  witnessOf(input: string): string;
  editedSince(inputs: Record<string, [number, number] | null>, startedMs: number, endedMs: number): boolean;
};

const LAUNCHER = path.join(REPO_ROOT, "scripts", "run.cjs");

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A project of two TypeScript files; `entry.ts` prints what it sees as JSON. */
function project(): { dir: string; cache: string } {
  const dir = writeTree({
    "package.json": '{ "name": "probe", "private": true }\n',
    "tsconfig.json": '{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "strict": true } }\n',
    "lib/dep.ts": 'export const message: string = "one";\n',
    "entry.ts": [
      'import { message } from "./lib/dep";',
      "class Probe {}",
      "console.log(JSON.stringify({ message, args: process.argv.slice(2), isMain: require.main === module, argv1: process.argv[1], className: Probe.name }));",
      'if (process.argv[2] === "exit3") process.exitCode = 3;',
      'if (process.argv[2] === "throw") throw new Error("boom from entry");',
      "",
    ].join("\n"),
  });
  fs.mkdirSync(path.join(dir, "scripts"));
  fs.copyFileSync(LAUNCHER, path.join(dir, "scripts", "run.cjs"));
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
  return { dir, cache: path.join(dir, "cache") };
}

function run(p: { dir: string; cache: string }, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(process.execPath, [path.join(p.dir, "scripts", "run.cjs"), ...args], {
    cwd: p.dir,
    env: { ...process.env, GATEWAY_NO_BUNDLE: "", GATEWAY_BUNDLE_CACHE: p.cache, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runAsync(p: { dir: string; cache: string }, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(p.dir, "scripts", "run.cjs"), ...args], {
      cwd: p.dir,
      env: { ...process.env, GATEWAY_NO_BUNDLE: "", GATEWAY_BUNDLE_CACHE: p.cache },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** The cache directory's files with their mtimes. */
function cacheState(cache: string): Record<string, number> {
  if (!fs.existsSync(cache)) return {};
  return Object.fromEntries(
    fs
      .readdirSync(cache)
      .sort()
      .map((f) => [f, fs.statSync(path.join(cache, f)).mtimeMs]),
  );
}

function bundles(cache: string): string[] {
  return Object.keys(cacheState(cache)).filter((f) => /^entry-[0-9a-f]{16}\.js$/.test(f));
}

describe("scripts/run.cjs on a project of its own", () => {
  test("runs the entry as the main module: its arguments, process.argv[1], exit code, class names", () => {
    const p = project();
    const r = run(p, ["entry.ts", "exit3", "--flag"]);
    expect(r).toEqual({ status: 3, stdout: expect.any(String), stderr: "" });
    expect(JSON.parse(r.stdout)).toEqual({ message: "one", args: ["exit3", "--flag"], isMain: true, argv1: path.join(p.dir, "entry.ts"), className: "Probe" });
    // Cached: the stamp, one bundle and V8's code cache for it.
    expect(Object.keys(cacheState(p.cache))).toEqual([bundles(p.cache)[0], expect.stringMatching(/^entry-[0-9a-f]{16}\.js\.[0-9a-f]{8}\.v8cache$/), "entry.json"]);
    expect(Object.keys(cacheState(p.cache))[1].startsWith(bundles(p.cache)[0])).toBe(true);
  });

  test("prints exactly what `node --require tsx/cjs` prints, for a normal run and an uncaught error", () => {
    const p = project();
    const viaTsx = (args: string[]) => {
      const r = spawnSync(process.execPath, ["--require", "tsx/cjs", "entry.ts", ...args], { cwd: p.dir, encoding: "utf8" });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    expect(run(p, ["entry.ts", "a"])).toEqual(viaTsx(["a"]));
    const thrown = run(p, ["entry.ts", "throw"]);
    expect(thrown.status).toBe(1);
    expect(thrown.stderr).toContain("Error: boom from entry");
    expect(viaTsx(["throw"]).stderr).toContain("Error: boom from entry");
  });

  test("a second run reuses the cache without rewriting anything", () => {
    const p = project();
    run(p, ["entry.ts"]);
    const before = cacheState(p.cache);
    expect(JSON.parse(run(p, ["entry.ts"]).stdout).message).toBe("one");
    expect(cacheState(p.cache)).toEqual(before);
  });

  test("node flags get their own V8 code cache: runs with and without --expose-gc do not rewrite each other's", () => {
    const p = project();
    const withFlag = () => spawnSync(process.execPath, ["--expose-gc", path.join(p.dir, "scripts", "run.cjs"), "entry.ts"], { cwd: p.dir, env: { ...process.env, GATEWAY_BUNDLE_CACHE: p.cache }, encoding: "utf8" });
    run(p, ["entry.ts"]);
    expect(withFlag().status).toBe(0);
    const both = cacheState(p.cache);
    expect(Object.keys(both).filter((f) => f.endsWith(".v8cache"))).toHaveLength(2);
    run(p, ["entry.ts"]);
    expect(withFlag().status).toBe(0);
    expect(cacheState(p.cache)).toEqual(both);
  });

  test("an edited source is never run stale: new content, same size with a new mtime, a new import", () => {
    const p = project();
    run(p, ["entry.ts"]);
    const first = bundles(p.cache);
    const dep = path.join(p.dir, "lib", "dep.ts");

    fs.writeFileSync(dep, 'export const message: string = "two, longer";\n');
    expect(JSON.parse(run(p, ["entry.ts"]).stdout).message).toBe("two, longer");
    // The previous bundle is gone; one bundle per entry is kept.
    expect(bundles(p.cache)).toHaveLength(1);
    expect(bundles(p.cache)).not.toEqual(first);

    // Same size, different bytes: the mtime tells.
    fs.writeFileSync(dep, 'export const message: string = "TWO, LONGER";\n');
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(dep, later, later);
    expect(JSON.parse(run(p, ["entry.ts"]).stdout).message).toBe("TWO, LONGER");

    // A new file imported by an edited one.
    fs.writeFileSync(path.join(p.dir, "lib", "extra.ts"), 'export const extra = "three";\n');
    fs.writeFileSync(dep, 'import { extra } from "./extra";\nexport const message: string = extra;\n');
    expect(JSON.parse(run(p, ["entry.ts"]).stdout).message).toBe("three");
    fs.writeFileSync(path.join(p.dir, "lib", "extra.ts"), 'export const extra = "four";\n');
    expect(JSON.parse(run(p, ["entry.ts"]).stdout).message).toBe("four");
  });

  test("a change to tsconfig.json rebuilds", () => {
    const p = project();
    run(p, ["entry.ts"]);
    const stamp = path.join(p.cache, "entry.json");
    const before = fs.statSync(stamp).mtimeMs;
    const tsconfig = path.join(p.dir, "tsconfig.json");
    fs.appendFileSync(tsconfig, "\n");
    expect(run(p, ["entry.ts"]).status).toBe(0);
    expect(fs.statSync(stamp).mtimeMs).not.toBe(before);
  });

  test("a compile error falls back to tsx, which reports it; fixing it runs the new code", () => {
    const p = project();
    run(p, ["entry.ts"]);
    const dep = path.join(p.dir, "lib", "dep.ts");
    fs.writeFileSync(dep, "export const message: string = (;\n");
    const broken = run(p, ["entry.ts"]);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toBe("");
    expect(broken.stderr).toMatch(/dep\.ts/);
    fs.writeFileSync(dep, 'export const message: string = "fixed";\n');
    expect(JSON.parse(run(p, ["entry.ts"]).stdout).message).toBe("fixed");
  });

  test("a damaged cache is rebuilt: garbage stamp, missing bundle, garbage V8 code cache", () => {
    const p = project();
    run(p, ["entry.ts"]);
    const [bundle] = bundles(p.cache);

    fs.writeFileSync(path.join(p.cache, "entry.json"), "{ not json");
    expect(JSON.parse(run(p, ["entry.ts"]).stdout).message).toBe("one");
    expect(JSON.parse(fs.readFileSync(path.join(p.cache, "entry.json"), "utf8")).bundle).toBe(bundle);

    fs.unlinkSync(path.join(p.cache, bundle));
    expect(JSON.parse(run(p, ["entry.ts"]).stdout).message).toBe("one");
    expect(fs.existsSync(path.join(p.cache, bundle))).toBe(true);

    const v8cache = path.join(p.cache, Object.keys(cacheState(p.cache)).find((f) => f.endsWith(".v8cache"))!);
    fs.writeFileSync(v8cache, "garbage");
    expect(JSON.parse(run(p, ["entry.ts"]).stdout).message).toBe("one");
    // Rejected by V8, then written again.
    expect(fs.readFileSync(v8cache, "utf8")).not.toBe("garbage");
  });

  test("a cache that cannot be created is no error: the bundle runs from memory", () => {
    const p = project();
    const file = path.join(p.dir, "a-file");
    fs.writeFileSync(file, "a file where a parent directory should be");
    const r = run({ ...p, cache: path.join(file, "cache") }, ["entry.ts", "x"]);
    expect(r).toEqual({ status: 0, stdout: expect.any(String), stderr: "" });
    expect(JSON.parse(r.stdout).args).toEqual(["x"]);
  });

  test("a cache another user could write to is never read: a warning, and the bundle runs from memory", () => {
    const p = project();
    const planted = () => {
      // A stamp that is fresh in every way, naming a bundle that is not the entry's code.
      run(p, ["entry.ts"]);
      const stamp = JSON.parse(fs.readFileSync(path.join(p.cache, "entry.json"), "utf8"));
      fs.writeFileSync(path.join(p.cache, stamp.bundle), '(function (exports, require, module) { console.log(JSON.stringify({ message: "planted" })); })');
      for (const f of fs.readdirSync(p.cache)) if (f.endsWith(".v8cache")) fs.unlinkSync(path.join(p.cache, f));
    };
    planted();
    // The same user: the cache is trusted (this is how a stale-but-fresh-looking bundle would run).
    expect(JSON.parse(run(p, ["entry.ts"]).stdout).message).toBe("planted");

    fs.chmodSync(p.cache, 0o777);
    const r = run(p, ["entry.ts"]);
    expect(JSON.parse(r.stdout).message).toBe("one");
    expect(r.stderr).toBe(`scripts/run.cjs: not using the bundle cache ${p.cache}: other users can write to it (chmod go-w); building in memory\n`);

    fs.rmSync(p.cache, { recursive: true });
    fs.writeFileSync(p.cache, "not a directory");
    const notDir = run(p, ["entry.ts"]);
    expect(JSON.parse(notDir.stdout).message).toBe("one");
    expect(notDir.stderr).toMatch(/not using the bundle cache .*: it is not a directory; building in memory\n$/);

    if (process.getuid?.() === 0) {
      fs.rmSync(p.cache);
      planted();
      fs.chownSync(p.cache, 4321, 4321);
      const other = run(p, ["entry.ts"]);
      expect(JSON.parse(other.stdout).message).toBe("one");
      expect(other.stderr).toMatch(/not using the bundle cache .*: it belongs to another user; building in memory\n$/);
    }
  });

  test("GATEWAY_NO_BUNDLE=1 runs the TypeScript with tsx and writes no cache", () => {
    const p = project();
    const r = run(p, ["entry.ts", "y"], { GATEWAY_NO_BUNDLE: "1" });
    expect(JSON.parse(r.stdout)).toEqual({ message: "one", args: ["y"], isMain: true, argv1: path.join(p.dir, "entry.ts"), className: "Probe" });
    expect(fs.existsSync(p.cache)).toBe(false);
  });

  test("runs started together on a cold cache all succeed and leave one consistent cache", async () => {
    const p = project();
    const runs = await Promise.all([1, 2, 3, 4].map((i) => runAsync(p, ["entry.ts", String(i)])));
    for (const [i, r] of runs.entries()) {
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
      expect(JSON.parse(r.stdout).args).toEqual([String(i + 1)]);
    }
    const stamp = JSON.parse(fs.readFileSync(path.join(p.cache, "entry.json"), "utf8"));
    expect(bundles(p.cache)).toContain(stamp.bundle);
    expect(Object.keys(cacheState(p.cache)).filter((f) => f.includes(".tmp-"))).toEqual([]);
  }, 60_000);

  test("refuses an entry that is not a .ts file inside the project, exit 2", () => {
    const p = project();
    const outside = writeTree({ "evil.ts": 'console.log("ran");\n' });
    for (const arg of [path.join(outside, "evil.ts"), "../evil.ts", "node_modules/tsx/dist/cli.ts", "entry.js", "missing.ts"]) {
      const r = run(p, [arg]);
      expect({ arg, status: r.status, stdout: r.stdout }).toEqual({ arg, status: 2, stdout: "" });
      expect(r.stderr).toMatch(/^(usage: node scripts\/run\.cjs|scripts\/run\.cjs: )/);
    }
  });
});

describe("scripts/run.cjs helpers", () => {
  test("one cache prefix per entry, none a prefix of another's files", () => {
    expect(launcher.slugOf("main.ts")).toBe("main");
    expect(launcher.slugOf("cli/validate.ts")).toBe("cli-validate");
    expect(launcher.entryOf("cli/review.ts").rel).toBe("cli/review.ts");
    expect(launcher.entryOf(undefined).error).toMatch(/^usage:/);
  });

  test("a project file stands for itself; a package's file is stood for by that package's package.json", () => {
    expect(launcher.witnessOf("config/load.ts")).toBe("config/load.ts");
    expect(launcher.witnessOf("node_modules/zod/v4/core/schemas.js")).toBe("node_modules/zod/package.json");
    expect(launcher.witnessOf("node_modules/@cdktf/provider-databricks/lib/app/index.js")).toBe("node_modules/@cdktf/provider-databricks/package.json");
    expect(launcher.witnessOf("node_modules/cdktf/node_modules/semver/index.js")).toBe("node_modules/cdktf/node_modules/semver/package.json");
  });

  test("a build whose inputs changed while it ran is not cached (the stamp would record the new mtime over the old content)", () => {
    expect(launcher.editedSince({ "a.ts": [999, 10], "b.ts": null }, 1000, 2000)).toBe(false);
    expect(launcher.editedSince({ "a.ts": [999, 10], "b.ts": [1000, 5] }, 1000, 2000)).toBe(true);
    expect(launcher.editedSince({ "a.ts": [1500.25, 10] }, 1000, 2000)).toBe(true);
    // Dated in the future, not touched during the build: cached as usual.
    expect(launcher.editedSince({ "a.ts": [9000, 10] }, 1000, 2000)).toBe(false);
  });

  test("the archiver stand-in loads the archiver cdktf would, on first call", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const standIn = require("../../scripts/bundle/archiver.cjs") as (format: string, options: object) => { append: unknown; finalize: unknown };
    const archive = standIn("zip", { zlib: { level: 0 } });
    expect(typeof archive.append).toBe("function");
    expect(typeof archive.finalize).toBe("function");
  });
});

describe("the project's own commands through scripts/run.cjs", () => {
  test("npm run synth's launcher writes byte for byte what `node --require tsx/cjs main.ts` writes", () => {
    const work = tempDir("launcher-");
    const cache = path.join(work, "cache");
    const synth = (argv: string[], outdir: string) =>
      spawnSync(process.execPath, ["--expose-gc", ...argv, "--config", EXAMPLE_CONFIG], {
        cwd: REPO_ROOT,
        env: { ...process.env, CHECKPOINT_DISABLE: "1", CDKTF_OUTDIR: outdir, GATEWAY_BUNDLE_CACHE: cache, GATEWAY_NO_BUNDLE: "" },
        encoding: "utf8",
        timeout: 120_000,
      });
    const viaTsx = synth(["--require", "tsx/cjs", "main.ts"], path.join(work, "tsx", "out"));
    const viaLauncher = synth(["scripts/run.cjs", "main.ts"], path.join(work, "launcher", "out"));
    expect(fs.existsSync(path.join(cache, "main.json"))).toBe(true);
    const timeless = (s: string) => s.replace(/ in \d+\.\d+ s\./, " in N s.").replace(/(tsx|launcher)\/out/g, "OUT");
    expect({ status: viaLauncher.status, stdout: timeless(viaLauncher.stdout), stderr: viaLauncher.stderr }).toEqual({
      status: viaTsx.status,
      stdout: timeless(viaTsx.stdout),
      stderr: viaTsx.stderr,
    });
    expect(viaTsx.status).toBe(0);
    const files = (root: string): Record<string, string> => {
      const out: Record<string, string> = {};
      const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, e.name);
          if (fs.statSync(full).isDirectory()) walk(full);
          else out[path.relative(root, full)] = fs.readFileSync(full, "utf8");
        }
      };
      walk(root);
      return out;
    };
    const a = files(path.join(work, "tsx", "out"));
    expect(Object.keys(a)).toEqual(expect.arrayContaining(["manifest.json", "stacks/gateway-prod/cdk.tf.json"]));
    expect(files(path.join(work, "launcher", "out"))).toEqual(a);
    // What makes it fast: one ASCII file (read as latin1), without the zip library cdktf never calls here.
    const stamp = JSON.parse(fs.readFileSync(path.join(cache, "main.json"), "utf8"));
    expect(stamp.encoding).toBe("latin1");
    expect(Object.keys(stamp.inputs).filter((f) => /archiver|readable-stream|glob/.test(f))).toEqual(["scripts/bundle/archiver.cjs"]);
    // (A node_modules that is a symlink, as in a git worktree, shows as its real path.)
    expect(Object.keys(stamp.inputs)).toEqual(expect.arrayContaining(["main.ts", "config/load.ts", expect.stringMatching(/(^|\/)node_modules\/cdktf\/package\.json$/), "tsconfig.json"]));
  }, 120_000);

  test("every command's bundle is ASCII, so it is read as latin1 (a non-ASCII character in a regex literal makes it utf8: write it as \\uXXXX)", () => {
    const cache = path.join(tempDir("launcher-"), "cache");
    for (const entry of ["cli/validate.ts", "cli/review.ts", "cli/import.ts", "cli/schema.ts"]) {
      const r = spawnSync(process.execPath, ["scripts/run.cjs", entry, "--help"], {
        cwd: REPO_ROOT,
        env: { ...process.env, GATEWAY_BUNDLE_CACHE: cache, GATEWAY_NO_BUNDLE: "" },
        encoding: "utf8",
      });
      expect({ entry, status: r.status }).toEqual({ entry, status: 0 });
      expect({ entry, encoding: JSON.parse(fs.readFileSync(path.join(cache, `${launcher.slugOf(entry)}.json`), "utf8")).encoding }).toEqual({ entry, encoding: "latin1" });
    }
  }, 120_000);
});
