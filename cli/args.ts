/** The flags every command shares, parsed strictly: an unknown flag is an error, not ignored. */

export interface CommonArgs {
  /** `--config DIR`; undefined when not given. */
  readonly config?: string;
  /** `--strict`: warnings fail the command. */
  readonly strict: boolean;
  /** Flags specific to one command, by name without dashes. */
  readonly extra: Readonly<Record<string, string>>;
  /** The command's own on/off flags that were given (`--progress` → "progress"). */
  readonly flags: readonly string[];
}

export class UsageError extends Error {}

/**
 * Parses `--config DIR`, `--strict`, the command's own value flags (`--base REF`) and on/off
 * flags (`--progress`). Accepts `--flag value` and `--flag=value`.
 */
export function parseArgs(argv: readonly string[], valueFlags: readonly string[] = [], booleanFlags: readonly string[] = []): CommonArgs {
  let config: string | undefined;
  let strict = false;
  const extra: Record<string, string> = {};
  const flags: string[] = [];
  const known = ["config", ...valueFlags];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") ? splitFlag(arg) : [arg, undefined];
    const name = flag.replace(/^--/, "");
    if (flag === "--strict") {
      if (inline !== undefined) throw new UsageError(`--strict takes no value (got "${arg}")`);
      strict = true;
    } else if (flag.startsWith("--") && booleanFlags.includes(name)) {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value (got "${arg}")`);
      if (!flags.includes(name)) flags.push(name);
    } else if (known.includes(name) && flag.startsWith("--")) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`${flag} needs a value`);
      if (name === "config") config = value;
      else extra[name] = value;
    } else {
      const accepted = ["--config DIR", "--strict", ...valueFlags.map((f) => `--${f} VALUE`), ...booleanFlags.map((f) => `--${f}`)];
      throw new UsageError(`unknown argument "${arg}"; accepted: ${accepted.join(", ")}`);
    }
  }
  return { config, strict, extra, flags };
}

function splitFlag(arg: string): [string, string | undefined] {
  const eq = arg.indexOf("=");
  return eq < 0 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}
