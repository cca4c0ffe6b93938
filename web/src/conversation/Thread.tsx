import { Fragment, useEffect, useRef } from 'react';
import type { Message } from '../api/client';
import { en, type MessageKey } from '../i18n/en';
import { useI18n, type Translate } from '../i18n/i18n';
import { dayLabel, timeOfDay } from '../ui/format';
import { AttachmentView } from './AttachmentView';
import { MessageText } from './MessageText';
import { Tick } from './Tick';

/** "Greeting", "Out of office"...: the kind of an automatic message, in the agent's language. */
function automaticLabel(kind: string, t: Translate): string {
  const key = `auto.${kind}`;
  return key in en ? t(key as MessageKey) : kind;
}

export function Thread({ messages }: { messages: Message[] }) {
  const { t, language } = useI18n();
  const end = useRef<HTMLDivElement>(null);
  const lastId = messages.at(-1)?.id;
  // A block body: newer browsers' scrollIntoView returns a promise, which React would take for a cleanup.
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [lastId]);
  const now = new Date();
  let previousDay = '';
  return (
    <div className="thread" data-testid="thread">
      {messages.map((m) => {
        const created = new Date(m.createdAt);
        const day = created.toDateString();
        const separator = day !== previousDay;
        previousDay = day;
        const kind = m.private ? 'note' : m.direction === 'inbound' ? 'customer' : 'agent';
        return (
          <Fragment key={m.id}>
            {separator && (
              <div className="day" role="separator">
                <span>{dayLabel(created, now, language, t)}</span>
              </div>
            )}
            <div className={`msg msg-${kind}`} data-message-id={m.id} data-status={m.status}>
              {m.private && <div className="msg-label">{t('msg.note')}</div>}
              {m.automatic && <div className="msg-label">{t('msg.automatic', { kind: automaticLabel(m.automatic, t) })}</div>}
              {m.text && <MessageText text={m.text} />}
              {m.attachments.map((a, i) => (
                <AttachmentView key={i} messageId={m.id} index={i} attachment={a} />
              ))}
              <div className="msg-meta">
                <time dateTime={m.createdAt}>{timeOfDay(m.createdAt, language)}</time>
                {kind === 'agent' && <Tick status={m.status} reason={m.failureReason} />}
              </div>
            </div>
          </Fragment>
        );
      })}
      <div ref={end} />
    </div>
  );
}
