import { useState, type FormEvent } from 'react';

/** Asks for the admin token that `npm start` prints. */
export function TokenForm({ onSave, error }: { onSave: (token: string) => void; error?: string }) {
  const [value, setValue] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim()) onSave(value.trim());
  };
  return (
    <form className="token-form" onSubmit={submit}>
      <label htmlFor="token">Admin token</label>
      <p className="hint">Printed by <code>npm start</code>, or the value of TRIBUTARY_ADMIN_TOKEN.</p>
      <input id="token" name="token" type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} autoFocus />
      <button type="submit">Sign in</button>
      {error ? <p className="error" role="alert">{error}</p> : null}
    </form>
  );
}
