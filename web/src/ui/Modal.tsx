import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

/**
 * The app's one modal dialog, on the browser's own <dialog>: showModal() keeps focus inside and makes the rest
 * of the page inert, Escape closes it. Focus starts on an element marked data-autofocus, else its first field, and goes
 * back to whatever had it before (the button that opened it).
 */
export function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = useRef(onClose);
  close.current = onClose;
  // Read at the first render: what had the focus before the dialog opened.
  const openerRef = useRef(document.activeElement);
  useEffect(() => {
    const dialog = ref.current!;
    const opener = openerRef.current instanceof HTMLElement ? openerRef.current : null;
    // A child marked data-autofocus (a Cancel button first), else the first field: showModal() alone would focus
    // the close button, the first in the page's order. (React's autoFocus runs while the dialog is still closed,
    // where nothing can take the focus.)
    dialog.showModal();
    (dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>('input, select, textarea'))?.focus();
    const onCancel = (e: Event) => {
      e.preventDefault();
      close.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId}>
      <div className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="link" onClick={onClose} aria-label={t('dialog.close')}>
          ✕
        </button>
      </div>
      {children}
    </dialog>
  );
}
