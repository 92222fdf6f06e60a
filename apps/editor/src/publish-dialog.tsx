import { useTranslation } from 'react-i18next';
import { FlowDiffView } from './flow-diff-view.js';
import { changesBehaviour, hasChanges, type FlowDiff } from './flow-diff.util.js';
import { ModalDialog } from './modal-dialog.js';

export interface PublishPlan {
  name: string;
  /** The live version, or null for a first publish. */
  publishedVersion: number | null;
  /** The saved version that goes live; null when unsaved changes are saved first (the number is not known yet). */
  version: number | null;
  /** From the live version (or an empty flow) to what goes live; null while the live version loads. */
  diff: FlowDiff | null;
  error?: string;
}

interface Props {
  plan: PublishPlan;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Publish, after seeing what changes against the live version. */
export function PublishDialog({ plan, onConfirm, onCancel }: Props) {
  const { t } = useTranslation();
  const { diff, publishedVersion, version } = plan;
  const same = version !== null && version === publishedVersion;
  return (
    <ModalDialog
      title={t('versions.publish.title', { name: plan.name })}
      onClose={onCancel}
      wide
      testId="publish-dialog"
      actions={
        <>
          <button className="btn" onClick={onCancel} data-testid="publish-cancel">
            {t('versions.cancel')}
          </button>
          <button className="btn primary" onClick={onConfirm} disabled={!diff && !plan.error} data-testid="publish-confirm" autoFocus>
            {t('versions.publish.confirm')}
          </button>
        </>
      }
    >
      <p className="muted" data-testid="publish-against">
        {publishedVersion === null ? t('versions.publish.first') : t('versions.publish.against', { version: publishedVersion })}
      </p>
      <p className="small" data-testid="publish-target">
        {version === null ? t('versions.publish.willSave') : same ? t('versions.publish.alreadyLive', { version }) : t('versions.publish.target', { version })}
      </p>
      {plan.error ? <p className="error">{plan.error}</p> : null}
      {!diff && !plan.error ? <p className="muted">{t('app.loading')}</p> : null}
      {diff && hasChanges(diff) && !changesBehaviour(diff) ? <p className="callout small">{t('versions.publish.layoutOnly')}</p> : null}
      {diff ? <FlowDiffView diff={diff} /> : null}
    </ModalDialog>
  );
}
