import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

/**
 * The app's one modal dialog, on the browser's own <dialog>: showModal() keeps focus inside and makes the rest
 * of the page inert, Escape closes it. Focus starts on its first field (or an element with autoFocus) and goes
 * back to whatever had it before (the button that opened it).
 */
export function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    // Its first field rather than the close button, which comes first in the page's order.
    if (!dialog.contains(document.activeElement)) dialog.querySelector<HTMLElement>('input, select, textarea')?.focus();
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
