// `tessera`: the same wasm engine as the browser, in Node, for producers and pipelines.
// Exit codes: 0 ok, 1 invalid input (or a failure to do the work), 2 usage error.
import { captionsCommand } from './captions';
import { importCommand } from './import';
import { logicCommand } from './logic';
import { pathsCommand } from './paths';
import { renderCommand } from './render';
import { renderTestCardCommand } from './render-test-card';
import { resolveCommand } from './resolve';
import { validateCommand } from './validate';
import { CliError, type Command } from './command';

const COMMANDS: Record<string, Command> = {
  validate: validateCommand,
  paths: pathsCommand,
  resolve: resolveCommand,
  logic: logicCommand,
  render: renderCommand,
  'render-test-card': renderTestCardCommand,
  import: importCommand,
  captions: captionsCommand,
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  tessera ${name} ${c.synopsis}\n      ${c.summary}`);
  return `usage:\n${lines.join('\n')}\n\nRun \`tessera <command> --help\` for a command's options.`;
}

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    (name ? out : err).write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    err.write(`tessera: unknown command '${name}'\n${usage()}\n`);
    return 2;
  }
  try {
    await command.run(rest, out, err);
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      if (error.quiet) return error.exitCode;
      err.write(`tessera ${name}: ${error.message}\n`);
      if (error.exitCode === 2) err.write(`usage: tessera ${name} ${command.synopsis}\n`);
      return error.exitCode;
    }
    err.write(`tessera ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
