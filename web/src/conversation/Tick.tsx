import { useI18n } from '../i18n/i18n';

const GLYPHS: Record<string, string> = { pending: '🕓', sent: '✓', delivered: '✓✓', read: '✓✓', failed: '⚠' };

/** Delivery of an agent's reply: pending, sent, delivered, read, or failed with the platform's reason. */
export function Tick({ status, reason }: { status: string; reason: string | null }) {
  const { t } = useI18n();
  if (!(status in GLYPHS)) return null;
  const label = status === 'failed' ? t('tick.failed', { reason: reason ?? '' }) : t(`tick.${status as 'pending' | 'sent' | 'delivered' | 'read'}`);
  return (
    <span className={`tick tick-${status}`} data-testid="tick" data-status={status} title={label}>
      <span aria-hidden="true">{GLYPHS[status]}</span>
      <span className={status === 'failed' ? 'tick-reason' : 'visually-hidden'}>{label}</span>
    </span>
  );
}
