import { useEffect, useState } from 'react';
import { fetchBlobUrl, type Attachment } from '../api/client';
import { useI18n } from '../i18n/i18n';

/**
 * Attachments come from the authenticated media route: fetched with the bearer token into a blob URL (an
 * <img src> cannot send the header, and the token never goes into a URL). Images show inline, other files
 * download on click.
 */
export function AttachmentView({ messageId, index, attachment }: { messageId: string; index: number; attachment: Attachment }) {
  const { t } = useI18n();
  const path = `/messages/${messageId}/attachments/${index}`;
  const isImage = (attachment.kind === 'image' || attachment.kind === 'sticker') && (attachment.mimeType ?? 'image/').startsWith('image/');
  const name = attachment.fileName ?? attachment.title ?? t('msg.attachment');
  if (attachment.kind === 'location' && attachment.latitude !== undefined) {
    return <div className="attachment">📍 {attachment.title ?? `${attachment.latitude}, ${attachment.longitude}`}</div>;
  }
  if (isImage) return <InlineImage path={path} alt={name} />;
  return (
    <button
      type="button"
      className="attachment link"
      onClick={async () => {
        const url = await fetchBlobUrl(path);
        const a = document.createElement('a');
        a.href = url;
        a.download = name;
        a.rel = 'noopener noreferrer';
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      }}
    >
      📎 {t('msg.download', { name })}
    </button>
  );
}

function InlineImage({ path, alt }: { path: string; alt: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let blobUrl: string | null = null;
    let cancelled = false;
    fetchBlobUrl(path)
      .then((u) => {
        blobUrl = u;
        if (cancelled) URL.revokeObjectURL(u);
        else setUrl(u);
      })
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
      if (blobUrl) URL.revokeObjectURL(blobUrl);
    };
  }, [path]);
  if (failed) return <div className="attachment muted">📎 {alt}</div>;
  return url ? <img className="attachment-image" src={url} alt={alt} /> : <div className="attachment-image placeholder" />;
}
