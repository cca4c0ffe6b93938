import { useParams } from 'react-router';
import { useI18n } from '../i18n/i18n';
import { ConversationPane } from '../conversation/ConversationPane';
import { ConversationList } from './ConversationList';

export function InboxPage() {
  const { conversationId } = useParams();
  const { t } = useI18n();
  return (
    <main className="inbox">
      <ConversationList selectedId={conversationId} />
      <section className="pane" aria-label={t('sim.replies')}>
        {conversationId ? <ConversationPane key={conversationId} id={conversationId} /> : <p className="hint">{t('inbox.pick')}</p>}
      </section>
    </main>
  );
}
