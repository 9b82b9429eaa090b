import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { runSchema } from "../../cli/schema";
import { runValidate } from "../../cli/validate";
import { runSynth } from "../../cli/synth";
import { EXAMPLE_CONFIG, MINIMAL_ENV, USER_CONFIG, MINIMAL_GATEWAY, REPO_ROOT, tempDir, writeTree } from "../helpers";

function capture() {
  const sink = { text: "", write: (t: string) => ((sink.text += t), true) };
  return sink;
}

const BROKEN = writeTree({
  "gateway.yaml": `${MINIMAL_GATEWAY}    routing: { fallback: [openai] }\n`,
  "environments/dev.yaml": `${MINIMAL_ENV}protected: true\n`,
});

describe("npm run validate", () => {
  test("clean config: exit 0 and a one-line summary", () => {
    const out = capture();
    const err = capture();
    expect(runValidate(["--config", EXAMPLE_CONFIG], {}, out, err)).toBe(0);
    expect(err.text).toBe("");
    expect(out.text).toBe(`${EXAMPLE_CONFIG}: valid: 3 environment(s) (dev, staging, prod), 11 endpoint(s), 0 errors, 0 warnings\n`);
  });

  test("broken config: every problem as file:line:col path: message, exit 1", () => {
    const out = capture();
    const err = capture();
    expect(runValidate([], { GATEWAY_CONFIG_DIR: BROKEN }, out, err)).toBe(1);
    const lines = err.text.trim().split("\n");
    expect(lines).toEqual([
      expect.stringMatching(/environments\/dev\.yaml:3:1 protected: unknown key "protected"; did you mean "protect"\?$/),
      expect.stringMatching(/gateway\.yaml:10:26 endpoints\.chat\.routing\.fallback: fallback needs at least two served entities \(a primary and a fallback\), got 1$/),
      `${BROKEN}: 2 errors, 0 warnings`,
    ]);
    expect(out.text).toBe("");
  });

  test("in GitHub Actions, problems are also annotations on the line", () => {
    const out = capture();
    runValidate(["--config", BROKEN], { GITHUB_ACTIONS: "true" }, out, capture());
    expect(out.text).toMatch(/^::error file=.*environments\/dev\.yaml,line=3,col=1::protected: unknown key "protected"; did you mean "protect"\?\n::error file=.*gateway\.yaml,line=10,col=26::endpoints\.chat\.routing\.fallback: fallback needs/);
  });

  test("--strict fails on warnings", () => {
    const dir = writeTree({
      "gateway.yaml": MINIMAL_GATEWAY + "    ai_gateway: { usage_tracking: false }\n",
      "environments/dev.yaml": MINIMAL_ENV,
    });
    expect(runValidate(["--config", dir], {}, capture(), capture())).toBe(0);
    const err = capture();
    expect(runValidate(["--config", dir, "--strict"], {}, capture(), err)).toBe(1);
    expect(err.text).toContain("0 errors, 1 warning (--strict: warnings fail)");
  });

  test("--strict takes no value: --strict=false is an error, not strict mode", () => {
    const err = capture();
    expect(runValidate(["--strict=false"], {}, capture(), err)).toBe(1);
    expect(err.text).toBe('error: --strict takes no value (got "--strict=false")\n');
  });

  test("an unknown flag is an error, not ignored", () => {
    const err = capture();
    expect(runValidate(["--conifg", "x"], {}, capture(), err)).toBe(1);
    expect(err.text).toBe('error: unknown argument "--conifg"; accepted: --config DIR, --strict\n');
  });

  test("a missing config directory says how to point at one", () => {
    const err = capture();
    expect(runValidate(["--config", "/nonexistent/cfg"], {}, capture(), err)).toBe(1);
    expect(err.text).toContain("/nonexistent/cfg:1:1 (file): config directory not found");
    expect(err.text).toContain("--config DIR or GATEWAY_CONFIG_DIR");
  });
});

