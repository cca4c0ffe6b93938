import { useState, type FormEvent } from 'react';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { useChannels } from '../inbox/useConversations';
import { MessageText } from '../conversation/MessageText';
import { Tick } from '../conversation/Tick';
import { timeOfDay } from '../ui/format';
import { useCreateSandboxChannel, useCustomerWrites, useTranscript } from './useSimulator';

/** This tab's customer: one id per tab, so two tabs are two customers. */
function customerIdOfTab(): string {
  const saved = sessionStorage.getItem('parley.simulator.customer');
  if (saved) return saved;
  const id = `sim-${crypto.randomUUID().slice(0, 8)}`;
  sessionStorage.setItem('parley.simulator.customer', id);
  return id;
}

/** Write as a customer of the sandbox channel and watch the agents' replies arrive, with their ticks. */
export function SimulatorPage() {
  const { t, language } = useI18n();
  const session = useSession();
  const channels = useChannels();
  const sandbox = channels.data?.find((c) => c.type === 'sandbox');
  const [customerId] = useState(customerIdOfTab);
  const [name, setNameState] = useState(() => sessionStorage.getItem('parley.simulator.name') ?? 'Anna Nowak');
  const setName = (n: string) => {
    sessionStorage.setItem('parley.simulator.name', n);
    setNameState(n);
  };
  const [text, setText] = useState('');
  const transcript = useTranscript(sandbox?.id, customerId);
  const writes = useCustomerWrites(sandbox?.id, customerId);
  const create = useCreateSandboxChannel();

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!text.trim() || !name.trim()) return;
    writes.mutate({ name, text }, { onSuccess: () => setText('') });
  }

  return (
    <main className="simulator">
      <h1>{t('sim.title')}</h1>
      <p className="muted">{t('sim.intro')}</p>
      {!channels.isPending && !sandbox && (
        <div>
          <p>{t('sim.noChannel')}</p>
          {session?.agent.role === 'admin' && (
            <button type="button" onClick={() => create.mutate()} disabled={create.isPending}>
              {t('sim.createChannel')}
            </button>
          )}
          {create.error && (
            <p role="alert" className="error">
              {create.error.message}
            </p>
          )}
        </div>
      )}
      {sandbox && (
        <>
          <div className="sim-thread" data-testid="simulator-thread" aria-label={t('sim.replies')}>
            {transcript.data?.map((m) => (
              <div key={m.id} className={`msg ${m.from === 'customer' ? 'msg-customer' : 'msg-agent'}`} data-from={m.from}>
                <div className="msg-label">{m.from === 'customer' ? t('sim.customer') : t('sim.agent')}</div>
                {m.text && <MessageText text={m.text} />}
                {m.fileName && <div className="attachment">📎 {m.fileName}</div>}
                <div className="msg-meta">
                  <time dateTime={m.at}>{timeOfDay(m.at, language)}</time>
                  {m.status && <Tick status={m.status} reason={null} />}
                </div>
              </div>
            ))}
          </div>
          <form className="sim-form" onSubmit={submit}>
            <label>
              {t('sim.name')}
              <input value={name} onChange={(e) => setName(e.target.value)} maxLength={200} required />
            </label>
            <label className="grow">
              {t('sim.text')}
              <input value={text} onChange={(e) => setText(e.target.value)} maxLength={4096} />
            </label>
            <button type="submit" disabled={writes.isPending || !text.trim()}>
              {t('sim.send')}
            </button>
          </form>
          {writes.error && (
            <p role="alert" className="error">
              {writes.error.message}
            </p>
          )}
        </>
      )}
    </main>
  );
}
