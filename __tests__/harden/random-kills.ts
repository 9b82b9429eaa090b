/**
 * `npm run test:faults [-- N]` (default 50): N SIGKILLs of the output replacement at random
 * instants. After each, cdktf.out must be the previous or the new complete output; the run after
 * must complete and leave no debris. Prints the tally; exit 1 on any violation.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compileDriver, debris, generationOf, runDriver, runDriverKilledAfter, writeGeneration } from "./fault-kit";

async function main(): Promise<number> {
  const kills = Number(process.argv[2] ?? 50);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "gateway-random-kills-"));
  try {
    const driver = compileDriver(root);
    const outdir = path.join(root, "project", "cdktf.out");
    writeGeneration(outdir, 1);
    const calibration = await runDriverKilledAfter(driver, outdir, 2, 60_000);
    if (calibration.status !== 0) throw new Error(`calibration run failed: ${calibration.stderr}`);
    const runMs = Math.max(10, calibration.workMs);
    let previous = 2;
    const tally = { killedBeforePublish: 0, killedAfterPublish: 0, finished: 0, violations: 0 };
    for (let i = 0; i < kills; i++) {
      const g = previous + 1;
      const run = await runDriverKilledAfter(driver, outdir, g, Math.floor(Math.random() * runMs * 1.2));
      const after = generationOf(outdir, [previous, g]);
      if (typeof after === "string") {
        tally.violations++;
        console.error(`kill ${i + 1}: ${after}`);
      } else if (run.signal !== "SIGKILL") tally.finished++;
      else if (after === previous) tally.killedBeforePublish++;
      else tally.killedAfterPublish++;
      const next = g + 1;
      const recovery = runDriver(driver, outdir, next);
      const left = debris(outdir);
      if (recovery.status !== 0 || generationOf(outdir, [next]) !== next || left.length > 0) {
        tally.violations++;
        console.error(`run after kill ${i + 1}: exit ${recovery.status} ${recovery.stderr.trim()}; debris: ${left.join(", ") || "none"}`);
      }
      previous = next;
    }
    console.log(`${kills} random kills (run ≈ ${runMs} ms): ${JSON.stringify(tally)}`);
    return tally.violations === 0 ? 0 : 1;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().then((code) => (process.exitCode = code));
