import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';

/** The admin-token tab of the sign-in card: the token that `npm start` prints. */
export function TokenForm({ onSave, error }: { onSave: (token: string) => void; error?: string }) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim()) onSave(value.trim());
  };
  return (
    <form className="signin-fields" onSubmit={submit} data-testid="signin-token-form">
      <label htmlFor="token">{t('signin.token')}</label>
      <p className="hint">{t('signin.hint')}</p>
      <input
        id="token"
        name="token"
        type="password"
        autoComplete="off"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        autoFocus
        data-testid="signin-token"
      />
      <button type="submit" className="btn primary" data-testid="signin-submit">
        {t('signin.submit')}
      </button>
      {error ? (
        <p className="error" role="alert" data-testid="signin-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}
