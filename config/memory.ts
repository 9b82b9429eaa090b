/**
 * Memory of large runs. V8 sizes its heap to the memory the machine has and collects late: after
 * each full collection it lets the heap grow to up to four times what survived before the next
 * one. At 10,000 endpoints × 3 environments, with live sets of 200–400 MiB, that overshoot, not
 * the data, made the peak RSS (1.0–1.3 GiB).
 *
 * Two controls, both only for large configs:
 * - `limitHeapGrowth`: once a config file of `LARGE_CONFIG_BYTES` or more is read, the heap may
 *   grow by `HEAP_GROWING_PERCENT` over the last live set instead (V8's `--heap-growing-percent`,
 *   which V8 reads at each collection, so it applies when set at run time). Measured at
 *   10,000 × 3: `npm run synth` peak RSS from about 870 to 570–710 MiB on a loaded 2-core machine,
 *   with no more CPU time (less memory touched makes up for the extra collections).
 * - `collectGarbageIfLarge`: between the phases of a run (gateway.yaml parsed, the config loaded,
 *   a stack written), what the phase allocated is garbage; a full
 *   collection there keeps the peak near the largest phase. It needs `node --expose-gc` (the npm
 *   scripts and cdktf.json's `app` pass it); without it this does nothing. Small heaps are left
 *   alone: a collection costs time and saves nothing there. (Not after each environment is
 *   validated: with the growth limit, those collections, 0.3–0.6 s each at 10,000 × 3, no longer
 *   lowered the peak.)
 */
import { getHeapStatistics, setFlagsFromString } from "v8";

/** Below this heap size a collection is not worth its time. */
const LARGE_HEAP_BYTES = 256 * 1024 * 1024;

export function collectGarbageIfLarge(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc && getHeapStatistics().used_heap_size > LARGE_HEAP_BYTES) gc();
}

/** A config file this large makes a run large (about 1,000 endpoints in gateway.yaml). */
export const LARGE_CONFIG_BYTES = 1024 * 1024;

/**
 * How far the heap may grow past the last live set, in percent. Lower keeps the peak closer to
 * the live set but collects more often (measured at 10,000 × 3: 15 % cost CPU time, 30–50 % did not).
 */
export const HEAP_GROWING_PERCENT = 30;

let heapGrowthLimited = false;

/** Limits V8's heap growth for the rest of the process (once; later calls do nothing). */
export function limitHeapGrowth(): void {
  if (heapGrowthLimited) return;
  heapGrowthLimited = true;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
