/**
 * The cdktf app: load and validate every environment, build one stack each, synthesize.
 * Runs directly with node (`npm run synth`) and as cdktf.json's `app` (`cdktf deploy`, `diff`).
 */
import "./stacks/cdktf-internals";
import { runSynth } from "./cli/synth";

process.exitCode = runSynth(process.argv.slice(2), process.env);
