import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { NotLoaded, SettingsForm } from './SettingsForm';
import { useAutoReplies, useSaveAutoReplies, type AutoReplyKind, type AutoReplySettings } from './useInboxSettings';

/** Every message the server sends by itself, in the order a conversation meets them. */
const KINDS = ['greeting', 'out_of_office', 'queue_position', 'fully_busy', 'hold', 'closing'] as const satisfies readonly AutoReplyKind[];
type Texts = Record<AutoReplyKind, string>;

/** Fills placeholders the way the server does (one pass, plain text), with sample values, for the preview. */
function preview(template: string, values: Record<string, string>): string {
  return template.replace(/(,? ?)\{\{\s*([^}]+?)\s*\}\}/g, (_w, before: string, name: string) => (values[name] ? `${before}${values[name]}` : ''));
}

/** Per language: every automatic message, each with when it is sent, its placeholders, its default and a preview. */
export function AutoRepliesEditor({ channelId, inboxName, canEdit }: { channelId: string; inboxName: string; canEdit: boolean }) {
  const settings = useAutoReplies(channelId);
  if (!settings.data) return <NotLoaded error={settings.error} />;
  return <Editor channelId={channelId} inboxName={inboxName} canEdit={canEdit} settings={settings.data} />;
}

function textsOf(settings: AutoReplySettings, language: string): Texts {
  const entry = settings.languages.find((l) => l.language === language) ?? settings.languages[0];
  return Object.fromEntries(KINDS.map((k) => [k, entry.messages[k].text])) as Texts;
}

function Editor({ channelId, inboxName, canEdit, settings }: { channelId: string; inboxName: string; canEdit: boolean; settings: AutoReplySettings }) {
  const { t } = useI18n();
  const save = useSaveAutoReplies(channelId);
  const [language, setLanguage] = useState(settings.defaultLanguage);
  const [defaultLanguage, setDefaultLanguage] = useState(settings.defaultLanguage);
  const [greetingEnabled, setGreetingEnabled] = useState(settings.greetingEnabled);
  const [texts, setTexts] = useState(() => textsOf(settings, settings.defaultLanguage));
  const entry = settings.languages.find((l) => l.language === language);
  const sample = { 'contact.name': t('messages.sampleName'), 'inbox.name': inboxName, opening: entry?.sampleOpening ?? '', position: '3', minutes: '6' };
  const languages = settings.languages.map((l) => l.language);

  function pickLanguage(next: string) {
    setLanguage(next);
    setTexts(textsOf(settings, next));
    save.reset();
  }
  function submit() {
    // A text equal to the default is stored as no override, so later changes to the defaults reach this inbox.
    const overrides = Object.fromEntries(
      KINDS.map((k) => {
        const text = texts[k].trim();
        return [k, !text || text === entry?.messages[k].defaultText ? null : text];
      }),
    );
    save.mutate({ defaultLanguage, greetingEnabled, overrides: { [language]: overrides } });
  }

  return (
    <SettingsForm
      canEdit={canEdit}
      save={save}
      onSubmit={submit}
      // Agents read the messages in every language too: the language to show is never disabled.
      intro={<LanguageSelect label={t('messages.language')} value={language} languages={languages} onChange={pickLanguage} />}
    >
      <label className="check">
        <input type="checkbox" checked={greetingEnabled} onChange={(e) => setGreetingEnabled(e.target.checked)} />
        <span>{t('messages.greetingEnabled')}</span>
      </label>
      <LanguageSelect label={t('messages.defaultLanguage')} value={defaultLanguage} languages={languages} onChange={setDefaultLanguage} />
      {KINDS.map((kind) => (
        <MessageField
          key={kind}
          kind={kind}
          language={language}
          text={texts[kind]}
          defaultText={entry?.messages[kind].defaultText ?? null}
          placeholders={settings.placeholders[kind]}
          preview={preview(texts[kind], sample)}
          canEdit={canEdit}
          onChange={(text) => setTexts((x) => ({ ...x, [kind]: text }))}
        />
      ))}
    </SettingsForm>
  );
}

/** A language picker, each language named in itself ("polski", "українська"). */
function LanguageSelect({ label, value, languages, onChange }: { label: string; value: string; languages: string[]; onChange(language: string): void }) {
  const name = (code: string) => new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {languages.map((code) => (
          <option key={code} value={code}>
            {name(code)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** One message: its text, when it is sent and the placeholders it may use, a preview, and the way back to the default. */
function MessageField(props: {
  kind: AutoReplyKind;
  language: string;
  text: string;
  defaultText: string | null;
  placeholders: readonly string[];
  preview: string;
  canEdit: boolean;
  onChange(text: string): void;
}) {
  const { t } = useI18n();
  const { kind, language, text, defaultText } = props;
  const isDefault = text.trim() === (defaultText ?? '');
  const label = t(`auto.${kind}`);
  return (
    <div className="auto-reply" data-kind={kind}>
      <label className="field">
        <span>
          {label} <small className="muted">({isDefault ? t('messages.default') : t('messages.custom')})</small>
        </span>
        <textarea
          lang={language}
          rows={2}
          maxLength={1000}
          value={text}
          onChange={(e) => props.onChange(e.target.value)}
          aria-describedby={`when-${kind} placeholders-${kind}`}
        />
      </label>
      <small id={`when-${kind}`} className="muted">
        {t(`messages.when.${kind}`)}
      </small>
      <small id={`placeholders-${kind}`} className="muted">
        {t('messages.placeholders', { list: props.placeholders.map((p) => `{{${p}}}`).join(', ') })}
      </small>
      <div className="preview" aria-label={`${t('messages.preview')}: ${label}`} role="group">
        <span className="muted">{t('messages.preview')}:</span> <q lang={language}>{props.preview}</q>
      </div>
      {!isDefault && defaultText && props.canEdit && (
        <button type="button" className="link" aria-label={`${t('messages.reset')}: ${label}`} onClick={() => props.onChange(defaultText)}>
          {t('messages.reset')}
        </button>
      )}
    </div>
  );
}
