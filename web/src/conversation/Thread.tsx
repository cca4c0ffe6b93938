import { Fragment, useEffect, useRef } from 'react';
import type { Activity, Agent, Message, Team } from '../api/client';
import { en, type MessageKey } from '../i18n/en';
import { useI18n, type Translate } from '../i18n/i18n';
import { dayLabel, timeOfDay } from '../ui/format';
import { ActivityItem } from './ActivityItem';
import { AttachmentView } from './AttachmentView';
import { MessageText } from './MessageText';
import { RetryButton } from './RetryButton';
import { Tick } from './Tick';

/** "Greeting", "Out of office"...: the kind of an automatic message, in the agent's language. */
function automaticLabel(kind: string, t: Translate): string {
  const key = `auto.${kind}`;
  return key in en ? t(key as MessageKey) : kind;
}

type Item = { kind: 'message'; at: string; message: Message } | { kind: 'activity'; at: string; activity: Activity };

/**
 * Messages in the thread's order (as listed: the customer's order, see src/messages/thread-order.ts) with the
 * activity entries merged in by time; an entry written with a message (a hold and its message) comes first.
 * A merge, not a sort by time: messages of the same second keep the platform's order.
 */
function interleave(messages: Message[], activities: Activity[]): Item[] {
  const entries = [...activities].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const items: Item[] = [];
  let next = 0;
  for (const m of messages) {
    while (next < entries.length && entries[next].createdAt <= m.occurredAt) {
      items.push({ kind: 'activity', at: entries[next].createdAt, activity: entries[next++] });
    }
    // When it happened, which is also its place: a late delivery shows the time the customer wrote it.
    items.push({ kind: 'message', at: m.occurredAt, message: m });
  }
  for (const a of entries.slice(next)) items.push({ kind: 'activity', at: a.createdAt, activity: a });
  return items;
}

export function Thread({
  messages,
  activities = [],
  agents = [],
  teams = [],
}: {
  messages: Message[];
  activities?: Activity[];
  agents?: Agent[];
  teams?: Team[];
}) {
  const { t, language } = useI18n();
  const end = useRef<HTMLDivElement>(null);
  const items = interleave(messages, activities);
  const last = items.at(-1);
  const lastId = last?.kind === 'message' ? last.message.id : last?.activity.id;
  // A block body: newer browsers' scrollIntoView returns a promise, which React would take for a cleanup.
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [lastId]);
  const now = new Date();
  let previousDay = '';
  return (
    <div className="thread" data-testid="thread">
      {items.map((item) => {
        const created = new Date(item.at);
        const day = created.toDateString();
        const separator = day !== previousDay;
        previousDay = day;
        const daySeparator = separator && (
          <div className="day" role="separator">
            <span>{dayLabel(created, now, language, t)}</span>
          </div>
        );
        if (item.kind === 'activity') {
          return (
            <Fragment key={item.activity.id}>
              {daySeparator}
              <ActivityItem activity={item.activity} agents={agents} teams={teams} />
            </Fragment>
          );
        }
        const m = item.message;
        const kind = m.private ? 'note' : m.direction === 'inbound' ? 'customer' : 'agent';
        return (
          <Fragment key={m.id}>
            {daySeparator}
            <div className={`msg msg-${kind}`} data-message-id={m.id} data-status={m.status} data-automatic={m.automatic ?? undefined}>
              {m.private && <div className="msg-label">{t('msg.note')}</div>}
              {m.automatic && <div className="msg-label msg-automatic">{t('msg.automatic', { kind: automaticLabel(m.automatic, t) })}</div>}
              {m.text && <MessageText text={m.text} />}
              {m.attachments.map((a, i) => (
                <AttachmentView key={i} messageId={m.id} index={i} attachment={a} />
              ))}
              <div className="msg-meta">
                <time dateTime={m.occurredAt}>{timeOfDay(m.occurredAt, language)}</time>
                {kind === 'agent' && <Tick status={m.status} reason={m.failureReason} />}
                {kind === 'agent' && m.status === 'failed' && <RetryButton message={m} />}
              </div>
            </div>
          </Fragment>
        );
      })}
      <div ref={end} />
    </div>
  );
}
