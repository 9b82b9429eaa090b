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

// ---- --help ------------------------------------------------------------------------------

/** One flag of a command, for its `--help`: `--name VALUE`, and what it does in one line. */
export interface FlagHelp {
  /** Without dashes: "config". */
  readonly name: string;
  /** The value's placeholder ("DIR"); none for an on/off flag. */
  readonly value?: string;
  readonly help: string;
}

/** What a command's `--help`/`-h` prints: usage, what it does, flags (one line each), exit codes. */
export interface CommandHelp {
  /** `npm run review -- --base REF [options]`. */
  readonly usage: string;
  /** What the command does, one or two sentences. */
  readonly summary: string;
  readonly flags: readonly FlagHelp[];
  /** Exit code → when. */
  readonly exitCodes: ReadonlyArray<readonly [number, string]>;
  /** Optional lines after the exit codes (examples, where to read more). */
  readonly more?: string;
}

export const CONFIG_FLAG: FlagHelp = {
  name: "config",
  value: "DIR",
  help: "config directory (default: config/, or $GATEWAY_CONFIG_DIR); a relative DIR is read from where you ran the command",
};
export const STRICT_FLAG: FlagHelp = { name: "strict", help: "warnings fail the command too" };
export const HELP_FLAG: FlagHelp = { name: "help", help: "print this help and exit 0 (also -h)" };

/** True when the arguments ask for help: `--help` or `-h` anywhere. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.some((a) => a === "--help" || a === "-h");
}

/** The `--help` text: usage, summary, one line per flag (aligned), exit codes. */
export function renderHelp(help: CommandHelp): string {
  const flags = [...help.flags, HELP_FLAG].map((f) => [`--${f.name}${f.value ? ` ${f.value}` : ""}`, f.help] as const);
  const width = Math.max(...flags.map(([f]) => f.length));
  const lines = [
    `Usage: ${help.usage}`,
    "",
    help.summary,
    "",
    "Options:",
    ...flags.map(([f, text]) => `  ${f.padEnd(width)}  ${text}`),
    "",
    "Exit codes:",
    ...help.exitCodes.map(([code, when]) => `  ${code}  ${when}`),
  ];
  if (help.more) lines.push("", help.more.trimEnd());
  return `${lines.join("\n")}\n`;
}

/** Prints the help on `out` when asked for; the command then returns 0 without doing anything else. */
export function printHelpIfAsked(argv: readonly string[], help: CommandHelp, out: { write(text: string): unknown }): boolean {
  if (!wantsHelp(argv)) return false;
  out.write(renderHelp(help));
  return true;
}
