import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { Message } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { useRealtimeEvents } from '../realtime/realtime';

const STORAGE_KEY = 'parley.notifications';
const supported = () => typeof window !== 'undefined' && 'Notification' in window;

/**
 * While the tab is in the background, each new customer message counts in the tab title ("(3) Parley") and,
 * when the agent turned them on, raises a browser notification. Back in front, the count clears. Permission is
 * asked only when the agent presses the toggle (browsers ignore, or hold against a site, a request on load).
 */
export function BackgroundAlerts() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [enabled, setEnabled] = useState(() => supported() && localStorage.getItem(STORAGE_KEY) === 'on' && Notification.permission === 'granted');
  const [denied, setDenied] = useState(false);
  const unseen = useRef(0);
  const title = t('app.title');

  useEffect(() => {
    const onVisibility = () => {
      if (document.visibilityState !== 'visible') return;
      unseen.current = 0;
      document.title = title;
    };
    document.title = unseen.current ? `(${unseen.current}) ${title}` : title;
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [title]);

  useRealtimeEvents((name, payload) => {
    const message = (payload as { message?: Message }).message;
    if (name !== 'message.created' || message?.direction !== 'inbound' || document.visibilityState === 'visible') return;
    unseen.current += 1;
    document.title = `(${unseen.current}) ${title}`;
    if (!enabled || !supported() || Notification.permission !== 'granted') return;
    const body = message.text || t('alerts.attachment');
    // One notification per conversation: a newer message replaces the older one.
    const n = new Notification(t('alerts.newMessage'), { body, tag: message.conversationId });
    n.onclick = () => {
      window.focus();
      navigate(`/conversations/${message.conversationId}${window.location.search}`);
      n.close();
    };
  });

  if (!supported()) return null;
  async function toggle() {
    if (enabled) {
      localStorage.setItem(STORAGE_KEY, 'off');
      setEnabled(false);
      return;
    }
    const permission = Notification.permission === 'default' ? await Notification.requestPermission() : Notification.permission;
    setDenied(permission !== 'granted');
    if (permission !== 'granted') return;
    localStorage.setItem(STORAGE_KEY, 'on');
    setEnabled(true);
  }
  return (
    <>
      <button type="button" className="secondary" aria-pressed={enabled} onClick={() => void toggle()}>
        🔔 {t('alerts.toggle')}
      </button>
      {denied && (
        <span role="alert" className="error">
          {t('alerts.denied')}
        </span>
      )}
    </>
  );
}
