import { useState } from 'react';
import type { Conversation } from '../api/client';
import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { AssignDialog } from './AssignDialog';
import { HoldDialog } from './HoldDialog';
import { SnoozeDialog } from './SnoozeDialog';
import { TransferDialog } from './TransferDialog';
import { useAgents, useTeams } from '../people/usePeople';
import { useLifecycleActions } from './useLifecycle';

type Open = 'assign' | 'hold' | 'transfer' | 'snooze' | null;

/** The conversation header's actions: assign, hold, transfer, snooze, pending, resolve or reopen. */
export function ConversationActions({ conversation: c }: { conversation: Conversation }) {
  const { t } = useI18n();
  const session = useSession();
  const agents = useAgents();
  const teams = useTeams();
  const { status, assign, hold, transfer } = useLifecycleActions(c.id);
  const [open, setOpen] = useState<Open>(null);
  const me = session?.agent.id ?? '';
  const mine = c.assigneeId === me;
  const resolved = c.status === 'resolved';
  const close = () => {
    setOpen(null);
    for (const m of [assign, hold, transfer, status]) m.reset();
  };
  const errorOf = (m: { error: Error | null }) => (m.error ? m.error.message : null);
  const quickError = open === null ? (status.error ?? assign.error) : null;
  return (
    <>
      <div className="conv-actions" role="group" aria-label={t('conv.actions')}>
        {!mine && (
          <button type="button" className="secondary" disabled={assign.isPending} onClick={() => assign.mutate({ agentId: me })}>
            {t('conv.assignToMe')}
          </button>
        )}
        <button type="button" className="secondary" onClick={() => setOpen('assign')}>
          {t('conv.assign')}
        </button>
        {!resolved && (
          <>
            <button type="button" className="secondary" onClick={() => setOpen('hold')}>
              {t('conv.hold')}
            </button>
            <button type="button" className="secondary" onClick={() => setOpen('transfer')}>
              {t('conv.transfer')}
            </button>
            <button type="button" className="secondary" onClick={() => setOpen('snooze')}>
              {t('conv.snooze')}
            </button>
          </>
        )}
        {c.status === 'open' && (
          <button type="button" className="secondary" disabled={status.isPending} onClick={() => status.mutate({ status: 'pending' })}>
            {t('conv.pending')}
          </button>
        )}
        {resolved || c.status === 'snoozed' ? (
          <button type="button" disabled={status.isPending} onClick={() => status.mutate({ status: 'open' })}>
            {t('conv.reopen')}
          </button>
        ) : (
          <button type="button" disabled={status.isPending} onClick={() => status.mutate({ status: 'resolved' })}>
            {t('conv.resolve')}
          </button>
        )}
      </div>
      {quickError && (
        <p role="alert" className="error conv-error">
          {quickError.message}
        </p>
      )}
      {open === 'assign' && (
        <AssignDialog
          me={me}
          agents={agents.data ?? []}
          teams={teams.data ?? []}
          busy={assign.isPending}
          error={errorOf(assign)}
          onAssign={(input) => assign.mutate(input, { onSuccess: close })}
          onClose={close}
        />
      )}
      {open === 'hold' && (
        <HoldDialog busy={hold.isPending} error={errorOf(hold)} onHold={(input) => hold.mutate(input, { onSuccess: close })} onClose={close} />
      )}
      {open === 'transfer' && (
        <TransferDialog
          agents={(agents.data ?? []).filter((a) => a.id !== c.assigneeId)}
          teams={teams.data ?? []}
          busy={transfer.isPending}
          error={errorOf(transfer)}
          onTransfer={(input) => transfer.mutate(input, { onSuccess: close })}
          onClose={close}
        />
      )}
      {open === 'snooze' && (
        <SnoozeDialog
          busy={status.isPending}
          error={errorOf(status)}
          onSnooze={(until) => status.mutate({ status: 'snoozed', snoozedUntil: until.toISOString() }, { onSuccess: close })}
          onClose={close}
        />
      )}
    </>
  );
}
