import type { Message } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { ApiError, useRetryMessage } from './useConversation';

/** Next to a failed reply's reason: send it again, or say in words why that was refused. */
export function RetryButton({ message }: { message: Message }) {
  const { t } = useI18n();
  const retry = useRetryMessage(message.conversationId);
  return (
    <>
      <button type="button" className="link retry" disabled={retry.isPending} onClick={() => retry.mutate(message.id)}>
        {t('tick.retry')}
      </button>
      {retry.error && (
        <span role="alert" className="error">
          {t('tick.retryFailed', { reason: retry.error instanceof ApiError ? retry.error.reason : retry.error.message })}
        </span>
      )}
    </>
  );
}
