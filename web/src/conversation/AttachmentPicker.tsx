import { useEffect, useRef, useState } from 'react';
import type { Upload } from '../api/client';
import { useI18n, type Translate } from '../i18n/i18n';
import { useChannels } from '../inbox/useConversations';
import { channelLabel } from '../ui/format';
import { formatBytes, uploadFile, type UploadHandle } from './upload';
import { ApiError, useConversation } from './useConversation';

export type AttachmentState =
  | { phase: 'none' }
  | { phase: 'uploading'; file: File; fraction: number }
  | { phase: 'ready'; file: File; upload: Upload }
  | { phase: 'error'; message: string };

/**
 * The file of the reply being written: checked against the channel's limit before a byte is sent, uploaded at
 * once (POST /uploads, with progress), then sent with the reply by its upload id.
 */
export function useAttachment(conversationId: string) {
  const { t, language } = useI18n();
  const conversation = useConversation(conversationId);
  const channels = useChannels();
  const channel = channels.data?.find((c) => c.id === conversation.data?.channelId);
  const [state, setState] = useState<AttachmentState>({ phase: 'none' });
  const input = useRef<HTMLInputElement>(null);
  const running = useRef<UploadHandle | null>(null);
  useEffect(() => () => running.current?.abort(), []);

  function choose(file: File) {
    running.current?.abort();
    const size = formatBytes(file.size, language);
    const platform = channel ? channelLabel(channel.type, conversation.data?.platform, t) : '';
    if (channel && !channel.capabilities.outboundMedia) return setState({ phase: 'error', message: t('composer.noFiles', { channel: platform }) });
    if (channel && file.size > channel.capabilities.maxOutboundMediaBytes) {
      const limit = formatBytes(channel.capabilities.maxOutboundMediaBytes, language);
      return setState({ phase: 'error', message: t('composer.fileTooLarge', { name: file.name, size, channel: platform, limit }) });
    }
    if (file.size === 0) return setState({ phase: 'error', message: t('composer.emptyFile', { name: file.name }) });
    const handle = uploadFile(file, (fraction) => setState((s) => (s.phase === 'uploading' && s.file === file ? { ...s, fraction } : s)));
    running.current = handle;
    setState({ phase: 'uploading', file, fraction: 0 });
    handle.promise.then(
      (upload) => setState((s) => (s.phase === 'uploading' && s.file === file ? { phase: 'ready', file, upload } : s)),
      (err: unknown) => {
        if (running.current !== handle || (err instanceof ApiError && err.reason === 'cancelled')) return;
        setState({ phase: 'error', message: uploadRefusal(err, file, size, language, t) });
      },
    );
  }

  return {
    state,
    input,
    choose,
    pick: () => input.current?.click(),
    clear: () => {
      running.current?.abort();
      running.current = null;
      setState({ phase: 'none' });
      if (input.current) input.current.value = '';
    },
  };
}

function uploadRefusal(err: unknown, file: File, size: string, language: string, t: Translate): string {
  if (err instanceof ApiError && err.status === 413) {
    const limit = /at most (\d+) bytes/.exec(err.reason)?.[1];
    return t('composer.uploadTooLarge', { name: file.name, size, limit: limit ? formatBytes(Number(limit), language) : '?' });
  }
  return t('composer.uploadFailed', { name: file.name, reason: err instanceof ApiError ? err.reason : String(err) });
}

/** The hidden file input, the upload's progress or refusal in words, and the chosen file with a preview. */
export function AttachmentPicker({ attachment }: { attachment: ReturnType<typeof useAttachment> }) {
  const { t, language } = useI18n();
  const { state } = attachment;
  const file = state.phase === 'uploading' || state.phase === 'ready' ? state.file : null;
  return (
    <>
      <input
        ref={attachment.input}
        type="file"
        hidden
        aria-label={t('composer.attach')}
        data-testid="attach-input"
        onChange={(e) => {
          const chosen = e.target.files?.[0];
          if (chosen) attachment.choose(chosen);
        }}
      />
      {state.phase === 'error' && (
        <p role="alert" className="error">
          {state.message}
        </p>
      )}
      {file && (
        <div className="attached" data-testid="attached-file">
          <Preview file={file} />
          <span className="attached-name">
            {file.name} · {formatBytes(file.size, language)}
          </span>
          <span role="status" className="muted">
            {state.phase === 'uploading' ? t('composer.uploading', { percent: Math.round(state.fraction * 100) }) : t('composer.uploaded')}
          </span>
          {state.phase === 'uploading' && <progress max={1} value={state.fraction} aria-label={t('composer.uploadProgress', { name: file.name })} />}
          <button type="button" className="link" onClick={attachment.clear}>
            {t('composer.removeFile', { name: file.name })}
          </button>
        </div>
      )}
    </>
  );
}

/** An image's thumbnail from the local file (a blob URL, which the CSP allows), before it is even uploaded. */
function Preview({ file }: { file: File }) {
  const { t } = useI18n();
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!file.type.startsWith('image/')) return;
    const u = URL.createObjectURL(file);
    setUrl(u);
    return () => URL.revokeObjectURL(u);
  }, [file]);
  if (!url) return <span aria-hidden="true">📎</span>;
  return <img className="attached-preview" src={url} alt={t('composer.preview', { name: file.name })} />;
}
