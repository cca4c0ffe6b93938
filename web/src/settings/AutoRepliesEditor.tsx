import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n';
import { SaveStatus } from './SaveStatus';
import { useAutoReplies, useSaveAutoReplies, type AutoReplyKind, type AutoReplySettings } from './useInboxSettings';

/** The messages an admin edits here; hold and closing are not sent by Parley yet. */
const KINDS = ['greeting', 'out_of_office', 'queue_position', 'fully_busy'] as const satisfies readonly AutoReplyKind[];
type EditedKind = (typeof KINDS)[number];

/** Fills placeholders the way the server does (one pass, plain text), with sample values, for the preview. */
function preview(template: string, values: Record<string, string>): string {
  return template.replace(/(,? ?)\{\{\s*([^}]+?)\s*\}\}/g, (_w, before: string, name: string) => (values[name] ? `${before}${values[name]}` : ''));
}

/** Per language: greeting, out of office, queue position, fully busy — each with its default and a preview. */
export function AutoRepliesEditor({ channelId, inboxName, canEdit }: { channelId: string; inboxName: string; canEdit: boolean }) {
  const settings = useAutoReplies(channelId);
  if (!settings.data) return <p className="muted">{settings.error?.message ?? '…'}</p>;
  return <Editor channelId={channelId} inboxName={inboxName} canEdit={canEdit} settings={settings.data} />;
}

function textsOf(settings: AutoReplySettings, language: string): Record<EditedKind, string> {
  const entry = settings.languages.find((l) => l.language === language) ?? settings.languages[0];
  return Object.fromEntries(KINDS.map((k) => [k, entry.messages[k].text])) as Record<EditedKind, string>;
}

function Editor({ channelId, inboxName, canEdit, settings }: { channelId: string; inboxName: string; canEdit: boolean; settings: AutoReplySettings }) {
  const { t } = useI18n();
  const save = useSaveAutoReplies(channelId);
  const [language, setLanguage] = useState(settings.defaultLanguage);
  const [defaultLanguage, setDefaultLanguage] = useState(settings.defaultLanguage);
  const [greetingEnabled, setGreetingEnabled] = useState(settings.greetingEnabled);
  const [texts, setTexts] = useState(() => textsOf(settings, settings.defaultLanguage));
  const entry = settings.languages.find((l) => l.language === language);
  const languageName = (code: string) => new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
  const sample = { 'contact.name': t('messages.sampleName'), 'inbox.name': inboxName, opening: entry?.sampleOpening ?? '', position: '3', minutes: '6' };

  function pickLanguage(next: string) {
    setLanguage(next);
    setTexts(textsOf(settings, next));
    save.reset();
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    // A text equal to the default is stored as no override, so later changes to the defaults reach this inbox.
    const overrides = Object.fromEntries(
      KINDS.map((k) => {
        const text = texts[k].trim();
        const fallback = entry?.messages[k].defaultText;
        return [k, !text || text === fallback ? null : text];
      }),
    );
    save.mutate({ defaultLanguage, greetingEnabled, overrides: { [language]: overrides } });
  }

  return (
    <form className="settings-form" onSubmit={submit}>
      <fieldset disabled={!canEdit}>
        <label className="check">
          <input type="checkbox" checked={greetingEnabled} onChange={(e) => setGreetingEnabled(e.target.checked)} />
          <span>{t('messages.greetingEnabled')}</span>
        </label>
        <label className="field">
          <span>{t('messages.defaultLanguage')}</span>
          <select value={defaultLanguage} onChange={(e) => setDefaultLanguage(e.target.value)}>
            {settings.languages.map((l) => (
              <option key={l.language} value={l.language}>
                {languageName(l.language)}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <label className="field">
        <span>{t('messages.language')}</span>
        <select value={language} onChange={(e) => pickLanguage(e.target.value)}>
          {settings.languages.map((l) => (
            <option key={l.language} value={l.language}>
              {languageName(l.language)}
            </option>
          ))}
        </select>
      </label>
      <fieldset disabled={!canEdit}>
        {KINDS.map((kind) => {
          const message = entry?.messages[kind];
          const isDefault = texts[kind].trim() === (message?.defaultText ?? '');
          return (
            <div key={kind} className="auto-reply">
              <label className="field">
                <span>
                  {t(`auto.${kind}`)} <small className="muted">({isDefault ? t('messages.default') : t('messages.custom')})</small>
                </span>
                <textarea
                  lang={language}
                  rows={2}
                  maxLength={1000}
                  value={texts[kind]}
                  onChange={(e) => setTexts((x) => ({ ...x, [kind]: e.target.value }))}
                  aria-describedby={`placeholders-${kind}`}
                />
              </label>
              <small id={`placeholders-${kind}`} className="muted">
                {t('messages.placeholders', { list: settings.placeholders[kind].map((p) => `{{${p}}}`).join(', ') })}
              </small>
              <div className="preview" aria-label={`${t('messages.preview')}: ${t(`auto.${kind}`)}`} role="group">
                <span className="muted">{t('messages.preview')}:</span> <q lang={language}>{preview(texts[kind], sample)}</q>
              </div>
              {!isDefault && message?.defaultText && canEdit && (
                <button type="button" className="link" onClick={() => setTexts((x) => ({ ...x, [kind]: message.defaultText ?? '' }))}>
                  {t('messages.reset')}
                </button>
              )}
            </div>
          );
        })}
        {canEdit && (
          <div className="form-actions">
            <button type="submit" disabled={save.isPending}>
              {t('settings.save')}
            </button>
            <SaveStatus mutation={save} />
          </div>
        )}
      </fieldset>
    </form>
  );
}
