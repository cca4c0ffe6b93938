import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { Avatar } from '../ui/Avatar';
import { channelLabel } from '../ui/format';
import { useChannels } from '../inbox/useConversations';
import { Composer } from './Composer';
import { ConversationActions } from './ConversationActions';
import { Thread } from './Thread';
import { useContact, useConversation, useMessages } from './useConversation';
import { useAgents, useTeams } from '../people/usePeople';
import { useActivity } from './useLifecycle';

export function ConversationPane({ id }: { id: string }) {
  const { t, language } = useI18n();
  const session = useSession();
  const conversation = useConversation(id);
  const messages = useMessages(id);
  const contact = useContact(conversation.data?.contactId);
  const channels = useChannels();
  const activities = useActivity(id);
  const agents = useAgents();
  const teams = useTeams();
  if (conversation.isPending) return <p className="hint">{t('conv.loading')}</p>;
  if (!conversation.data) return <p className="hint">{t('conv.notFound')}</p>;
  const c = conversation.data;
  const channel = channels.data?.find((ch) => ch.id === c.channelId);
  const name = contact.data?.name ?? c.title ?? c.externalThreadId;
  const mine = c.assigneeId === session?.agent.id;
  const assignee = agents.data?.find((a) => a.id === c.assigneeId)?.name;
  return (
    <article className="conversation" data-testid="conversation">
      <header className="conv-head">
        <Avatar name={name} url={contact.data?.avatarUrl} />
        <div className="conv-title">
          <h2>{name}</h2>
          <span className="muted">
            {channel ? `${channelLabel(channel.type, c.platform, t)} · ${channel.name}` : ''} · {t(`status.${c.status}`)}
            {c.status === 'snoozed' && c.snoozedUntil && (
              <> · {t('conv.snoozedUntil', { time: new Date(c.snoozedUntil).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' }) })}</>
            )}
            {' · '}
            {mine ? t('conv.assignedToYou') : assignee ? t('conv.assignedTo', { name: assignee }) : t('conv.unassigned')}
          </span>
        </div>
        <span className="spacer" />
        <ConversationActions conversation={c} />
      </header>
      <Thread messages={messages.data ?? []} activities={activities.data} agents={agents.data} teams={teams.data} />
      <Composer conversationId={id} />
    </article>
  );
}
