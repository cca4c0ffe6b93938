import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { Avatar } from '../ui/Avatar';
import { channelLabel } from '../ui/format';
import { useChannels } from '../inbox/useConversations';
import { Composer } from './Composer';
import { Thread } from './Thread';
import { useContact, useConversation, useConversationActions, useMessages } from './useConversation';

export function ConversationPane({ id }: { id: string }) {
  const { t } = useI18n();
  const session = useSession();
  const conversation = useConversation(id);
  const messages = useMessages(id);
  const contact = useContact(conversation.data?.contactId);
  const channels = useChannels();
  const { setStatus, assign } = useConversationActions(id);
  if (conversation.isPending) return <p className="hint">{t('conv.loading')}</p>;
  if (!conversation.data) return <p className="hint">{t('conv.notFound')}</p>;
  const c = conversation.data;
  const channel = channels.data?.find((ch) => ch.id === c.channelId);
  const name = contact.data?.name ?? c.title ?? c.externalThreadId;
  const mine = c.assigneeId === session?.agent.id;
  return (
    <article className="conversation" data-testid="conversation">
      <header className="conv-head">
        <Avatar name={name} url={contact.data?.avatarUrl} />
        <div className="conv-title">
          <h2>{name}</h2>
          <span className="muted">
            {channel ? `${channelLabel(channel.type, c.platform, t)} · ${channel.name}` : ''} · {t(`status.${c.status}`)}
          </span>
        </div>
        <span className="spacer" />
        {mine ? (
          <span className="muted">{t('conv.assignedToYou')}</span>
        ) : (
          <button type="button" className="secondary" disabled={assign.isPending} onClick={() => session && assign.mutate(session.agent.id)}>
            {t('conv.assignToMe')}
          </button>
        )}
        {c.status === 'resolved' ? (
          <button type="button" disabled={setStatus.isPending} onClick={() => setStatus.mutate('open')}>
            {t('conv.reopen')}
          </button>
        ) : (
          <button type="button" disabled={setStatus.isPending} onClick={() => setStatus.mutate('resolved')}>
            {t('conv.resolve')}
          </button>
        )}
      </header>
      {(setStatus.error || assign.error) && (
        <p role="alert" className="error">
          {(setStatus.error ?? assign.error)!.message}
        </p>
      )}
      <Thread messages={messages.data ?? []} />
      <Composer conversationId={id} />
    </article>
  );
}