describe("unreadable config files are problems, not crashes", () => {
  test.each([
    ["an environment file that is a directory", { "gateway.yaml": MINIMAL_GATEWAY, "environments/dev.yaml": MINIMAL_ENV, "environments/qa.yaml/x": "" }, "environments/qa.yaml:1:1 (file): it is a directory, expected a YAML file: fix or remove it"],
    ["gateway.yaml that is a directory", { "gateway.yaml/x": "", "environments/dev.yaml": MINIMAL_ENV }, "gateway.yaml:1:1 (file): it is a directory, expected a YAML file: fix or remove it"],
    ["environments that is a file", { "gateway.yaml": MINIMAL_GATEWAY, environments: "x" }, "environments:1:1 (file): cannot read the environments directory: ENOTDIR; it must be a directory of <env>.yaml files"],
  ])("%s", (_name, files, expected) => {
    const dir = writeTree(files);
    const err = capture();
    expect(runValidate(["--config", dir], {}, capture(), err)).toBe(1);
    expect(err.text).toContain(`${dir}/${expected}`);
  });
});

describe("npm run synth", () => {
  test("broken config: exit 1, nothing written, earlier output left exactly as it was", () => {
    const outdir = path.join(tempDir("out-"), "cdktf.out");
    fs.mkdirSync(path.join(outdir, "stacks", "gateway-dev"), { recursive: true });
    fs.writeFileSync(path.join(outdir, "stacks", "gateway-dev", "cdk.tf.json"), "previous");
    const err = capture();
    expect(runSynth(["--config", BROKEN], { CDKTF_OUTDIR: outdir }, capture(), err)).toBe(1);
    expect(err.text).toContain("2 errors, 0 warnings; nothing was written.");
    expect(fs.readFileSync(path.join(outdir, "stacks", "gateway-dev", "cdk.tf.json"), "utf8")).toBe("previous");
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(["cdktf.out"]);
  });

  test("valid config: replaces the output directory whole and lists each stack", () => {
    const outdir = path.join(tempDir("out-"), "cdktf.out");
    fs.mkdirSync(path.join(outdir, "stacks", "gateway-removed"), { recursive: true });
    const out = capture();
    expect(runSynth(["--config", EXAMPLE_CONFIG], { CDKTF_OUTDIR: outdir }, out, capture())).toBe(0);
    expect(fs.readdirSync(path.join(outdir, "stacks")).sort()).toEqual(["gateway-dev", "gateway-prod", "gateway-staging"]);
    expect(out.text).toContain(`  gateway-prod: 4 endpoints -> ${path.join(outdir, "stacks/gateway-prod/cdk.tf.json")}\n`);
    expect(out.text).toMatch(/Synthesized 3 environment\(s\) from .* in \d+\.\d\d s\.\n$/);
    // The earlier directory was adopted as gen-1 and replaced by gen-2; cdktf.out links to it.
    expect(fs.readdirSync(path.dirname(outdir)).sort()).toEqual(["cdktf.out", "cdktf.out.gen-2"]);
    expect(fs.readlinkSync(outdir)).toBe("cdktf.out.gen-2");
  });

  test("the real command: exit code and text of `node main.ts` on a broken config", () => {
    const outdir = path.join(tempDir("out-"), "cdktf.out");
    const run = spawnSync(process.execPath, ["--require", "tsx/cjs", "main.ts", "--config", BROKEN], {
      cwd: REPO_ROOT,
      env: { ...process.env, CDKTF_OUTDIR: outdir },
      encoding: "utf8",
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('protected: unknown key "protected"; did you mean "protect"?');
    expect(fs.existsSync(outdir)).toBe(false);
  });
});

describe("npm run schema", () => {
  test("--check passes on the committed schemas and fails on stale ones", () => {
    expect(runSchema(["--check", "--config", USER_CONFIG], {}, capture(), capture())).toBe(0);
    const dir = writeTree({ "schema/gateway.schema.json": "{}\n" });
    const err = capture();
    expect(runSchema(["--check", "--config", dir], {}, capture(), err)).toBe(1);
    expect(err.text).toContain("gateway.schema.json: out of date with config/schema.ts; run `npm run schema` and commit the result");
    expect(fs.readFileSync(path.join(dir, "schema/gateway.schema.json"), "utf8")).toBe("{}\n");
  });

  test("writes both schemas", () => {
    const dir = tempDir();
    expect(runSchema(["--config", dir], {}, capture(), capture())).toBe(0);
    expect(fs.readdirSync(path.join(dir, "schema")).sort()).toEqual(["environment.schema.json", "gateway.schema.json"]);
  });
});
