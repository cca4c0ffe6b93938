import { useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';

/** A value an admin pastes elsewhere (a webhook URL, a generated secret): shown as text, with a copy button. */
export function CopyValue({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const code = useRef<HTMLElement>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // No clipboard API (a page served over plain http): select the text so that Ctrl+C takes it.
      const range = document.createRange();
      range.selectNodeContents(code.current!);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
    }
    setCopied(true);
  }

  return (
    <div className="copy-value">
      <span className="copy-label">{label}</span>
      <code ref={code} data-testid={testId}>
        {value}
      </code>
      <button type="button" className="secondary" onClick={copy} aria-label={t('copy.button', { what: label })}>
        {t('copy.short')}
      </button>
      <span role="status" className="muted">
        {copied ? t('copy.done') : ''}
      </span>
    </div>
  );
}
