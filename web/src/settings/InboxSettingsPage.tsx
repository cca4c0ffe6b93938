import { useRef, type KeyboardEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/en';
import { useChannels } from '../inbox/useConversations';
import { AutoRepliesEditor } from './AutoRepliesEditor';
import { LifecycleForm } from './LifecycleForm';
import { RoutingForm } from './RoutingForm';
import { WorkingHoursEditor } from './WorkingHoursEditor';

const TABS = [
  { id: 'routing', label: 'settings.routing' },
  { id: 'hours', label: 'settings.hours' },
  { id: 'messages', label: 'settings.messages' },
  { id: 'conversations', label: 'settings.conversations' },
] as const satisfies ReadonlyArray<{ id: string; label: MessageKey }>;
type TabId = (typeof TABS)[number]['id'];

/**
 * One inbox's settings (/settings/inboxes/:channelId?tab=routing|hours|messages|conversations): routing, working
 * hours, the automatic messages, and the conversations' reopen window and idle resolving. The tab is in the URL,
 * so a reload or a link keeps it. Agents see them read-only, for their own inboxes only (the server lists no other).
 */
export function InboxSettingsPage() {
  const { t } = useI18n();
  const { channelId } = useParams();
  const navigate = useNavigate();
  const channels = useChannels();
  const [search, setSearch] = useSearchParams();
  const tab: TabId = TABS.some((x) => x.id === search.get('tab')) ? (search.get('tab') as TabId) : 'routing';
  const canEdit = useSession()?.agent.role === 'admin';
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});
  const channel = channels.data?.find((c) => c.id === channelId);

  function select(id: TabId) {
    setSearch({ tab: id }, { replace: true });
    tabRefs.current[id]?.focus();
  }
  // The tab list is one stop for Tab; the arrows, Home and End move between tabs (WAI-ARIA tabs pattern).
  function onKeyDown(e: KeyboardEvent) {
    const i = TABS.findIndex((x) => x.id === tab);
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: TABS.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    select(TABS[(next + TABS.length) % TABS.length].id);
  }

  return (
    <main className="settings">
      {canEdit && (
        <Link className="settings-back" to="/settings/channels">
          <span aria-hidden="true">← </span>
          {t('settings.backToChannels')}
        </Link>
      )}
      <h1>{t('settings.title')}</h1>
      <label className="field inline">
        <span>{t('settings.inbox')}</span>
        <select value={channelId ?? ''} onChange={(e) => navigate(`/settings/inboxes/${e.target.value}?tab=${tab}`)}>
          {!channelId && <option value="">—</option>}
          {channels.data?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      {channels.data && !channels.data.length && <p className="muted">{t('settings.noInboxes')}</p>}
      {!channelId && channels.data?.length ? (
        <>
          <p className="muted">{t('settings.pickInbox')}</p>
          <ul className="inbox-links">
            {channels.data.map((c) => (
              <li key={c.id}>
                <Link to={`/settings/inboxes/${c.id}`}>{c.name}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {channelId && channels.data && !channel && (
        <p role="alert" className="error">
          {t('settings.noSuchInbox')}
        </p>
      )}
      {channelId && channel && (
        <>
          {!canEdit && <p className="muted">{t('settings.readOnly')}</p>}
          <div role="tablist" aria-label={t('settings.tabs')} className="tabs" onKeyDown={onKeyDown}>
            {TABS.map((x) => (
              <button
                key={x.id}
                ref={(el) => {
                  tabRefs.current[x.id] = el;
                }}
                type="button"
                role="tab"
                id={`tab-${x.id}`}
                aria-selected={tab === x.id}
                aria-controls={`panel-${x.id}`}
                tabIndex={tab === x.id ? 0 : -1}
                className={tab === x.id ? 'tab active' : 'tab'}
                onClick={() => select(x.id)}
              >
                {t(x.label)}
              </button>
            ))}
          </div>
          <section role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
            {tab === 'routing' && <RoutingForm key={channelId} channelId={channelId} canEdit={canEdit} />}
            {tab === 'hours' && <WorkingHoursEditor key={channelId} channelId={channelId} canEdit={canEdit} />}
            {tab === 'messages' && <AutoRepliesEditor key={channelId} channelId={channelId} inboxName={channel.name} canEdit={canEdit} />}
            {tab === 'conversations' && <LifecycleForm key={channelId} channelId={channelId} canEdit={canEdit} />}
          </section>
        </>
      )}
    </main>
  );
}
