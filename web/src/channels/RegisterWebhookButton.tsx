import { useI18n } from '../i18n/i18n';
import { useRegisterWebhook } from './useChannelAdmin';

/** Tells the platform to deliver to Parley (where it allows it), and says how that went. */
export function RegisterWebhookButton({ channelId, label }: { channelId: string; label?: string }) {
  const { t } = useI18n();
  const register = useRegisterWebhook();
  return (
    <span className="register-webhook">
      <button type="button" className="secondary" onClick={() => register.mutate(channelId)} disabled={register.isPending} aria-label={label}>
        {t('channels.registerWebhook')}
      </button>
      <span role="status" className={register.error ? 'error' : 'muted'}>
        {register.isSuccess ? t('channels.registered') : (register.error?.message ?? '')}
      </span>
    </span>
  );
}
