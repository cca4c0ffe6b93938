import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import type { Channel } from '../api/client';
import { useSession } from '../auth/session';
import { useConversation, useContact } from '../conversation/useConversation';
import { useI18n } from '../i18n/i18n';
import { useChannels } from '../inbox/useConversations';
import { Avatar } from '../ui/Avatar';
import { channelLabel, since } from '../ui/format';
import { useNow } from '../ui/useNow';
import { MergeDialog } from './MergeDialog';

/**
 * Beside the thread: who the customer is, their identity on every channel, their other conversations, and for
 * admins a merge with another contact. At phone width it folds away behind a button.
 */
export function ContactPanel({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const session = useSession();
  const location = useLocation();
  const now = useNow();
  const conversation = useConversation(conversationId);
  const contact = useContact(conversation.data?.contactId);
  const channels = useChannels();
  const [open, setOpen] = useState(false);
  const [merging, setMerging] = useState(false);
  if (!contact.data) return null;
  const c = contact.data;
  const name = c.name ?? c.identities.find((i) => i.displayName)?.displayName ?? t('contact.unnamed');
  const channelOf = (id: string): Channel | undefined => channels.data?.find((ch) => ch.id === id);
  const others = c.conversations.filter((o) => o.id !== conversationId);
  return (
    <aside className={`contact-panel${open ? ' open' : ''}`} aria-label={t('contact.title')} data-testid="contact-panel">
      <button type="button" className="secondary contact-toggle" aria-expanded={open} aria-controls="contact-body" onClick={() => setOpen(!open)}>
        {t(open ? 'contact.hide' : 'contact.show')}
      </button>
      <div className="contact-body" id="contact-body">
        <div className="contact-head">
          <Avatar name={name} url={c.avatarUrl} />
          <h2>{name}</h2>
        </div>
        <h3>{t('contact.identities')}</h3>
        <ul className="identities">
          {c.identities.map((i) => {
            const ch = channelOf(i.channelId);
            return (
              <li key={i.id} data-testid="identity">
                <span className="identity-channel">{ch ? `${channelLabel(ch.type, null, t)} · ${ch.name}` : t('contact.unknownChannel')}</span>
                <span className="identity-id">{[i.displayName, i.username && `@${i.username}`, i.externalId].filter(Boolean).join(' · ')}</span>
                {i.blockedAt && <span className="error">{t('contact.blocked')}</span>}
              </li>
            );
          })}
        </ul>
        <h3>{t('contact.others')}</h3>
        {others.length === 0 ? (
          <p className="muted">{t('contact.noOthers')}</p>
        ) : (
          <ul className="other-conversations">
            {others.map((o) => {
              const ch = channelOf(o.channelId);
              return (
                <li key={o.id}>
                  <Link to={`/conversations/${o.id}${location.search}`}>
                    {ch ? channelLabel(ch.type, o.platform, t) : ''} · {t(`status.${o.status}`)} · {since(o.lastActivityAt, now, t)}
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
        {session?.agent.role === 'admin' && (
          <button type="button" className="secondary" onClick={() => setMerging(true)}>
            {t('contact.merge')}
          </button>
        )}
      </div>
      {merging && <MergeDialog target={{ id: c.id, name }} onClose={() => setMerging(false)} />}
    </aside>
  );
}
