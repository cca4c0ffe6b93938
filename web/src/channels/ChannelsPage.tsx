import { useState } from 'react';
import { Link } from 'react-router';
import type { Channel } from '../api/client';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { useChannels } from '../inbox/useConversations';
import { CopyValue } from '../ui/CopyValue';
import { ConnectDialog } from './ConnectDialog';
import { DeleteDialog } from './DeleteDialog';
import { EditDialog } from './EditDialog';
import { RegisterWebhookButton } from './RegisterWebhookButton';
import { SessionState } from './SessionState';
import { useChannelTypes, type ChannelType, type WebhookRemoval } from './useChannelAdmin';

type Open = { kind: 'connect' } | { kind: 'edit'; channel: Channel } | { kind: 'delete'; channel: Channel } | null;

/** Admin: every channel with its type, account and state, and a link to its inbox settings; connect, edit, register the webhook, delete. */
export function ChannelsPage() {
  const { t } = useI18n();
  const session = useSession();
  const channels = useChannels();
  const types = useChannelTypes();
  const [open, setOpen] = useState<Open>(null);
  const [notice, setNotice] = useState('');
  const typeOf = (c: Channel): ChannelType | undefined => types.data?.find((d) => d.type === c.type);

  if (session?.agent.role !== 'admin') {
    return (
      <main className="settings settings-wide">
        <h1>{t('channels.title')}</h1>
        <p>{t('channels.adminsOnly')}</p>
      </main>
    );
  }

  function deleted(channel: Channel, webhook: WebhookRemoval) {
    setOpen(null);
    setNotice(`${t('channels.deleted', { name: channel.name })} ${webhook.message}`);
  }

  return (
    <main className="settings settings-wide">
      <div className="settings-head">
        <h1>{t('channels.title')}</h1>
        <button type="button" onClick={() => setOpen({ kind: 'connect' })} disabled={!types.data}>
          {t('channels.connectButton')}
        </button>
      </div>
      <p role="status" className="notice">
        {notice}
      </p>
      {(channels.error || types.error) && (
        <p role="alert" className="error">
          {(channels.error ?? types.error)!.message}
        </p>
      )}
      {channels.data && channels.data.length === 0 && <p className="muted">{t('channels.none')}</p>}
      {channels.data && channels.data.length > 0 && (
        <table className="channels">
          <caption className="visually-hidden">{t('channels.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('channels.name')}</th>
              <th scope="col">{t('channels.type')}</th>
              <th scope="col">{t('channels.account')}</th>
              <th scope="col">{t('channels.state')}</th>
              <th scope="col">{t('channels.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {channels.data.map((c) => {
              const type = typeOf(c);
              return (
                <tr key={c.id} data-channel-id={c.id}>
                  <th scope="row">{c.name}</th>
                  <td>
                    <span className={`badge channel-${c.type}`}>{type?.displayName ?? c.type}</span>
                  </td>
                  <td>{c.account?.displayName ?? <span className="muted">—</span>}</td>
                  <td>
                    {type?.session ? (
                      <SessionState channelId={c.id} channelName={c.name} />
                    ) : (
                      <CopyValue label={t('channels.webhookUrl')} value={c.webhookUrl} />
                    )}
                  </td>
                  <td>
                    <div className="row-actions">
                      <Link to={`/settings/inboxes/${c.id}`} aria-label={t('channels.inboxSettingsOf', { name: c.name })}>
                        {t('channels.inboxSettings')}
                      </Link>
                      {type?.registersWebhook && <RegisterWebhookButton channelId={c.id} label={t('channels.registerWebhookOf', { name: c.name })} />}
                      <button
                        type="button"
                        className="secondary"
                        disabled={!type}
                        onClick={() => setOpen({ kind: 'edit', channel: c })}
                        aria-label={t('channels.editOf', { name: c.name })}
                      >
                        {t('channels.edit')}
                      </button>
                      <button
                        type="button"
                        className="secondary danger"
                        onClick={() => setOpen({ kind: 'delete', channel: c })}
                        aria-label={t('channels.deleteOf', { name: c.name })}
                      >
                        {t('channels.delete')}
                      </button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {open?.kind === 'connect' && types.data && <ConnectDialog types={types.data} onClose={() => setOpen(null)} />}
      {open?.kind === 'edit' && typeOf(open.channel) && <EditDialog channel={open.channel} type={typeOf(open.channel)!} onClose={() => setOpen(null)} />}
      {open?.kind === 'delete' && <DeleteDialog channel={open.channel} onClose={() => setOpen(null)} onDeleted={(w) => deleted(open.channel, w)} />}
    </main>
  );
}
