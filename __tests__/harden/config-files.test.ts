/**
 * Config files are read only when they are regular files inside the config directory (after
 * resolving symlinks) and within the size cap; anything else is a located error, never a hang,
 * a crash, or a value from an outside file echoed back.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { runValidate } from "../../cli/validate";
import { REPO_ROOT, tempDir } from "../helpers";

const FIXTURE = path.join(REPO_ROOT, "__tests__/fixtures/harden/config");

/** A writable copy of the tiny fixture config. */
function copyFixture(): string {
  const dir = path.join(tempDir("harden-cfg-"), "config");
  fs.cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

function validate(dir: string, env: NodeJS.ProcessEnv = {}): { code: number; err: string; out: string } {
  let err = "";
  let out = "";
  const code = runValidate(["--config", dir], env, { write: (t: string) => (out += t) }, { write: (t: string) => (err += t) });
  return { code, err, out };
}

/** `npm run validate` in a child process with a timeout: a hang fails the test instead of the suite. */
function validateInChild(dir: string): { status: number | null; signal: string | null; stderr: string } {
  const r = spawnSync(process.execPath, ["--require", "tsx/cjs", "cli/validate.ts", "--config", dir], { cwd: REPO_ROOT, encoding: "utf8", timeout: 20_000 });
  return { status: r.status, signal: r.signal, stderr: r.stderr };
}

test("the fixture itself is valid", () => {
  expect(validate(copyFixture()).code).toBe(0);
});

describe("symlinks", () => {
  test("an environment file linked to a YAML file outside the config directory: refused, and its token never echoed", () => {
    const dir = copyFixture();
    const outside = path.join(tempDir("outside-"), "secrets.yaml");
    const token = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB";
    fs.writeFileSync(outside, `workspace:\n  host: https://dbc-1.cloud.databricks.com\nprotect: ${token}\n`);
    fs.symlinkSync(outside, path.join(dir, "environments/prod.yaml"));
    const { code, err } = validate(dir);
    expect(code).toBe(1);
    expect(err).toContain(`${dir}/environments/prod.yaml:1:1 (file): it is a symlink to ${outside}, outside the config directory ${fs.realpathSync(dir)}: config files must be inside it; copy the file in instead of linking it`);
    expect(err).not.toContain("ghp_");
  });

  test("a link to a file inside the config directory is fine (a shared environment file)", () => {
    const dir = copyFixture();
    fs.symlinkSync("dev.yaml", path.join(dir, "environments/staging.yaml"));
    expect(validate(dir).out).toContain("valid: 2 environment(s) (dev, staging)");
  });

  test("the config directory itself may be a link: files are checked against where it resolves", () => {
    const dir = copyFixture();
    const link = path.join(tempDir("link-"), "cfg");
    fs.symlinkSync(dir, link);
    expect(validate(link).code).toBe(0);
  });

  test("environments/ linked to a directory outside: refused", () => {
    const dir = copyFixture();
    const outside = tempDir("outside-envs-");
    fs.cpSync(path.join(dir, "environments"), outside, { recursive: true });
    fs.rmSync(path.join(dir, "environments"), { recursive: true });
    fs.symlinkSync(outside, path.join(dir, "environments"));
    const { code, err } = validate(dir);
    expect(code).toBe(1);
    expect(err).toContain(`${dir}/environments:1:1 (file): it is a symlink to ${fs.realpathSync(outside)}, outside the config directory`);
  });

  test("a dangling link and a link loop are located errors", () => {
    const dir = copyFixture();
    fs.symlinkSync("missing.yaml", path.join(dir, "environments/qa.yaml"));
    fs.symlinkSync("loop.yaml", path.join(dir, "environments/loop.yaml"));
    const { err } = validate(dir);
    expect(err).toContain(`${dir}/environments/qa.yaml:1:1 (file): it is a symlink to a file that does not exist: fix the link or replace it with the file`);
    expect(err).toContain(`${dir}/environments/loop.yaml:1:1 (file): it is a symlink loop: replace it with a regular YAML file`);
  });
});

describe("special and huge files", () => {
  test("gateway.yaml linked to /dev/zero and an environment file that is a FIFO: located errors at once, no hang, no out-of-memory abort", () => {
    // One child process for both (a hang or abort fails the test instead of the whole suite).
    const dir = copyFixture();
    fs.rmSync(path.join(dir, "gateway.yaml"));
    fs.symlinkSync("/dev/zero", path.join(dir, "gateway.yaml"));
    const fifo = spawnSync("mkfifo", [path.join(dir, "environments/qa.yaml")]).status === 0;
    const run = validateInChild(dir);
    expect({ status: run.status, signal: run.signal }).toEqual({ status: 1, signal: null });
    expect(run.stderr).toContain(`${dir}/gateway.yaml:1:1 (file): it is a symlink to /dev/zero, outside the config directory`);
    if (fifo) expect(run.stderr).toContain(`${dir}/environments/qa.yaml:1:1 (file): it is a FIFO (named pipe), expected a regular YAML file: replace it with a file`);
    expect(run.stderr).not.toMatch(/bad_alloc|\n\s+at /);
  });

  test("a file over the 16 MiB cap is refused before reading (a sparse file: no disk used)", () => {
    const dir = copyFixture();
    const huge = path.join(dir, "environments/big.yaml");
    const fd = fs.openSync(huge, "w");
    fs.ftruncateSync(fd, 16 * 1024 * 1024 + 1);
    fs.closeSync(fd);
    const { code, err } = validate(dir);
    expect(code).toBe(1);
    expect(err).toContain(`${dir}/environments/big.yaml:1:1 (file): it is 16777217 bytes, more than the 16777216-byte limit for a config file: split it, or raise the limit with GATEWAY_MAX_CONFIG_BYTES`);
  });

  test("GATEWAY_MAX_CONFIG_BYTES sets the cap; a value that is not a byte count is an error", () => {
    const dir = copyFixture();
    const size = fs.statSync(path.join(dir, "environments/dev.yaml")).size;
    expect(validate(dir, { GATEWAY_MAX_CONFIG_BYTES: String(size - 1) }).err).toContain(`environments/dev.yaml:1:1 (file): it is ${size} bytes, more than the ${size - 1}-byte limit`);
    expect(validate(dir, { GATEWAY_MAX_CONFIG_BYTES: "1000000" }).code).toBe(0);
    expect(validate(dir, { GATEWAY_MAX_CONFIG_BYTES: "16MB" }).err).toContain(`${dir}:1:1 (file): GATEWAY_MAX_CONFIG_BYTES must be a positive whole number of bytes, got "16MB"; unset it for the default (16777216)`);
  });
});
