import { useParams } from 'react-router';
import { useI18n } from '../i18n/i18n';
import { ContactPanel } from '../contact/ContactPanel';
import { ConversationPane } from '../conversation/ConversationPane';
import { ConversationList } from './ConversationList';

export function InboxPage() {
  const { conversationId } = useParams();
  const { t } = useI18n();
  return (
    <main className={`inbox${conversationId ? ' with-conversation' : ''}`}>
      <ConversationList selectedId={conversationId} />
      <section className="pane" aria-label={t('sim.replies')}>
        {conversationId ? <ConversationPane key={conversationId} id={conversationId} /> : <p className="hint">{t('inbox.pick')}</p>}
      </section>
      {conversationId && <ContactPanel key={conversationId} conversationId={conversationId} />}
    </main>
  );
}
