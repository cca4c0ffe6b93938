import { useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { ConversationRow } from './ConversationRow';
import { useChannels, useConversations, type InboxFilter, type InboxView } from './useConversations';

const STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
const ROW_HEIGHT = 76;

/** Typing in a field is not a shortcut. */
function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/** Keys meant for something else: Enter on a focused button or link presses it; a dialog keeps its keys. */
function isForSomethingElse(e: KeyboardEvent): boolean {
  const target = e.target instanceof HTMLElement ? e.target : null;
  if (target?.closest('dialog')) return true;
  return e.key === 'Enter' && !!target?.closest('button, a[href]');
}

export function ConversationList({ selectedId }: { selectedId?: string }) {
  const { t } = useI18n();
  const session = useSession();
  const isAdmin = session?.agent.role === 'admin';
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const filter: InboxFilter = {
    view: (['mine', 'unassigned', 'all'].includes(params.get('view') ?? '') ? params.get('view') : 'mine') as InboxView,
    channelId: params.get('channel') || undefined,
    status: (STATUSES as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as InboxFilter['status']) : undefined,
  };
  const channels = useChannels();
  const query = useConversations(filter);
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.conversations) ?? [], [query.data]);
  const [cursor, setCursor] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const items = virtualizer.getVirtualItems();

  // The keyboard cursor starts on the open conversation (also after a reload or a route change).
  const selectedIndex = selectedId ? rows.findIndex((r) => r.id === selectedId) : -1;
  useEffect(() => {
    if (selectedIndex >= 0) setCursor(selectedIndex);
  }, [selectedIndex]);

  // The next page when the last row comes into view.
  const lastIndex = items.at(-1)?.index ?? -1;
  useEffect(() => {
    if (lastIndex >= rows.length - 1 && query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
  }, [lastIndex, rows.length, query]);

  const search = params.toString() ? `?${params.toString()}` : '';
  const open = (id: string) => navigate(`/conversations/${id}${search}`);

  // j/k or arrows move, Enter opens: the whole day without the mouse.
  const state = useRef({ rows, cursor });
  state.current = { rows, cursor };
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (isTyping(e.target) || isForSomethingElse(e) || e.altKey || e.ctrlKey || e.metaKey) return;
      const { rows, cursor } = state.current;
      if (rows.length === 0) return;
      let next: number;
      if (e.key === 'j' || e.key === 'ArrowDown') next = Math.min(cursor + 1, rows.length - 1);
      else if (e.key === 'k' || e.key === 'ArrowUp') next = Math.max(cursor - 1, 0);
      else if (e.key === 'Enter' && rows[cursor]) {
        e.preventDefault();
        navigate(`/conversations/${rows[cursor].id}${window.location.search}`);
        return;
      } else return;
      e.preventDefault();
      setCursor(next);
      virtualizer.scrollToIndex(next);
    }
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [navigate, virtualizer]);

  function setFilter(key: string, value: string | undefined) {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
    setCursor(0);
  }

  const views: InboxView[] = isAdmin ? ['mine', 'unassigned', 'all'] : ['mine', 'unassigned'];
  return (
    <section className="list" aria-label={t('inbox.title')}>
      <div className="views" role="tablist">
        {views.map((v) => (
          <button key={v} type="button" role="tab" aria-selected={filter.view === v} onClick={() => setFilter('view', v)}>
            {t(`inbox.${v}`)}
          </button>
        ))}
      </div>
      <div className="filters">
        <select aria-label={t('inbox.channel')} value={filter.channelId ?? ''} onChange={(e) => setFilter('channel', e.target.value || undefined)}>
          <option value="">{t('inbox.anyChannel')}</option>
          {channels.data?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <select aria-label={t('inbox.status')} value={filter.status ?? ''} onChange={(e) => setFilter('status', e.target.value || undefined)}>
          <option value="">{t('inbox.anyStatus')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </div>
      {/* Focusable, so the list scrolls from the keyboard too (j/k move the cursor from anywhere). */}
      <div className="rows" ref={scrollRef} role="listbox" tabIndex={0} aria-label={t('inbox.title')} data-testid="conversation-list">
        {query.isPending && <p className="hint">{t('inbox.loading')}</p>}
        {!query.isPending && rows.length === 0 && <p className="hint">{t('inbox.empty')}</p>}
        <div className="rows-inner" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const c = rows[item.index];
            return (
              <ConversationRow
                key={c.id}
                conversation={c}
                top={item.start}
                height={item.size}
                selected={c.id === selectedId}
                focused={item.index === cursor}
                onOpen={() => {
                  setCursor(item.index);
                  open(c.id);
                }}
              />
            );
          })}
        </div>
        {query.isFetchingNextPage && <p className="hint">{t('inbox.loadMore')}</p>}
      </div>
    </section>
  );
}
