import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { NotLoaded, SettingsForm } from './SettingsForm';
import { useInboxLifecycle, useSaveInboxLifecycle, type LifecycleSettings } from './useInboxSettings';

type Unit = 'minutes' | 'hours';

/** Whole hours read as hours ("2 hours", not "120 minutes"); anything else in minutes. */
function idleOf(minutes: number | null): { on: boolean; amount: string; unit: Unit } {
  if (minutes === null) return { on: false, amount: '1', unit: 'hours' };
  return minutes % 60 === 0 ? { on: true, amount: String(minutes / 60), unit: 'hours' } : { on: true, amount: String(minutes), unit: 'minutes' };
}

/** The reopen window, resolving idle conversations (off, or after minutes or hours) and the closing message. */
export function LifecycleForm({ channelId, canEdit }: { channelId: string; canEdit: boolean }) {
  const lifecycle = useInboxLifecycle(channelId);
  if (!lifecycle.data) return <NotLoaded error={lifecycle.error} />;
  return <Form channelId={channelId} canEdit={canEdit} initial={lifecycle.data} />;
}

function Form({ channelId, canEdit, initial }: { channelId: string; canEdit: boolean; initial: LifecycleSettings }) {
  const { t } = useI18n();
  const save = useSaveInboxLifecycle(channelId);
  const [reopen, setReopen] = useState(String(initial.reopenWithinHours));
  const [idle, setIdle] = useState(() => idleOf(initial.idleResolveAfterMinutes));
  const [closing, setClosing] = useState(initial.closingMessage);

  function submit() {
    // The inputs are required numbers, so the browser says what is missing; bounds the server refuses come back in words.
    save.mutate({
      reopenWithinHours: Number(reopen),
      idleResolveAfterMinutes: idle.on ? Number(idle.amount) * (idle.unit === 'hours' ? 60 : 1) : null,
      closingMessage: closing,
    });
  }

  return (
    <SettingsForm canEdit={canEdit} save={save} onSubmit={submit}>
      <label className="field">
        <span>{t('lifecycle.reopen')}</span>
        <input
          type="number"
          required
          min={0}
          max={24 * 366}
          step={1}
          value={reopen}
          onChange={(e) => setReopen(e.target.value)}
          aria-describedby="reopen-hint"
        />
        <small id="reopen-hint" className="muted">
          {t('lifecycle.reopenHint')}
        </small>
      </label>
      <div className="idle">
        <label className="check">
          <input type="checkbox" checked={idle.on} onChange={(e) => setIdle((x) => ({ ...x, on: e.target.checked }))} aria-describedby="idle-hint" />
          <span>{t('lifecycle.idle')}</span>
        </label>
        <div className="idle-after">
          <label className="field">
            <span>{t('lifecycle.idleAfter')}</span>
            <input
              type="number"
              required={idle.on}
              disabled={!idle.on}
              min={1}
              max={idle.unit === 'hours' ? 24 * 366 : 60 * 24 * 366}
              step={1}
              value={idle.amount}
              onChange={(e) => setIdle((x) => ({ ...x, amount: e.target.value }))}
            />
          </label>
          <label className="field">
            <span>{t('lifecycle.unit')}</span>
            <select disabled={!idle.on} value={idle.unit} onChange={(e) => setIdle((x) => ({ ...x, unit: e.target.value as Unit }))}>
              <option value="minutes">{t('lifecycle.minutes')}</option>
              <option value="hours">{t('lifecycle.hours')}</option>
            </select>
          </label>
        </div>
        <small id="idle-hint" className="muted">
          {t('lifecycle.idleHint')}
        </small>
      </div>
      <label className="check">
        <input type="checkbox" checked={closing} onChange={(e) => setClosing(e.target.checked)} aria-describedby="closing-hint" />
        <span>{t('lifecycle.closing')}</span>
      </label>
      <small id="closing-hint" className="muted">
        {t('lifecycle.closingHint')}
      </small>
    </SettingsForm>
  );
}
