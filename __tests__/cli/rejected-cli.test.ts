/**
 * Every input of the rejected-config table through the commands themselves: validate (with
 * annotations) and synth exit 1 with located problems, write nothing and print no stack trace.
 */
import * as fs from "fs";
import * as path from "path";
import { runValidate } from "../../cli/validate";
import { runSynth } from "../../cli/synth";
import { CASES } from "../config/rejected-cases";
import { tempDir, writeTree } from "../helpers";

function capture() {
  const sink = { text: "", write: (t: string) => ((sink.text += t), true) };
  return sink;
}

const STACK_FRAME = /\n\s+at .+[:(]\d+:\d+\)?/;

/** Slow to load (by design: it hits the expansion limit); synth runs the same loader as validate. */
const VALIDATE_ONLY = new Set(["aliases that expand exponentially (billion laughs)"]);

describe("rejected inputs through validate and synth: exit 1, no stack trace, nothing written", () => {
  test.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const dir = writeTree(c.files);
    const out = capture();
    const err = capture();
    expect(runValidate(["--config", dir], { GITHUB_ACTIONS: "true" }, out, err)).toBe(1);
    expect(out.text + err.text).not.toMatch(STACK_FRAME);
    expect(out.text).toMatch(/^::error file=[^,:]*,line=\d+,col=\d+::/m);

    if (VALIDATE_ONLY.has(c.name)) return;
    const outdir = path.join(tempDir("rejected-out-"), "cdktf.out");
    const synthOut = capture();
    const synthErr = capture();
    expect(runSynth(["--config", dir], { CDKTF_OUTDIR: outdir }, synthOut, synthErr)).toBe(1);
    expect(synthOut.text + synthErr.text).not.toMatch(STACK_FRAME);
    expect(synthErr.text).toMatch(/nothing was written\.\n$/);
    expect(fs.existsSync(outdir)).toBe(false);
  });
});
