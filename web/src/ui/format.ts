import type { Translate } from '../i18n/i18n';
import type { ConversationListItem } from '../api/client';

/** "5 min", "3 h", "2 d": how long ago, in the agent's language. */
export function since(iso: string, now: number, t: Translate): string {
  const minutes = Math.floor((now - new Date(iso).getTime()) / 60_000);
  if (minutes < 1) return t('time.now');
  if (minutes < 60) return t('time.minutes', { n: minutes });
  if (minutes < 48 * 60) return t('time.hours', { n: Math.floor(minutes / 60) });
  return t('time.days', { n: Math.floor(minutes / 1440) });
}

/** Bot Framework carries Messenger, Teams, Skype and web chat: the conversation's `platform` tells them apart. */
export function channelLabel(type: string, platform: string | null | undefined, t: Translate): string {
  if (type === 'botframework') {
    const byPlatform: Record<string, Parameters<Translate>[0]> = {
      facebook: 'channel.messenger',
      msteams: 'channel.teams',
      skype: 'channel.skype',
      webchat: 'channel.webchat',
    };
    const key = platform ? byPlatform[platform] : undefined;
    return key ? t(key) : platform ? `Bot Framework (${platform})` : t('channel.botframework');
  }
  const known: Record<string, Parameters<Translate>[0]> = {
    telegram: 'channel.telegram',
    whatsapp_cloud: 'channel.whatsapp-cloud',
    whatsapp_web: 'channel.whatsapp-web',
    viber: 'channel.viber',
    sandbox: 'channel.sandbox',
  };
  return known[type] ? t(known[type]) : type;
}

/** The CSS class of a channel's badge: one colour per platform. */
export function channelClass(c: Pick<ConversationListItem, 'platform'> & { channel: { type: string } }): string {
  return `channel-${c.channel.type === 'botframework' ? (c.platform ?? 'botframework') : c.channel.type}`;
}

export function dayLabel(date: Date, now: Date, language: string, t: Translate): string {
  const day = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const diff = Math.round((day(now) - day(date)) / 86_400_000);
  if (diff === 0) return t('day.today');
  if (diff === 1) return t('day.yesterday');
  return date.toLocaleDateString(language, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
}

export function timeOfDay(iso: string, language: string): string {
  return new Date(iso).toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' });
}
