/** `npm run synth --help`: declared here so the synth command (and cdktf.json's app) share it. */
import { CommandHelp, CONFIG_FLAG, STRICT_FLAG } from "./args";

export const SYNTH_HELP: CommandHelp = {
  usage: "npm run synth [-- --config DIR] [--strict]",
  summary:
    "Validates every environment, then writes one Terraform stack per environment to\n" +
    "cdktf.out/stacks/gateway-<env>/cdk.tf.json ($CDKTF_OUTDIR when the cdktf CLI runs it), replacing\n" +
    "the output whole; copies each committed locks/gateway-<env>.terraform.lock.hcl into its stack.",
  flags: [CONFIG_FLAG, STRICT_FLAG],
  exitCodes: [
    [0, "synthesized (warnings are printed but pass)"],
    [1, "any error (or a warning with --strict), or a bad argument: nothing is written"],
  ],
};
