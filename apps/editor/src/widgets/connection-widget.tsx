import { useEffect, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import Form from '@rjsf/core';
import type { RJSFSchema, WidgetProps } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import { ApiError, apiSend } from '../api.client.js';
import { useApi } from '../use-api.hook.js';
import type { ConfigFormContext } from './form-context.js';
import { useCan } from '../session.js';
import { connectionsFor, connectionTypeOf, connectorFor, FREEFORM_SECRETS_SCHEMA, secretsOf, secretsUiSchema, type ConnectionSummary } from './connection.util.js';

type CheckState = { state: 'idle' } | { state: 'checking' } | { state: 'done'; ok: boolean; message: string };

/**
 * The `connection` field of nodes that use credentials: existing connections of the node's type,
 * a form for a new one (generated from the connector's auth schema) and Check. Secrets go to the
 * API once, encrypted there, and are never read back.
 */
export function ConnectionWidget(props: WidgetProps<string, Record<string, unknown>, ConfigFormContext>) {
  const { id, value, onChange, onBlur, onFocus, disabled, readonly, registry } = props;
  const ctx = registry.formContext;
  const { t } = useTranslation();
  const type = connectionTypeOf(ctx.spec, ctx.config);
  // Checking calls the vendor with the stored secrets and creating stores new ones: connection writers only.
  const canWrite = useCan('connections:write');
  const [list, reload] = useApi<{ items: ConnectionSummary[] }>('/api/connections', ctx.token, ctx.onUnauthorized);
  const options = useMemo(() => (list.state === 'ok' ? connectionsFor(type, list.value.items) : []), [list, type]);
  const current = typeof value === 'string' && value ? value : undefined;
  const selected = options.find((c) => c.id === current);
  const [creating, setCreating] = useState(false);
  const [check, setCheck] = useState<CheckState>({ state: 'idle' });
  useEffect(() => setCheck({ state: 'idle' }), [current]);

  const runCheck = async () => {
    if (!current) return;
    setCheck({ state: 'checking' });
    try {
      const r = await apiSend<{ ok: boolean; message: string }>('POST', `/api/connections/${encodeURIComponent(current)}/check`, ctx.token);
      setCheck({ state: 'done', ok: r.ok, message: r.message });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return ctx.onUnauthorized();
      setCheck({ state: 'done', ok: false, message: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <div className="connection-field">
      <div className="connection-row">
        <select
          id={id}
          value={current ?? ''}
          disabled={disabled || readonly}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
          onBlur={(e) => onBlur(id, e.target.value)}
          onFocus={(e) => onFocus(id, e.target.value)}
          data-testid="connection-select"
        >
          <option value="">{list.state === 'loading' ? t('app.loading') : t('widgets.chooseConnection')}</option>
          {options.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
          {current && list.state === 'ok' && !selected ? <option value={current}>{t('widgets.connectionMissing', { id: current })}</option> : null}
        </select>
        {canWrite ? (
          <button type="button" className="btn small" onClick={runCheck} disabled={!selected || check.state === 'checking'} data-testid="connection-check">
            {check.state === 'checking' ? t('widgets.checking') : t('widgets.check')}
          </button>
        ) : null}
      </div>
      {list.state === 'error' ? <p className="error small">{list.message}</p> : null}
      {selected ? (
        <p className="muted small connection-meta" data-testid="connection-meta">
          <code>{selected.type}</code> · {t('widgets.secretNames', { names: selected.secretKeys.join(', ') || '—' })}
        </p>
      ) : list.state === 'ok' && options.length === 0 ? (
        <p className="muted small">{t('widgets.noConnections', { type })}</p>
      ) : null}
      {check.state === 'done' ? (
        <p className={`check-result ${check.ok ? 'ok' : 'fail'}`} role="status" data-testid="connection-check-result" data-ok={String(check.ok)}>
          <span aria-hidden="true">{check.ok ? '✓' : '✕'}</span> {check.message}
        </p>
      ) : null}
      {!disabled && !readonly && canWrite ? (
        <button type="button" className="btn ghost small connection-new" onClick={() => setCreating(true)} data-testid="connection-new">
          + {t('widgets.newConnection')}
        </button>
      ) : null}
      {creating
        ? createPortal(
            <NewConnectionDialog
              type={type}
              ctx={ctx}
              onCancel={() => setCreating(false)}
              onCreated={(newId) => {
                setCreating(false);
                reload();
                onChange(newId);
              }}
            />,
            document.body,
          )
        : null}
    </div>
  );
}

function NewConnectionDialog({ type, ctx, onCancel, onCreated }: { type: string; ctx: ConfigFormContext; onCancel: () => void; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const connector = connectorFor(type, ctx.connectors);
  // A type of its own (smtp, forms) is described by its connector; a node's type (core.webhook) by the node's field.
  const own = connector?.id === type;
  const field = (ctx.spec.configSchema.properties as Record<string, { description?: unknown }> | undefined)?.connection;
  const title = own ? connector.title : ctx.spec.title;
  const description = own ? connector.description : typeof field?.description === 'string' ? field.description : (connector?.description ?? t('widgets.freeformSecrets'));
  const schema = (connector?.auth ?? FREEFORM_SECRETS_SCHEMA) as RJSFSchema;
  const uiSchema = useMemo(() => ({ ...secretsUiSchema(schema), 'ui:submitButtonOptions': { norender: true } }), [schema]);
  const [name, setName] = useState(title);
  const [secrets, setSecrets] = useState<Record<string, unknown>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const create = async (formData: unknown) => {
    if (!name.trim()) return setError(t('widgets.nameRequired'));
    setBusy(true);
    setError(null);
    try {
      const r = await apiSend<{ id: string }>('POST', '/api/connections', ctx.token, { type, name: name.trim(), secrets: secretsOf(formData) });
      onCreated(r.id);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return ctx.onUnauthorized();
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    // Events from this portal still bubble through React to the settings form; they stop here.
    <div className="dialog-backdrop" onSubmit={(e) => e.stopPropagation()} onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Escape') onCancel();
      }} onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="new-connection-title" data-testid="connection-dialog">
        <header>
          <div className="dialog-title">
            <h2 id="new-connection-title">{t('widgets.newConnectionOf', { title })}</h2>
            <code className="pill">{type}</code>
          </div>
          <p className="muted small">{description}</p>
          {!connector ? <p className="muted small">{t('widgets.freeformSecrets')}</p> : null}
        </header>
        <label className="field">
          <span>{t('widgets.connectionName')}</span>
          <input value={name} onChange={(e) => setName(e.target.value)} autoFocus data-testid="connection-new-name" />
        </label>
        <div className="config-form dialog-form" data-testid="connection-new-form">
          <Form
            schema={schema}
            uiSchema={uiSchema}
            formData={secrets}
            validator={validator}
            onChange={(e) => setSecrets((e.formData ?? {}) as Record<string, unknown>)}
            onSubmit={(e) => create(e.formData)}
            showErrorList={false}
            noHtml5Validate
            idPrefix="secrets"
          >
            <p className="muted small">{t('widgets.secretsNote')}</p>
            {error ? (
              <p className="error small" data-testid="connection-new-error">
                {error}
              </p>
            ) : null}
            <div className="dialog-actions">
              <button type="button" className="btn" onClick={onCancel}>
                {t('widgets.cancel')}
              </button>
              <button type="submit" className="btn primary" disabled={busy} data-testid="connection-create">
                {busy ? t('widgets.creating') : t('widgets.create')}
              </button>
            </div>
          </Form>
        </div>
      </div>
    </div>
  );
}
