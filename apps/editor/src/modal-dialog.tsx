import { useEffect, useRef, type ReactNode } from 'react';

interface Props {
  title: string;
  /** Esc, the backdrop and the close button. */
  onClose: () => void;
  children: ReactNode;
  /** The buttons at the bottom. */
  actions: ReactNode;
  wide?: boolean;
  testId?: string;
}

/** A modal on the native `<dialog>`: the browser traps focus, dims the page and closes on Esc. */
export function ModalDialog({ title, onClose, children, actions, wide, testId }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (el && !el.open) el.showModal();
    return () => el?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`modal${wide ? ' wide' : ''}`}
      aria-label={title}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => e.target === ref.current && onClose()}
    >
      <div className="modal-inner">
        <h2 className="modal-title">{title}</h2>
        <div className="modal-body">{children}</div>
        <div className="modal-actions">{actions}</div>
      </div>
    </dialog>
  );
}
