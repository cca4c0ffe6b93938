import { useState } from 'react';
import { Link } from 'react-router';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { useChannels } from '../inbox/useConversations';
import { useAgents } from '../people/usePeople';
import { since } from '../ui/format';
import { useNow } from '../ui/useNow';
import { useAssign, useQueue } from './useQueue';

type Waiting = NonNullable<ReturnType<typeof useQueue>['data']>[number];

/** Who waits for an agent, per inbox, oldest first, for how long; admins assign by hand, agents take one. */
export function QueuePage() {
  const { t } = useI18n();
  const queue = useQueue();
  const channels = useChannels();
  const now = useNow(5_000);
  const byInbox = new Map<string, Waiting[]>();
  for (const w of queue.data ?? []) byInbox.set(w.channelId, [...(byInbox.get(w.channelId) ?? []), w]);

  return (
    <main className="queue-page">
      <h1>{t('queue.title')}</h1>
      {queue.error && (
        <p role="alert" className="error">
          {queue.error.message}
        </p>
      )}
      {queue.data && queue.data.length === 0 && <p className="muted">{t('queue.empty')}</p>}
      {[...byInbox].map(([channelId, waiting]) => {
        const name = channels.data?.find((c) => c.id === channelId)?.name ?? channelId;
        return (
          <section key={channelId} className="queue-inbox" aria-labelledby={`queue-${channelId}`}>
            <div className="queue-head">
              <h2 id={`queue-${channelId}`}>{name}</h2>
              <Link to={`/settings/inboxes/${channelId}`}>{t('queue.settings', { inbox: name })}</Link>
            </div>
            <table className="queue-table">
              <thead>
                <tr>
                  <th scope="col">{t('queue.position')}</th>
                  <th scope="col">{t('queue.customer')}</th>
                  <th scope="col">{t('queue.waiting')}</th>
                  <th scope="col">{t('queue.assign')}</th>
                </tr>
              </thead>
              <tbody>
                {waiting.map((w) => (
                  <QueueRow key={w.conversationId} waiting={w} now={now} />
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </main>
  );
}

function QueueRow({ waiting, now }: { waiting: Waiting; now: number }) {
  const { t, language } = useI18n();
  const session = useSession();
  const isAdmin = session?.agent.role === 'admin';
  const agents = useAgents();
  const assign = useAssign();
  const [agentId, setAgentId] = useState('');
  const name = waiting.contactName ?? t('queue.unknown');
  const selectId = `assign-${waiting.conversationId}`;
  return (
    <tr data-conversation-id={waiting.conversationId}>
      <td>{waiting.position}</td>
      <td>
        <Link to={`/conversations/${waiting.conversationId}`}>{name}</Link>
      </td>
      <td>
        <time dateTime={waiting.waitingSince} title={new Date(waiting.waitingSince).toLocaleString(language)}>
          {since(waiting.waitingSince, now, t)}
        </time>
      </td>
      <td>
        {isAdmin ? (
          <form
            className="assign-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (agentId) assign.mutate({ conversationId: waiting.conversationId, agentId });
            }}
          >
            <label htmlFor={selectId} className="visually-hidden">
              {t('queue.assignTo', { name })}
            </label>
            <select id={selectId} value={agentId} onChange={(e) => setAgentId(e.target.value)}>
              <option value="">{t('queue.pickAgent')}</option>
              {agents.data
                ?.filter((a) => !a.disabled)
                .map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
            </select>
            <button type="submit" disabled={!agentId || assign.isPending} aria-label={`${t('queue.assign')}: ${name}`}>
              {t('queue.assign')}
            </button>
          </form>
        ) : (
          <button
            type="button"
            disabled={assign.isPending}
            onClick={() => session && assign.mutate({ conversationId: waiting.conversationId, agentId: session.agent.id })}
          >
            {t('queue.take')}
          </button>
        )}
        {assign.error && (
          <span role="alert" className="error">
            {assign.error.message}
          </span>
        )}
      </td>
    </tr>
  );
}
