#!/usr/bin/env node
/**
 * `node scripts/run.cjs <entry.ts> [args...]`: runs one of this project's TypeScript entry points
 * (main.ts, cli/validate.ts, ...) as `node --require tsx/cjs <entry.ts> [args...]` would, with
 * the same output, exit code and `require.main === module`, in about half the start-up time.
 *
 * Why: `npm run synth` on the example config spent two thirds of its time loading modules (about
 * 660 files through tsx's on-the-fly compiler and Node's resolver). Here the entry and everything
 * it imports are bundled once with esbuild (the compiler tsx itself uses, with the same
 * tsconfig) into one file under node_modules/.cache/ai-gateway-stack/, and V8's code cache for
 * that file is kept beside it.
 *
 * When the cache is used: its stamp lists every input file of the bundle (from esbuild's metafile)
 * with its mtime and size, plus tsconfig.json, package.json and esbuild's own package.json. Any
 * change to one of them, a Node upgrade, or a missing or unreadable cache file rebuilds it (about
 * 0.3 s). Every cache file is written to a temporary name and renamed, so concurrent runs and
 * killed runs never see half a file; a cache that cannot be written is not an error (the bundle
 * runs from memory).
 *
 * Falls back to tsx (the previous way, same behaviour, slower start) when esbuild is missing, when
 * bundling fails (tsx then reports the compile error in its own words), or when
 * GATEWAY_NO_BUNDLE=1 is set: use that to debug with stack traces that point at the .ts files.
 * GATEWAY_BUNDLE_CACHE=DIR moves the cache.
 */
"use strict";
const fs = require("fs");
const Module = require("module");
const path = require("path");
const vm = require("vm");

const ROOT = path.resolve(__dirname, "..");
/** Bump when the build options or the stamp's shape change: older stamps are then stale. */
const FORMAT = 2;
/** The bundle is compiled as this function, as Node compiles a CommonJS module (`Module.wrap`). */
const WRAPPER = ["(function (exports, require, module, __filename, __dirname) {", "\n})"];
/**
 * Packages replaced in the bundle by a stand-in that loads the real one on first use: see each
 * file in scripts/bundle/ for why.
 */
const LAZY_PACKAGES = { archiver: "./scripts/bundle/archiver.cjs" };
/** Files that change what esbuild produces without being inputs of the bundle. */
const BUILD_CONFIG_FILES = ["tsconfig.json", "package.json", "node_modules/esbuild/package.json"];

/** `cli/validate.ts` -> `cli-validate`: the cache files' prefix for one entry. */
function slugOf(entryRel) {
  return entryRel.replace(/\.ts$/, "").replace(/[^A-Za-z0-9]+/g, "-");
}

function cacheDirOf(env) {
  return env.GATEWAY_BUNDLE_CACHE ? path.resolve(env.GATEWAY_BUNDLE_CACHE) : path.join(ROOT, "node_modules", ".cache", "ai-gateway-stack");
}

/** [mtimeMs, size] of a file relative to ROOT, or null if it cannot be read. */
function statOf(rel) {
  const s = fs.statSync(path.join(ROOT, rel), { throwIfNoEntry: false });
  return s === undefined ? null : [s.mtimeMs, s.size];
}

/**
 * The file whose stat stands for an input: the input itself in the project; for a file of an
 * installed package, that package's package.json (npm rewrites it on every install or update of
 * the package), which keeps the check at about 200 stats instead of 650. A file edited by hand
 * inside node_modules is therefore not noticed: delete node_modules/.cache/ai-gateway-stack, or
 * run with GATEWAY_NO_BUNDLE=1.
 */
function witnessOf(rel) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(rel);
  return m === null ? rel : `${m[1]}/package.json`;
}

function readStamp(file) {
  try {
    const stamp = JSON.parse(fs.readFileSync(file, "utf8"));
    return stamp && typeof stamp === "object" && typeof stamp.bundle === "string" && stamp.inputs && typeof stamp.inputs === "object" ? stamp : null;
  } catch {
    return null;
  }
}

/** True when the stamp was written by this launcher, this Node, from inputs that have not changed since. */
function isFresh(stamp) {
  if (!stamp || stamp.format !== FORMAT || stamp.node !== process.version) return false;
  for (const [rel, recorded] of Object.entries(stamp.inputs)) {
    const now = statOf(rel);
    if (now === null ? recorded !== null : recorded === null || now[0] !== recorded[0] || now[1] !== recorded[1]) return false;
  }
  return true;
}

