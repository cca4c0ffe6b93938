import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { Field, FormDialog } from '../ui/FormDialog';
import type { MessageKey } from '../i18n/en';

type Preset = 'hour' | 'tomorrow' | 'monday' | 'custom';
const PRESETS: Array<[Preset, MessageKey]> = [
  ['hour', 'snooze.inOneHour'],
  ['tomorrow', 'snooze.tomorrow'],
  ['monday', 'snooze.nextWeek'],
  ['custom', 'snooze.custom'],
];

/** The time a preset means, in the agent's own time zone. */
export function presetTime(preset: Exclude<Preset, 'custom'>, now = new Date()): Date {
  if (preset === 'hour') return new Date(now.getTime() + 3_600_000);
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 9, 0, 0, 0);
  if (preset === 'tomorrow') d.setDate(d.getDate() + 1);
  else d.setDate(d.getDate() + ((8 - d.getDay()) % 7 || 7));
  return d;
}

export function SnoozeDialog({ busy, error, onSnooze, onClose }: { busy: boolean; error: string | null; onSnooze(until: Date): void; onClose(): void }) {
  const { t } = useI18n();
  const [preset, setPreset] = useState<Preset>('hour');
  const [custom, setCustom] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  function submit() {
    // datetime-local is the agent's local time, without a zone: Date reads it as local time.
    const until = preset === 'custom' ? new Date(custom) : presetTime(preset);
    if (Number.isNaN(until.getTime()) || until.getTime() <= Date.now()) {
      setProblem(t('snooze.past'));
      return;
    }
    onSnooze(until);
  }
  return (
    <FormDialog title={t('snooze.title')} submitLabel={t('snooze.submit')} busy={busy} error={problem ?? error} onSubmit={submit} onClose={onClose}>
      <fieldset className="choices">
        <legend className="visually-hidden">{t('snooze.title')}</legend>
        {PRESETS.map(([value, label]) => (
          <label key={value}>
            <input type="radio" name="snooze" value={value} checked={preset === value} onChange={() => setPreset(value)} />
            {t(label)}
          </label>
        ))}
      </fieldset>
      {preset === 'custom' && (
        <Field label={t('snooze.custom')}>
          {(id) => <input id={id} type="datetime-local" value={custom} onChange={(e) => setCustom(e.target.value)} required />}
        </Field>
      )}
    </FormDialog>
  );
}
