import type { ConversationListItem } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { Avatar } from '../ui/Avatar';
import { channelClass, channelLabel, since } from '../ui/format';
import { useNow } from '../ui/useNow';

interface Props {
  conversation: ConversationListItem;
  top: number;
  height: number;
  selected: boolean;
  focused: boolean;
  onOpen(): void;
}

export function ConversationRow({ conversation: c, top, height, selected, focused, onOpen }: Props) {
  const { t } = useI18n();
  const now = useNow();
  const last = c.lastMessage;
  const text = last ? last.preview || (last.attachmentCount > 0 ? t('inbox.attachment') : '') : t('inbox.noMessages');
  const preview = last?.private ? t('inbox.note', { text }) : last?.direction === 'outbound' ? t('inbox.you', { text }) : text;
  const name = c.contact.name ?? c.title ?? c.externalThreadId;
  return (
    <div
      role="option"
      aria-selected={selected}
      data-conversation-id={c.id}
      className={`row${selected ? ' selected' : ''}${focused ? ' focused' : ''}${c.awaitingReply ? ' unread' : ''}`}
      // Positioned by the virtualiser: set through the CSSOM, which the CSP allows.
      style={{ transform: `translateY(${top}px)`, height }}
      onClick={onOpen}
    >
      <Avatar name={name} url={c.contact.avatarUrl} />
      <div className="row-main">
        <div className="row-top">
          <span className="row-name">{name}</span>
          <span className={`badge ${channelClass(c)}`}>{channelLabel(c.channel.type, c.platform, t)}</span>
        </div>
        <div className="row-preview">{preview}</div>
      </div>
      <div className="row-side">
        {c.awaitingReply && c.lastInboundAt ? (
          <span className="waited" title={t('inbox.unread')}>
            <span className="dot" aria-label={t('inbox.unread')} />
            {t('inbox.waited', { time: since(c.lastInboundAt, now, t) })}
          </span>
        ) : (
          <span className="muted">{since(c.lastActivityAt, now, t)}</span>
        )}
        {c.status !== 'open' && <span className="status">{t(`status.${c.status}`)}</span>}
      </div>
    </div>
  );
}