/** Writes `data` to `file` by way of a temporary file and rename(2); false if it could not. */
function writeAtomic(file, data) {
  const tmp = `${file}.tmp-${process.pid}-${require("crypto").randomBytes(4).toString("hex")}`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
    return true;
  } catch {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // nothing was written
    }
    return false;
  }
}

/**
 * True when an input was modified between `startedMs` and `endedMs` (while the build ran): the
 * bundle may hold the old content while the stamp would record the new mtime, so it must not be
 * cached. A file dated in the future (clock skew, an unpacked archive) is not an edit.
 */
function editedSince(inputs, startedMs, endedMs) {
  return Object.values(inputs).some((stat) => stat !== null && stat[0] >= startedMs && stat[0] <= endedMs);
}

/**
 * Bundles `entryRel` with esbuild; returns { code, stamp, cacheable } or null when esbuild is
 * missing or the build fails. The inputs are known only after the build, so they are stat'ed
 * then; `cacheable` is false when one was edited while the build ran (the bundle still runs).
 */
function build(entryRel, bundleDir) {
  let esbuild;
  try {
    esbuild = require("esbuild");
  } catch {
    return null;
  }
  const started = Date.now();
  const before = Object.fromEntries(BUILD_CONFIG_FILES.map((rel) => [rel, statOf(rel)]));
  const crypto = require("crypto");
  let result;
  try {
    result = esbuild.buildSync({
      absWorkingDir: ROOT,
      entryPoints: [entryRel],
      bundle: true,
      platform: "node",
      format: "cjs",
      target: `node${process.versions.node.split(".")[0]}`,
      // Class and function names stay as written (cdktf and our errors print some of them).
      keepNames: true,
      // A third smaller to read and parse; for stack traces that point at the .ts files, GATEWAY_NO_BUNDLE=1.
      minifyWhitespace: true,
      // Non-ASCII characters are written as escapes (esbuild's default), so the file is read as latin1.
      charset: "ascii",
      alias: LAZY_PACKAGES,
      banner: { js: WRAPPER[0] },
      footer: { js: WRAPPER[1] },
      metafile: true,
      write: false,
      outfile: path.join(bundleDir, `${slugOf(entryRel)}.js`),
      logLevel: "silent",
    });
  } catch {
    return null;
  }
  const inputs = { ...before };
  for (const rel of Object.keys(result.metafile.inputs).sort()) inputs[witnessOf(rel)] ??= statOf(witnessOf(rel));
  const code = result.outputFiles[0].text;
  const hash = crypto.createHash("sha256").update(code).digest("hex").slice(0, 16);
  // latin1 reads twice as fast as utf8 and is the same text for ASCII.
  const encoding = /[^\x00-\x7f]/.test(code) ? "utf8" : "latin1";
  const stamp = { format: FORMAT, node: process.version, entry: entryRel, bundle: `${slugOf(entryRel)}-${hash}.js`, encoding, inputs };
  return { code, stamp, cacheable: !editedSince(inputs, started, Date.now()) };
}

/** Removes this entry's cache files other than `keep` (left by earlier builds); best effort. */
function removeOldBundles(dir, slug, keep) {
  let names;
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  // Exactly this slug: `cli` must not remove `cli-validate`'s files.
  const ours = new RegExp(`^${slug}-[0-9a-f]{16}\\.js(\\.[0-9a-f]{8}\\.v8cache)?$`);
  for (const name of names) {
    if (!ours.test(name) || name.startsWith(keep)) continue;
    try {
      fs.unlinkSync(path.join(dir, name));
    } catch {
      // another run removed it, or it is not ours to remove
    }
  }
}

/**
 * Why `dir` must not hold a cache we run code from, or null when it may: the code in it runs as
 * this user, so a directory another user can write to (GATEWAY_BUNDLE_CACHE=/tmp/x, say) could
 * plant a bundle. A missing directory is fine (it is created for this user).
 */
function unsafeCacheDir(dir) {
  let s;
  try {
    s = fs.lstatSync(dir, { throwIfNoEntry: false });
  } catch {
    return null; // unreachable (a file as a parent, say): it cannot be created either, so nothing is read or written
  }
  if (s === undefined) return null;
  if (!s.isDirectory()) return "it is not a directory";
  if (typeof process.getuid === "function" && s.uid !== process.getuid()) return "it belongs to another user";
  if (process.platform !== "win32" && (s.mode & 0o022) !== 0) return "other users can write to it (chmod go-w)";
  return null;
}

