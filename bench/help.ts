/** `npm run bench --help`. */
import type { CommandHelp } from "../cli/args";

export const BENCH_HELP: CommandHelp = {
  usage: "npm run bench [-- --quick] [--large] [--sizes 10,100] [--repeats K] [--profile] [--keep] [--out FILE]",
  summary:
    "Measures synth and review on synthetic configs of N endpoints × 3 environments against the raw-JSON\n" +
    "floor (median of repeats, each phase in its own process); prints a table, writes bench-results.json.",
  flags: [
    { name: "quick", help: "N = 10 and 100 only (under a minute)" },
    { name: "large", help: "add N = 10,000 (one repeat, no review: about ten minutes on a 2-core machine)" },
    { name: "sizes", value: "N,N", help: "the sizes to run (default 10,100,500,1000)" },
    { name: "repeats", value: "K", help: "repeats per figure (default 5; 3 at N >= 500)" },
    { name: "profile", help: "add one node --cpu-prof run of synth at the largest N and print where time goes" },
    { name: "keep", help: "keep the generated configs and outputs in the work directory" },
    { name: "out", value: "FILE", help: "where to write the results (default bench-results.json)" },
  ],
  exitCodes: [
    [0, "measured (targets are reported, not enforced)"],
    [1, "a bad argument, or a phase failed"],
  ],
};
