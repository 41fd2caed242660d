// What a `tessera` subcommand is, and the error type that carries its exit code.
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Command {
  synopsis: string;
  summary: string;
  run(argv: string[], out: NodeJS.WritableStream, err?: NodeJS.WritableStream): Promise<void>;
}

/** exitCode 1: the input was invalid or the work failed; 2: the command line was wrong. */
export class CliError extends Error {
  /** quiet: the command already reported the problem on stdout; print nothing more. */
  readonly quiet: boolean;
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
    options: { quiet?: boolean } = {},
  ) {
    super(message);
    this.quiet = options.quiet ?? false;
  }
}

export function parseCommandLine<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), 2);
  }
}

export function positiveInteger(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new CliError(`${name} must be a positive whole number (got '${value}')`, 2);
  return n;
}
