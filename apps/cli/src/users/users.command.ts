import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ApiClient, describeError } from '../api-client.js';
import { readPassword } from './read-password.util.js';

const USAGE = `usage:
  tributary users add <username> --role <admin|editor|operator|viewer> [--display-name <name>] [--password-file <file>]
      the password comes from --password-file, else from standard input when it is not a terminal,
      else it is asked for (twice, not echoed)
  tributary users list

Talks to the running server with the admin token (TRIBUTARY_URL, TRIBUTARY_ADMIN_TOKEN or .data/admin-token).`;

export async function usersCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'add') return addUser(rest);
  if (sub === 'list') return listUsers();
  console.error(USAGE);
  return 2;
}

async function addUser(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { role: { type: 'string' }, 'display-name': { type: 'string' }, 'password-file': { type: 'string' } },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const username = positionals[0];
  if (!username || !values.role || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  const api = new ApiClient();
  let password: string;
  if (values['password-file']) password = readFileSync(values['password-file'], 'utf8').split(/\r?\n/)[0] ?? '';
  else password = await readPassword(`password for ${username}: `);
  const res = await api.call('POST', '/api/users', {
    username,
    role: values.role,
    password,
    ...(values['display-name'] ? { displayName: values['display-name'] } : {}),
  });
  if (res.status !== 201) {
    console.error(describeError(res.body));
    return 1;
  }
  const u = res.body as { id: string; username: string; role: string };
  console.log(`added ${u.username} (${u.role}), id ${u.id}`);
  return 0;
}

async function listUsers(): Promise<number> {
  const api = new ApiClient();
  const res = await api.call('GET', '/api/users');
  if (res.status !== 200) {
    console.error(describeError(res.body));
    return 1;
  }
  const users = (res.body as { items: { username: string; displayName: string; role: string; disabled: boolean; lastLoginAt: string | null }[] }).items;
  const rows = [['USERNAME', 'ROLE', 'STATUS', 'LAST SIGN-IN', 'NAME'], ...users.map((u) => [u.username, u.role, u.disabled ? 'disabled' : 'active', u.lastLoginAt ?? '—', u.displayName])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) console.log(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '));
  return 0;
}
