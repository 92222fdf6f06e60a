// `tributary <command>`: each command is loaded only when it runs, so `start` does not
// pull in the engine and `run` does not pull in the launcher.

type CommandFn = (argv: string[]) => Promise<number | void>;

interface Command {
  usage: string;
  summary: string;
  load: () => Promise<CommandFn>;
}

const commands: Record<string, Command> = {
  start: {
    usage: 'start [--port <port>] [--data-dir <dir>]',
    summary: 'run everything locally: Postgres, Redis or the Postgres queue, API, editor, worker',
    load: async () => (await import('./start/start.command.js')).startCommand,
  },
  flows: {
    usage: 'flows import <file.json>... [--publish] | flows export <id>',
    summary: 'flows in and out of a running server',
    load: async () => (await import('./flows/flows.command.js')).flowsCommand,
  },
  run: {
    usage: 'run <flow.json> --input <items.json>',
    summary: 'run a flow locally, without a server, printing each step',
    load: async () => (await import('./run/run.command.js')).runCommand,
  },
  docs: {
    usage: 'docs nodes [--out <file.md>]',
    summary: 'the node reference, generated from the node declarations',
    load: async () => (await import('./docs/docs.command.js')).docsCommand,
  },
  match: {
    usage: 'match --input <records.csv> --output <clusters.csv> [--config <rules.json>]',
    summary: 'batch identity resolution of a CSV: one cluster id and reason per record',
    load: async () => (await import('./match/match.command.js')).matchCommand,
  },
  users: {
    usage: 'users add <username> --role <role> | users list',
    summary: 'people who sign in to the editor and the API, and their roles',
    load: async () => (await import('./users/users.command.js')).usersCommand,
  },
  import: {
    usage: 'import <file.csv|file.xlsx> --flow <id> [--node <id>]',
    summary: 'bulk import through a flow (one run per row), with a progress bar',
    load: async () => (await import('./import/import.command.js')).importCommand,
  },
};

function usage(): string {
  const width = Math.max(...Object.values(commands).map((c) => c.usage.length));
  return [
    'Usage: tributary <command> [options]',
    '',
    'Commands:',
    ...Object.values(commands).map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
    '',
    'Run `tributary <command> --help` for the options of one command.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`${name ? `unknown command: ${name}\n\n` : ''}${usage()}\n`);
    return 2;
  }
  return (await (await command.load())(rest)) ?? 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Exit even if a library left a handle open, once stdout has had a moment to drain.
    setTimeout(() => process.exit(), 1000).unref();
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
