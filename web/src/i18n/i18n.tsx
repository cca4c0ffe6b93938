import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { en, type Catalog, type MessageKey } from './en';
import { pl } from './pl';

export const LANGUAGES = { en: 'English', pl: 'Polski' } as const;
export type Language = keyof typeof LANGUAGES;
const catalogs: Record<Language, Catalog> = { en, pl };
const STORAGE_KEY = 'parley.language';

/** The agent's own choice, else the browser's first language we have, else English. */
function initialLanguage(): Language {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved && saved in catalogs) return saved as Language;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (base in catalogs) return base as Language;
  }
  return 'en';
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

interface I18n {
  language: Language;
  setLanguage(l: Language): void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const setLanguage = useCallback((l: Language) => {
    localStorage.setItem(STORAGE_KEY, l);
    document.documentElement.lang = l;
    setLanguageState(l);
  }, []);
  const value = useMemo<I18n>(() => {
    document.documentElement.lang = language;
    const catalog = catalogs[language];
    const t: Translate = (key, params) => {
      const text = catalog[key] ?? en[key];
      return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
    };
    return { language, setLanguage, t };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <label className="language-switch">
      <span className="visually-hidden">{t('lang.label')}</span>
      <select aria-label={t('lang.label')} value={language} onChange={(e) => setLanguage(e.target.value as Language)}>
        {Object.entries(LANGUAGES).map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
