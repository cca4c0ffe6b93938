import { useEffect, useState } from 'react';
import { fetchBlobUrl, type Attachment } from '../api/client';
import { useI18n } from '../i18n/i18n';

/**
 * Attachments come from the authenticated media route: fetched with the bearer token into a blob URL (an
 * <img src> cannot send the header, and the token never goes into a URL). Images show inline, voice and audio
 * play in place, a location is a map link, other files download on click.
 */
export function AttachmentView({ messageId, index, attachment }: { messageId: string; index: number; attachment: Attachment }) {
  const { t } = useI18n();
  const path = `/messages/${messageId}/attachments/${index}`;
  const isImage = (attachment.kind === 'image' || attachment.kind === 'sticker') && (attachment.mimeType ?? 'image/').startsWith('image/');
  const isAudio = attachment.kind === 'voice' || attachment.kind === 'audio';
  const name = attachment.fileName ?? attachment.title ?? t('msg.attachment');
  if (attachment.kind === 'location' && attachment.latitude !== undefined && attachment.longitude !== undefined) {
    return <MapLink latitude={attachment.latitude} longitude={attachment.longitude} title={attachment.title} />;
  }
  if (attachment.kind === 'contact') {
    return <div className="attachment">👤 {[attachment.title, attachment.phone].filter(Boolean).join(' · ')}</div>;
  }
  if (isImage) return <InlineImage path={path} alt={name} />;
  if (isAudio) return <InlineAudio path={path} label={t(attachment.kind === 'voice' ? 'msg.voice' : 'msg.audio', { name })} />;
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

/** OpenStreetMap, opened without handing the new tab a reference to this one. */
function MapLink({ latitude, longitude, title }: { latitude: number; longitude: number; title?: string }) {
  const { t } = useI18n();
  const place = title ?? `${latitude.toFixed(5)}, ${longitude.toFixed(5)}`;
  const href = `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=16/${latitude}/${longitude}`;
  return (
    <a className="attachment" href={href} target="_blank" rel="noopener noreferrer">
      📍 {t('msg.openMap', { place })}
    </a>
  );
}

/** A blob URL for an attachment, revoked when the component goes. */
function useBlobUrl(path: string): { url: string | null; failed: boolean } {
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
  return { url, failed };
}

function InlineImage({ path, alt }: { path: string; alt: string }) {
  const { url, failed } = useBlobUrl(path);
  if (failed) return <div className="attachment muted">📎 {alt}</div>;
  return url ? <img className="attachment-image" src={url} alt={alt} /> : <div className="attachment-image placeholder" />;
}

function InlineAudio({ path, label }: { path: string; label: string }) {
  const { url, failed } = useBlobUrl(path);
  if (failed) return <div className="attachment muted">🔊 {label}</div>;
  return url ? (
    <audio className="attachment attachment-audio" controls preload="metadata" src={url} aria-label={label} />
  ) : (
    <div className="attachment muted">🔊 {label}</div>
  );
}
