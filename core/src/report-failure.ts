/** Turning any failure that reaches the entry point into a message and a sysexits code. */
import { AnysnakeError, ExitCode, renderError } from './errors.js';
import { explainFsError } from './fs-errors.js';
import { colourLabels } from './colour.js';

interface OclifError {
  oclif?: { exit?: number };
  code?: string;
  message: string;
}

export function reportFailure(error: unknown, verbose: boolean): number {
  const oclif = error as OclifError;
  if (!(error instanceof AnysnakeError) && oclif?.oclif?.exit !== undefined) {
    // `this.exit(n)` inside oclif: not a failure to report.
    if (oclif.code === 'EEXIT') return oclif.oclif.exit;
    // oclif's own usage errors (unknown flag, missing argument) exit 2; sysexits calls that 64.
    process.stderr.write(colourLabels(`error: ${oclif.message}\n  hint: see anysnake2 --help\n`, process.stderr));
    return oclif.oclif.exit === 2 ? ExitCode.usage : oclif.oclif.exit;
  }
  // A file-system failure nobody explained: still a sysexits code and the path, not "internal error".
  const { text, exitCode } = renderError(explainFsError(error) ?? error, verbose);
  process.stderr.write(`${colourLabels(text, process.stderr)}\n`);
  return exitCode;
}
