import { useMemo, useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { NotLoaded, SettingsForm } from './SettingsForm';
import { useSaveWorkingHours, useWorkingHours, type WorkingHours } from './useInboxSettings';

const DAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
type Day = (typeof DAYS)[number];
interface Range {
  open: string;
  close: string;
}
interface Draft {
  name: string;
  timeZone: string;
  weekly: Record<Day, Range[]>;
  holidays: Array<{ date: string; name: string }>;
}

function draftOf(h: WorkingHours): Draft {
  const weekly = Object.fromEntries(DAYS.map((d) => [d, [...(h.weekly[d] ?? [])]])) as Record<Day, Range[]>;
  return { name: h.name ?? '', timeZone: h.timeZone, weekly, holidays: h.holidays.map((x) => ({ date: x.date, name: x.name ?? '' })) };
}

/** A new schedule starts as Monday to Friday, 9:00 to 17:00, in the browser's time zone. */
function newDraft(): Draft {
  const weekly = Object.fromEntries(DAYS.map((d) => [d, Number(d) <= 5 ? [{ open: '09:00', close: '17:00' }] : []])) as Record<Day, Range[]>;
  return { name: '', timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone, weekly, holidays: [] };
}

function toHours(d: Draft): WorkingHours {
  return {
    ...(d.name.trim() ? { name: d.name.trim() } : {}),
    timeZone: d.timeZone.trim(),
    weekly: Object.fromEntries(DAYS.filter((day) => d.weekly[day].length).map((day) => [day, d.weekly[day]])),
    holidays: d.holidays.map((h) => ({ date: h.date, ...(h.name.trim() ? { name: h.name.trim() } : {}) })),
  };
}

/** The zone picker's suggestions: every zone the browser knows. */
function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? [];
}

/** Time zone, several opening ranges per weekday, holidays; "open now" or the next opening as the server sees it. */
export function WorkingHoursEditor({ channelId, canEdit }: { channelId: string; canEdit: boolean }) {
  const hours = useWorkingHours(channelId);
  if (!hours.data) return <NotLoaded error={hours.error} />;
  return <Editor channelId={channelId} canEdit={canEdit} initial={hours.data.workingHours} status={hours.data} />;
}

