import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TokenForm } from './token-form.js';
import { login, passwordSignInAvailable, SignInError } from './session.js';

export type SignInTab = 'password' | 'token';

interface Props {
  /** The tab to open on; without it, the password tab when the server has users, else the token tab. */
  tab?: SignInTab;
  /** A token refused after sign-in (shown on the tab it came from). */
  error?: string;
  onSignedIn: (token: string, tab: SignInTab) => void;
}

/** The sign-in card: username and password, or the admin token. */
export function SignInForm({ tab: initialTab, error, onSignedIn }: Props) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<SignInTab | undefined>(initialTab);
  useEffect(() => {
    if (initialTab) return;
    let live = true;
    void passwordSignInAvailable().then((yes) => live && setTab((cur) => cur ?? (yes ? 'password' : 'token')));
    return () => {
      live = false;
    };
  }, [initialTab]);

  return (
    <div className="card signin-card" data-testid="signin-form">
      <h2>{t('signin.title')}</h2>
      <div className="signin-tabs" role="tablist">
        {(['password', 'token'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={tab === k}
            className={tab === k ? 'active' : ''}
            onClick={() => setTab(k)}
            data-testid={`signin-tab-${k}`}
          >
            {t(k === 'password' ? 'auth.tabPassword' : 'auth.tabToken')}
          </button>
        ))}
      </div>
      {tab === 'password' ? <PasswordForm error={error} onSignedIn={(token) => onSignedIn(token, 'password')} /> : null}
      {tab === 'token' ? <TokenForm error={error} onSave={(token) => onSignedIn(token, 'token')} /> : null}
    </div>
  );
}

function PasswordForm({ error, onSignedIn }: { error?: string; onSignedIn: (token: string) => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | undefined>(error);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password) return;
    setBusy(true);
    setFailure(undefined);
    try {
      onSignedIn((await login(username.trim(), password)).token);
    } catch (err) {
      setPassword('');
      if (err instanceof SignInError && err.status === 401) setFailure(t('auth.invalid'));
      else if (err instanceof SignInError && err.status === 429) setFailure(t('auth.locked', { minutes: Math.max(1, Math.ceil((err.retryAfter ?? 60) / 60)) }));
      else setFailure(t('auth.failed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="signin-fields" onSubmit={(e) => void submit(e)} data-testid="signin-password-form">
      <label htmlFor="signin-username">{t('auth.username')}</label>
      <input
        id="signin-username"
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        value={username}
        onChange={(e) => setUsername(e.target.value)}
        autoFocus
        data-testid="signin-username"
      />
      <label htmlFor="signin-password">{t('auth.password')}</label>
      <input
        id="signin-password"
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        data-testid="signin-password"
      />
      <button type="submit" className="btn primary" disabled={busy || !username.trim() || !password} data-testid="signin-submit">
        {busy ? t('auth.signingIn') : t('signin.submit')}
      </button>
      <p className="hint">{t('auth.passwordHint')}</p>
      {failure ? (
        <p className="error" role="alert" data-testid="signin-error">
          {failure}
        </p>
      ) : null}
    </form>
  );
}
