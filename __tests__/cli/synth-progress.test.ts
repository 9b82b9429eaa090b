/**
 * Progress of `npm run synth`: one line per environment on stderr, always with --progress, on a
 * terminal only once the run takes 2 s, never on a pipe unless asked; stdout's summary unchanged.
 */
import * as path from "path";
import { PROGRESS_AFTER_SECONDS, progressReporter, runSynth } from "../../cli/synth";
import { MINIMAL_ENV, MINIMAL_GATEWAY, tempDir, writeTree } from "../helpers";

function capture(isTTY = false): { write(s: string): void; text: string; isTTY: boolean } {
  return { text: "", isTTY, write(s: string) { this.text += s; } };
}

describe("progressReporter", () => {
  test("--progress prints, terminal or not, early or late", () => {
    for (const tty of [false, true]) {
      const err = capture(tty);
      progressReporter(err, true, () => 0)("line");
      expect(err.text).toBe("line\n");
    }
  });

  test("a pipe or a file stays silent unless asked", () => {
    const err = capture(false);
    progressReporter(err, false, () => 600)("line");
    expect(err.text).toBe("");
  });

  test(`a terminal gets progress once the run has taken ${PROGRESS_AFTER_SECONDS} s`, () => {
    let now = 0.5;
    const err = capture(true);
    const report = progressReporter(err, false, () => now);
    report("early");
    now = PROGRESS_AFTER_SECONDS + 0.1;
    report("late");
    expect(err.text).toBe("late\n");
  });
});

describe("npm run synth --progress", () => {
  const config = writeTree({
    "gateway.yaml": MINIMAL_GATEWAY,
    "environments/dev.yaml": MINIMAL_ENV,
    "environments/prod.yaml": MINIMAL_ENV,
  });

  test("one stderr line per environment, in order; stdout keeps its summary", () => {
    const outdir = path.join(tempDir("progress-"), "out");
    const out = capture();
    const err = capture();
    expect(runSynth(["--config", config, "--progress"], { CDKTF_OUTDIR: outdir }, out, err)).toBe(0);
    expect(err.text).toMatch(/^validated 2 environment\(s\), 2 endpoint\(s\) in \d+\.\d s; synthesizing\n {2}\[1\/2\] gateway-dev: 1 endpoint in \d+\.\d s\n {2}\[2\/2\] gateway-prod: 1 endpoint in \d+\.\d s\n$/);
    expect(out.text).toMatch(
      new RegExp(`^  gateway-dev: 1 endpoint -> ${outdir}/stacks/gateway-dev/cdk.tf.json\\n  gateway-prod: 1 endpoint -> ${outdir}/stacks/gateway-prod/cdk.tf.json\\nSynthesized 2 environment\\(s\\) from ${config} in \\d+\\.\\d\\d s\\.\\n$`),
    );
  });

  test("without --progress and not on a terminal: nothing on stderr", () => {
    const err = capture();
    expect(runSynth(["--config", config], { CDKTF_OUTDIR: path.join(tempDir("progress-"), "out") }, capture(), err)).toBe(0);
    expect(err.text).toBe("");
  });

  test("--progress takes no value", () => {
    const err = capture();
    expect(runSynth(["--config", config, "--progress=yes"], {}, capture(), err)).toBe(1);
    expect(err.text).toBe('error: --progress takes no value (got "--progress=yes")\n');
  });
});
