import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, apiSend } from './api.client.js';
import { LoadStatus } from './load-status.js';
import { useSession } from './session.js';
import { useApi } from './use-api.hook.js';
import type { User, UserRole } from '@tributary/runtime';

// Every role of the server's, in this order: a role added there fails this build until it is listed.
const ROLE_ORDER: Record<UserRole, number> = { admin: 0, editor: 1, operator: 2, viewer: 3 };
const ROLES = (Object.keys(ROLE_ORDER) as UserRole[]).sort((a, b) => ROLE_ORDER[a] - ROLE_ORDER[b]);

/** A row of GET /api/users: the runtime's User. */
type UserRow = User;

/** A translation key with its values (so a language switch re-translates it), or the API's own message. */
type Notice = { kind: 'success' | 'error'; key?: string; values?: Record<string, string>; text?: string } | null;

/**
 * `#/users` (admins): the accounts that sign in with a password, their roles, and the usual
 * administration — add, change the role, disable, set a new password, delete. The API keeps the
 * rules (the last admin stays, nobody demotes or disables themselves) and its reasons are shown.
 */
export function UsersPage({ token, onUnauthorized }: { token: string; onUnauthorized: () => void }) {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const [users, reload] = useApi<{ items: UserRow[] }>('/api/users', token, onUnauthorized);
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState<string | null>(null);
  // A role in a notice is its key, named in the language shown when the notice is.
  const withRoleName = (v: Record<string, string>) => (v.role ? { ...v, role: t(`auth.role.${v.role}`) } : v);
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(i18n.language) : '—');

  /** Runs one change; a refusal shows the API's reason, success reloads the list. */
  const act = async (key: string, change: () => Promise<unknown>, done: [string, Record<string, string>]): Promise<boolean> => {
    setBusy(key);
    try {
      await change();
      setNotice({ kind: 'success', key: done[0], values: done[1] });
      reload();
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onUnauthorized();
      else setNotice({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
      return false;
    } finally {
      setBusy(null);
    }
  };
  const patch = (u: UserRow, body: Record<string, unknown>, done: [string, Record<string, string>]) =>
    act(u.id, () => apiSend('PATCH', `/api/users/${encodeURIComponent(u.id)}`, token, body), done);

  const resetPassword = (u: UserRow) => {
    const password = window.prompt(t('users.newPasswordFor', { name: u.username }));
    if (password) void patch(u, { password }, ['users.passwordSet', { name: u.username }]);
  };
  const remove = (u: UserRow) => {
    if (!window.confirm(t('users.deleteConfirm', { name: u.username }))) return;
    void act(u.id, () => apiSend('DELETE', `/api/users/${encodeURIComponent(u.id)}`, token), ['users.deleted', { name: u.username }]);
  };

  return (
    <div className="list-page" data-testid="users-page">
      <div className="page-header">
        <h1>{t('nav.users')}</h1>
        <span className="muted small">{t('users.hint')}</span>
      </div>
      {notice ? (
        <p className={`notice-inline users-page-notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="users-notice">
          {notice.key ? t(notice.key, withRoleName(notice.values ?? {})) : notice.text}
        </p>
      ) : null}
      <NewUserForm
        busy={busy === 'new'}
        onCreate={(body) => act('new', () => apiSend('POST', '/api/users', token, body), ['users.created', { name: body.username }])}
      />
      <LoadStatus load={users} empty={t('users.empty')} />
      {users.state === 'ok' && users.value.items.length ? (
        <table className="table" data-testid="users-table">
          <thead>
            <tr>
              <th>{t('users.username')}</th>
              <th>{t('users.displayName')}</th>
              <th>{t('users.role')}</th>
              <th>{t('users.status')}</th>
              <th>{t('users.lastLogin')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.value.items.map((u) => {
              const self = session?.user?.id === u.id;
              return (
                <tr key={u.id} data-testid={`user-row-${u.username}`}>
                  <td>
                    <code>{u.username}</code>
                    {self ? <span className="pill">{t('users.you')}</span> : null}
                  </td>
                  <td>{u.displayName || <span className="muted">—</span>}</td>
                  <td>
                    <select
                      value={u.role}
                      disabled={busy === u.id || self}
                      onChange={(e) => void patch(u, { role: e.target.value }, ['users.roleChanged', { name: u.username, role: e.target.value }])}
                      aria-label={t('users.role')}
                      data-testid={`user-role-${u.username}`}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {t(`auth.role.${r}`)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>
                    <span className={`pill ${u.disabled ? 'status-cancelled' : 'status-succeeded'}`} data-testid={`user-status-${u.username}`}>
                      {u.disabled ? t('users.disabled') : t('users.active')}
                    </span>
                  </td>
                  <td className="muted">{when(u.lastLoginAt)}</td>
                  <td className="row-actions">
                    {self ? null : (
                      <button
                        className="btn small"
                        disabled={busy === u.id}
                        onClick={() =>
                          void patch(u, { disabled: !u.disabled }, [u.disabled ? 'users.enabledNotice' : 'users.disabledNotice', { name: u.username }])
                        }
                        data-testid={`user-toggle-${u.username}`}
                      >
                        {u.disabled ? t('users.enable') : t('users.disable')}
                      </button>
                    )}
                    <button className="btn small" disabled={busy === u.id} onClick={() => resetPassword(u)} data-testid={`user-password-${u.username}`}>
                      {t('users.setPassword')}
                    </button>
                    {self ? null : (
                      <button className="btn small danger" disabled={busy === u.id} onClick={() => remove(u)} data-testid={`user-delete-${u.username}`}>
                        {t('users.delete')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

function NewUserForm({ busy, onCreate }: { busy: boolean; onCreate: (body: { username: string; displayName?: string; role: string; password: string }) => Promise<boolean> }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<string>('viewer');
  const [password, setPassword] = useState('');
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await onCreate({ username: username.trim(), ...(displayName.trim() ? { displayName: displayName.trim() } : {}), role, password });
    if (ok) {
      setUsername('');
      setDisplayName('');
      setPassword('');
    }
  };
  return (
    <form className="card users-new" onSubmit={(e) => void submit(e)} data-testid="user-new-form">
      <h2>{t('users.add')}</h2>
      <label className="field">
        <span>{t('users.username')}</span>
        <input value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="off" data-testid="user-new-username" />
      </label>
      <label className="field">
        <span>{t('users.displayName')}</span>
        <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} data-testid="user-new-display-name" />
      </label>
      <label className="field">
        <span>{t('users.role')}</span>
        <select value={role} onChange={(e) => setRole(e.target.value)} data-testid="user-new-role">
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`auth.role.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('users.password')}</span>
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={8} autoComplete="new-password" data-testid="user-new-password" />
      </label>
      <button className="btn primary" type="submit" disabled={busy} data-testid="user-new-submit">
        {t('users.create')}
      </button>
    </form>
  );
}