/** The bundle's code for `entryRel`, from the cache when fresh, else built (and cached when possible). */
function loadBundle(entryRel, dir) {
  const unsafe = unsafeCacheDir(dir);
  if (unsafe !== null) {
    process.stderr.write(`scripts/run.cjs: not using the bundle cache ${dir}: ${unsafe}; building in memory\n`);
    const built = build(entryRel, dir);
    return built === null ? null : { file: path.join(dir, built.stamp.bundle), code: built.code };
  }
  const slug = slugOf(entryRel);
  const stampFile = path.join(dir, `${slug}.json`);
  const stamp = readStamp(stampFile);
  if (isFresh(stamp) && /^[A-Za-z0-9-]+-[0-9a-f]{16}\.js$/.test(stamp.bundle)) {
    try {
      const file = path.join(dir, stamp.bundle);
      return { file, code: fs.readFileSync(file, stamp.encoding === "latin1" ? "latin1" : "utf8") };
    } catch {
      // removed by a concurrent rebuild: build it again
    }
  }
  const built = build(entryRel, dir);
  if (built === null) return null;
  const file = path.join(dir, built.stamp.bundle);
  if (!built.cacheable) return { file, code: built.code };
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  } catch {
    return { file, code: built.code };
  }
  // The bundle before the stamp that names it: a reader never finds a stamp without its bundle.
  if (writeAtomic(file, built.code) && writeAtomic(stampFile, `${JSON.stringify(built.stamp, null, 1)}\n`)) removeOldBundles(dir, slug, built.stamp.bundle);
  return { file, code: built.code };
}

/** FNV-1a of a string, as 8 hex digits. */
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

/**
 * Runs the bundle as the main module: `require.main === module`, `process.argv[1]` is the
 * entry, bare requires resolve from the project root. V8's code cache for the bundle is read
 * from `<bundle>.<flags>.v8cache` and written at exit when missing or rejected (a new Node or
 * V8). V8 rejects a cache made under other flags (`--expose-gc`, `--cpu-prof`), so each set of
 * node flags has its own file instead of two commands rewriting one.
 */
function runBundle(bundle, entryAbs, args) {
  const cacheFile = `${bundle.file}.${fnv1a(process.execArgv.join("\0"))}.v8cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(bundle.code, { filename: bundle.file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once("exit", () => writeAtomic(cacheFile, script.createCachedData()));
  }
  const mod = new Module(entryAbs, null);
  mod.filename = entryAbs;
  mod.paths = Module._nodeModulePaths(ROOT);
  const req = Module.createRequire(path.join(ROOT, "package.json"));
  req.main = mod;
  process.mainModule = mod;
  process.argv = [process.argv[0], entryAbs, ...args];
  script.runInThisContext().call(mod.exports, mod.exports, req, mod, entryAbs, path.dirname(entryAbs));
  mod.loaded = true;
}

/** `node --require tsx/cjs <entry> args...`, in this process. */
function runWithTsx(entryAbs, args) {
  require("tsx/cjs");
  process.argv = [process.argv[0], entryAbs, ...args];
  Module.runMain(entryAbs);
}

/** The entry as a path relative to ROOT, or an error message when it is not a .ts file of the project. */
function entryOf(arg) {
  if (typeof arg !== "string" || !arg.endsWith(".ts")) return { error: "usage: node scripts/run.cjs <entry.ts> [args...]" };
  const abs = path.resolve(ROOT, arg);
  const rel = path.relative(ROOT, abs);
  if (rel.startsWith("..") || path.isAbsolute(rel) || rel.split(path.sep).includes("node_modules")) {
    return { error: `scripts/run.cjs: ${arg} is not inside the project (${ROOT})` };
  }
  if (!fs.existsSync(abs)) return { error: `scripts/run.cjs: ${arg}: no such file` };
  return { rel: rel.split(path.sep).join("/"), abs };
}

function main() {
  const [arg, ...args] = process.argv.slice(2);
  const entry = entryOf(arg);
  if (entry.error) {
    process.stderr.write(`${entry.error}\n`);
    process.exitCode = 2;
    return;
  }
  if (process.env.GATEWAY_NO_BUNDLE === "1") return runWithTsx(entry.abs, args);
  const bundle = loadBundle(entry.rel, cacheDirOf(process.env));
  if (bundle === null) return runWithTsx(entry.abs, args);
  return runBundle(bundle, entry.abs, args);
}

if (require.main === module) main();

module.exports = { slugOf, isFresh, readStamp, entryOf, witnessOf, editedSince, FORMAT };