function Editor({
  channelId,
  canEdit,
  initial,
  status,
}: {
  channelId: string;
  canEdit: boolean;
  initial: WorkingHours | null;
  status: { openNow: boolean; nextOpening: string | null };
}) {
  const { t, language } = useI18n();
  const save = useSaveWorkingHours(channelId);
  const [draft, setDraft] = useState<Draft | null>(() => (initial ? draftOf(initial) : null));
  const zones = useMemo(timeZones, []);
  const dayName = useMemo(() => {
    const f = new Intl.DateTimeFormat(language, { weekday: 'long', timeZone: 'UTC' });
    // 1 January 2024 was a Monday.
    return (d: Day) => f.format(new Date(Date.UTC(2024, 0, Number(d))));
  }, [language]);

  if (!draft)
    return (
      <div className="settings-form">
        <p>{t('hours.none')}</p>
        {canEdit && (
          <button type="button" onClick={() => setDraft(newDraft())}>
            {t('hours.set')}
          </button>
        )}
      </div>
    );

  const update = (change: (d: Draft) => Draft) => setDraft((d) => (d ? change(d) : d));
  const setRange = (day: Day, i: number, part: keyof Range, value: string) =>
    update((d) => ({ ...d, weekly: { ...d.weekly, [day]: d.weekly[day].map((r, j) => (j === i ? { ...r, [part]: value } : r)) } }));

  function submit() {
    if (draft) save.mutate(toHours(draft));
  }
  function remove() {
    save.mutate(null, { onSuccess: () => setDraft(null) });
  }
  const when = status.nextOpening
    ? new Date(status.nextOpening).toLocaleString(language, { weekday: 'long', hour: '2-digit', minute: '2-digit', timeZone: draft.timeZone || undefined })
    : '—';

  return (
    <SettingsForm
      canEdit={canEdit}
      save={save}
      onSubmit={submit}
      intro={initial && <p className="muted">{status.openNow ? t('hours.openNow') : t('hours.closedNow', { when })}</p>}
      actions={
        initial && (
          <button type="button" className="secondary" onClick={remove} disabled={save.isPending}>
            {t('hours.remove')}
          </button>
        )
      }
    >
      <label className="field">
        <span>{t('hours.name')}</span>
        <input value={draft.name} maxLength={100} onChange={(e) => update((d) => ({ ...d, name: e.target.value }))} />
      </label>
      <label className="field">
        <span>{t('hours.timeZone')}</span>
        <input list="time-zones" value={draft.timeZone} required onChange={(e) => update((d) => ({ ...d, timeZone: e.target.value }))} />
        <datalist id="time-zones">
          {zones.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </label>
      <fieldset className="weekly">
        <legend>{t('hours.weekly')}</legend>
        {DAYS.map((day) => (
          <div key={day} className="day-row" role="group" aria-label={dayName(day)}>
            <span className="day-name">{dayName(day)}</span>
            <div className="ranges">
              {draft.weekly[day].length === 0 && <span className="muted">{t('hours.closed')}</span>}
              {draft.weekly[day].map((r, i) => (
                <span key={i} className="range">
                  <label>
                    <span className="visually-hidden">{`${dayName(day)} ${t('hours.from')}`}</span>
                    <input type="time" value={r.open} required onChange={(e) => setRange(day, i, 'open', e.target.value)} />
                  </label>
                  –
                  <label>
                    <span className="visually-hidden">{`${dayName(day)} ${t('hours.to')}`}</span>
                    <input type="time" value={r.close} required onChange={(e) => setRange(day, i, 'close', e.target.value)} />
                  </label>
                  <button
                    type="button"
                    className="secondary icon"
                    aria-label={t('hours.removeRange', { day: dayName(day), from: r.open, to: r.close })}
                    onClick={() => update((d) => ({ ...d, weekly: { ...d.weekly, [day]: d.weekly[day].filter((_, j) => j !== i) } }))}
                  >
                    ×
                  </button>
                </span>
              ))}
            </div>
            <button
              type="button"
              className="secondary"
              aria-label={t('hours.addRange', { day: dayName(day) })}
              onClick={() => update((d) => ({ ...d, weekly: { ...d.weekly, [day]: [...d.weekly[day], { open: '09:00', close: '17:00' }] } }))}
            >
              +
            </button>
          </div>
        ))}
      </fieldset>
      <fieldset className="holidays">
        <legend>{t('hours.holidays')}</legend>
        {draft.holidays.length === 0 && <p className="muted">{t('hours.noHolidays')}</p>}
        {draft.holidays.map((h, i) => (
          <div key={i} className="holiday-row">
            <label>
              <span>{t('hours.holidayDate')}</span>
              <input
                type="date"
                value={h.date}
                required
                onChange={(e) => update((d) => ({ ...d, holidays: d.holidays.map((x, j) => (j === i ? { ...x, date: e.target.value } : x)) }))}
              />
            </label>
            <label>
              <span>{t('hours.holidayName')}</span>
              <input
                value={h.name}
                maxLength={200}
                onChange={(e) => update((d) => ({ ...d, holidays: d.holidays.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)) }))}
              />
            </label>
            <button
              type="button"
              className="secondary icon"
              aria-label={t('hours.removeHoliday', { date: h.date })}
              onClick={() => update((d) => ({ ...d, holidays: d.holidays.filter((_, j) => j !== i) }))}
            >
              ×
            </button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={() => update((d) => ({ ...d, holidays: [...d.holidays, { date: '', name: '' }] }))}>
          {t('hours.addHoliday')}
        </button>
      </fieldset>
    </SettingsForm>
  );
}
