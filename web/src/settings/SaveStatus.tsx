import { useI18n } from '../i18n/i18n';
import { ApiError } from './useInboxSettings';

/** "Saved." or why not, with the fields the server named; announced to screen readers. */
export function SaveStatus({ mutation }: { mutation: { isSuccess: boolean; error: Error | null } }) {
  const { t } = useI18n();
  if (mutation.error) {
    const details = mutation.error instanceof ApiError ? mutation.error.details : [];
    return (
      <div role="alert" className="error">
        {t('settings.failed', { reason: mutation.error.message })}
        {details.length > 0 && (
          <ul>
            {details.map((d, i) => (
              <li key={i}>{d.path ? `${d.path}: ${d.message}` : d.message}</li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  return (
    <span role="status" className="saved">
      {mutation.isSuccess ? t('settings.saved') : ''}
    </span>
  );
}
