import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ModalDialog } from './modal-dialog.js';

/**
 * Keeps unsaved work from being lost: the browser asks before the tab closes or reloads, and an
 * in-app link (all routes are `#/…` links) is held until the user decides. Returns the held link.
 */
export function useLeaveGuard(dirty: boolean): { pending: string | null; stay: () => void; leave: () => void } {
  const [pending, setPending] = useState<string | null>(null);

  useEffect(() => {
    if (!dirty) return;
    const onUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = ''; // older Chromium needs it set to show the prompt
    };
    const onClick = (e: MouseEvent) => {
      // A new tab or window leaves this page as it is.
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      const a = (e.target as Element | null)?.closest?.('a[href^="#"]');
      const href = a?.getAttribute('href');
      if (!href || href === location.hash) return;
      e.preventDefault();
      setPending(href);
    };
    window.addEventListener('beforeunload', onUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [dirty]);

  return {
    pending,
    stay: () => setPending(null),
    leave: () => {
      const href = pending;
      setPending(null);
      // Set directly: a click would be held again while the changes are still unsaved.
      if (href) location.hash = href;
    },
  };
}

interface Props {
  busy: boolean;
  onStay: () => void;
  onDiscard: () => void;
  onSave: () => void;
}

/** Asked when a link would leave a flow with unsaved changes. */
export function LeaveDialog({ busy, onStay, onDiscard, onSave }: Props) {
  const { t } = useTranslation();
  return (
    <ModalDialog
      title={t('versions.leave.title')}
      onClose={onStay}
      testId="leave-dialog"
      actions={
        <>
          <button className="btn" onClick={onStay} data-testid="leave-stay" autoFocus>
            {t('versions.leave.stay')}
          </button>
          <button className="btn danger" onClick={onDiscard} disabled={busy} data-testid="leave-discard">
            {t('versions.leave.discard')}
          </button>
          <button className="btn primary" onClick={onSave} disabled={busy} data-testid="leave-save">
            {t('versions.leave.save')}
          </button>
        </>
      }
    >
      <p>{t('versions.leave.body')}</p>
    </ModalDialog>
  );
}
