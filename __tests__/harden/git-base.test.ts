/**
 * The review's base ref is untrusted: a pull request can commit a tree with entries named `..`,
 * symlinks and submodules. The base config is read from git into memory; nothing is written,
 * and only regular-file blobs at the config's own paths are used.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runReview } from "../../cli/review";
import { configAtRef, isSafeRelativePath } from "../../review/git-base";
import { MINIMAL_ENV, MINIMAL_GATEWAY } from "../helpers";
import { git, repoWith } from "../review/scenario";

function hashObject(repo: string, content: string): string {
  const r = spawnSync("git", ["hash-object", "-w", "--stdin"], { cwd: repo, input: content, encoding: "utf8" });
  return r.stdout.trim();
}

function mktree(repo: string, entries: ReadonlyArray<[mode: string, type: string, id: string, name: string]>): string {
  const input = entries.map(([mode, type, id, name]) => `${mode} ${type} ${id}\t${name}\n`).join("");
  const r = spawnSync("git", ["mktree"], { cwd: repo, input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git mktree: ${r.stderr}`);
  return r.stdout.trim();
}

/**
 * A repository whose working tree has a valid config/, and a crafted commit whose config/
 * holds, next to valid files: `environments/../../<escape>` (two tree entries named `..`), a
 * symlink `environments/prod.yaml`, and a submodule `environments/sub.yaml`.
 */
function hostileRepo(escape: string): { repo: string; commit: string } {
  const repo = repoWith({ "config/gateway.yaml": MINIMAL_GATEWAY, "config/environments/dev.yaml": MINIMAL_ENV });
  const head = git(repo, "rev-parse", "HEAD").trim();
  const gateway = hashObject(repo, MINIMAL_GATEWAY);
  const dev = hashObject(repo, MINIMAL_ENV);
  const evil = hashObject(repo, "pwned: true\n");
  const link = hashObject(repo, "../../../../../../etc/hostname");
  const up1 = mktree(repo, [["100644", "blob", evil, escape]]);
  const up2 = mktree(repo, [["040000", "tree", up1, ".."]]);
  const envs = mktree(repo, [
    ["040000", "tree", up2, ".."],
    ["100644", "blob", dev, "dev.yaml"],
    ["120000", "blob", link, "prod.yaml"],
    ["160000", "commit", head, "sub.yaml"],
  ]);
  const config = mktree(repo, [
    ["040000", "tree", envs, "environments"],
    ["100644", "blob", gateway, "gateway.yaml"],
  ]);
  const root = mktree(repo, [["040000", "tree", config, "config"]]);
  const commit = git(repo, "commit-tree", root, "-p", head, "-m", "hostile").trim();
  return { repo, commit };
}

test("a base tree with `..` entries, a symlink and a submodule: nothing written anywhere, each refused by name", () => {
  const escape = `pwned-${process.pid}-${Date.now()}.yaml`;
  const { repo, commit } = hostileRepo(escape);
  // The old materializer wrote environments/../../<escape> next to its temporary directory.
  const tmpBefore = fs.readdirSync(os.tmpdir());
  let stderr = "";
  const code = runReview(["--base", commit, "--config", path.join(repo, "config"), "--format", "json"], {}, { stdout: () => undefined, stderr: (t) => (stderr += t) });
  expect(fs.existsSync(path.join(os.tmpdir(), escape))).toBe(false);
  expect(fs.readdirSync(os.tmpdir()).filter((n) => !tmpBefore.includes(n) && n.startsWith("gateway-review-base-"))).toEqual([]);
  expect(fs.existsSync(path.join(path.dirname(repo), escape))).toBe(false);
  // The base does not validate (its odd entries are problems), so the review asks for a sign-off.
  expect(code).toBe(2);
  expect(stderr).toContain(`base: ${commit}:config/environments/prod.yaml:1:1 (file): it is a symlink in git, expected a regular YAML file: commit the file itself\n`);
  expect(stderr).toContain(`base: ${commit}:config/environments/sub.yaml:1:1 (file): it is a git submodule, expected a regular YAML file\n`);
  expect(stderr).not.toContain("pwned");
});

test("the base's files are size-capped like the working tree's (checked from the tree, before reading the blob)", () => {
  const repo = repoWith({ "config/gateway.yaml": MINIMAL_GATEWAY, "config/environments/dev.yaml": MINIMAL_ENV });
  const at = configAtRef(path.join(repo, "config"), "HEAD", { GATEWAY_MAX_CONFIG_BYTES: "100" });
  expect(at.result?.problems.map((p) => `${p.location.file}: ${p.message}`)).toEqual([
    `HEAD:config/gateway.yaml: it is ${Buffer.byteLength(MINIMAL_GATEWAY)} bytes, more than the 100-byte limit for a config file: split it, or raise the limit with GATEWAY_MAX_CONFIG_BYTES`,
  ]);
});

test("a clean base loads from memory with ref:path file names", () => {
  const repo = repoWith({ "config/gateway.yaml": MINIMAL_GATEWAY, "config/environments/dev.yaml": MINIMAL_ENV });
  const at = configAtRef(path.join(repo, "config"), "HEAD");
  expect(at.label).toBe("HEAD:config/");
  expect(at.result?.problems).toEqual([]);
  expect(at.result?.environments.map((e) => e.config.name)).toEqual(["dev"]);
});

test.each([
  ["environments/dev.yaml", true],
  ["gateway.yaml", true],
  ["environments/../x.yaml", false],
  ["..", false],
  ["./gateway.yaml", false],
  ["/etc/passwd", false],
  ["environments//dev.yaml", false],
  ["environments\\..\\x.yaml", false],
])("isSafeRelativePath(%s) = %s", (rel, safe) => {
  expect(isSafeRelativePath(rel)).toBe(safe);
});
