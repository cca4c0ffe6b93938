import { useState, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n/i18n';
import { AttachmentPicker, useAttachment } from './AttachmentPicker';
import { ApiError, useSendMessage } from './useConversation';

export function Composer({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [note, setNote] = useState(false);
  const send = useSendMessage(conversationId);
  const attachment = useAttachment(conversationId);
  const uploadId = attachment.state.phase === 'ready' ? attachment.state.upload.id : undefined;
  const canSend = !send.isPending && attachment.state.phase !== 'uploading' && (!!text.trim() || !!uploadId);

  function submit() {
    if (!canSend) return;
    send.mutate(
      { text, private: note, uploadIds: uploadId ? [uploadId] : [] },
      {
        onSuccess: () => {
          setText('');
          attachment.clear();
        },
      },
    );
  }
  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter is a new line; not while an IME is composing a character.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      submit();
    }
  }
  return (
    <div className={`composer${note ? ' composer-note' : ''}`}>
      {send.error && (
        <p role="alert" className="error">
          {refusal(send.error, t)}
        </p>
      )}
      <textarea
        aria-label={note ? t('composer.notePlaceholder') : t('composer.placeholder')}
        placeholder={note ? t('composer.notePlaceholder') : t('composer.placeholder')}
        value={text}
        rows={3}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <AttachmentPicker attachment={attachment} />
      <div className="composer-bar">
        <label className="toggle">
          <input type="checkbox" checked={note} onChange={(e) => setNote(e.target.checked)} />
          {t('composer.note')}
        </label>
        <span className="spacer" />
        <button type="button" className="secondary" onClick={attachment.pick} disabled={attachment.state.phase === 'uploading'}>
          📎 {t('composer.attach')}
        </button>
        <button type="button" onClick={submit} disabled={!canSend}>
          {t('composer.send')}
        </button>
      </div>
    </div>
  );
}

/** API refusals in words. */
function refusal(error: Error, t: ReturnType<typeof useI18n>['t']): string {
  if (!(error instanceof ApiError)) return t('composer.failed', { reason: error.message });
  if (error.status === 409) return t('composer.blocked');
  if (error.status === 413) return t('composer.tooLarge');
  if (error.status === 422 && /window/i.test(error.reason)) return t('composer.windowClosed');
  return t('composer.failed', { reason: error.reason });
}
