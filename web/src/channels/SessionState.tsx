import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { useChannelSession, useRestartSession, type ChannelSession } from './useChannelAdmin';

/** A session channel's state, followed live: the QR code while pairing, the reason once disconnected, "pair again". */
export function SessionState({ channelId, channelName }: { channelId: string; channelName: string }) {
  const { t } = useI18n();
  const session = useChannelSession(channelId);
  const restart = useRestartSession();
  const state = session.data;
  return (
    <div className="session" data-testid="session-state" data-status={state?.status ?? 'loading'}>
      <span className={`session-status session-${state?.status ?? 'loading'}`}>{state ? describe(state, t) : t('channels.loading')}</span>
      {state?.status === 'pairing' && state.qr && (
        <>
          <p className="help">{t('channels.scanHint')}</p>
          <QrCode code={state.qr} label={t('channels.qrLabel', { name: channelName })} />
        </>
      )}
      <span>
        <button type="button" className="secondary" onClick={() => restart.mutate(channelId)} disabled={restart.isPending}>
          {t('channels.pairAgain')}
        </button>
        <span role="status" className={restart.error ? 'error' : 'muted'}>
          {restart.error?.message ?? (restart.isSuccess ? t('channels.restarting') : '')}
        </span>
      </span>
      {session.error && (
        <p role="alert" className="error">
          {session.error.message}
        </p>
      )}
    </div>
  );
}

function describe(s: ChannelSession, t: ReturnType<typeof useI18n>['t']): string {
  switch (s.status) {
    case 'pairing':
      return t('session.pairing');
    case 'ready':
      return t('session.ready');
    case 'disconnected':
      return s.reconnectInMs !== undefined ? t('session.reconnecting', { reason: s.reason ?? '?' }) : t('session.disconnected', { reason: s.reason ?? '?' });
    case 'auth_failure':
      return t('session.authFailure', { message: s.message ?? '?' });
    case 'stopped':
      return t('session.stopped');
    default:
      return t('session.starting');
  }
}

/**
 * The pairing code drawn into a canvas, redrawn whenever WhatsApp rotates it. `qrcode` is loaded with the first
 * code, so it weighs nothing on pages without one.
 */
function QrCode({ code, label }: { code: string; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let current = true;
    void import('qrcode')
      .then((QRCode) => QRCode.toCanvas(canvas.current!, code, { scale: 5, margin: 2, errorCorrectionLevel: 'M' }))
      .then(() => current && setFailed(false))
      .catch(() => current && setFailed(true));
    return () => {
      current = false;
    };
  }, [code]);
  return (
    <>
      <canvas ref={canvas} className="qr" role="img" aria-label={label} data-qr={code} />
      {failed && <p className="error">{code}</p>}
    </>
  );
}
