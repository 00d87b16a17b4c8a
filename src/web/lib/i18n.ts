import { useEffect, useState } from 'preact/hooks';

// Russian by default, English on request. Each page adds its own messages.
export type Locale = 'ru' | 'en';
type Messages = Record<string, string>;

const dictionaries: Record<Locale, Messages> = { ru: {}, en: {} };
const STORAGE_KEY = 'wt-locale';
let current: Locale = readStoredLocale();
const listeners = new Set<(l: Locale) => void>();

function readStoredLocale(): Locale {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ru';
  } catch {
    return 'ru';
  }
}

export function addMessages(messages: Record<Locale, Messages>): void {
  Object.assign(dictionaries.ru, messages.ru);
  Object.assign(dictionaries.en, messages.en);
}

export function getLocale(): Locale {
  return current;
}

export function setLocale(locale: Locale): void {
  if (locale === current) return;
  current = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = locale;
  for (const l of listeners) l(locale);
}

/** Whether the catalogues know `key` (in the current language or in Russian). */
export function hasMessage(key: string): boolean {
  return dictionaries[current][key] !== undefined || dictionaries.ru[key] !== undefined;
}

/** Translates `key`, filling `{name}` placeholders. Falls back to Russian, then to the key. */
export function t(key: string, params?: Record<string, string | number>): string {
  let text = dictionaries[current][key] ?? dictionaries.ru[key] ?? key;
  if (params) for (const [k, v] of Object.entries(params)) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

/**
 * A count in words by the language's plural rules: `key.one`, `key.few`, `key.many` or `key.other`
 * with `{n}` filled in ("1 платёж, 2 платежа, 5 платежей"; "1 payment, 2 payments").
 */
export function plural(key: string, n: number, params?: Record<string, string | number>): string {
  const form = new Intl.PluralRules(current === 'ru' ? 'ru-RU' : 'en-US').select(n);
  return t(`${key}.${form}`, { n, ...params });
}

/** Re-renders the component when the language changes. */
export function useI18n(): { t: typeof t; locale: Locale } {
  const [locale, setState] = useState(current);
  useEffect(() => {
    listeners.add(setState);
    return () => void listeners.delete(setState);
  }, []);
  return { t, locale };
}

addMessages({
  ru: {
    'nav.dashboard': 'Обзор',
    'nav.investments': 'Инвестиции',
    'nav.budget': 'Бюджет',
    'nav.obligations': 'Обязательства',
    'nav.settings': 'Настройки',
    'nav.menu': 'Меню',
    'nav.label': 'Разделы',
    'action.logout': 'Выйти',
    'action.save': 'Сохранить',
    'action.cancel': 'Отмена',
    'action.close': 'Закрыть',
    'action.delete': 'Удалить',
    'action.edit': 'Изменить',
    'action.add': 'Добавить',
    'theme.toggle': 'Сменить тему',
    'locale.toggle': 'English',
    'state.loading': 'Загрузка…',
    'state.error': 'Не удалось загрузить данные',
    'state.retry': 'Повторить',
  },
  en: {
    'nav.dashboard': 'Overview',
    'nav.investments': 'Investments',
    'nav.budget': 'Budget',
    'nav.obligations': 'Obligations',
    'nav.settings': 'Settings',
    'nav.menu': 'Menu',
    'nav.label': 'Sections',
    'action.logout': 'Log out',
    'action.save': 'Save',
    'action.cancel': 'Cancel',
    'action.close': 'Close',
    'action.delete': 'Delete',
    'action.edit': 'Edit',
    'action.add': 'Add',
    'theme.toggle': 'Switch theme',
    'locale.toggle': 'Русский',
    'state.loading': 'Loading…',
    'state.error': 'Could not load the data',
    'state.retry': 'Retry',
  },
});

const pluralRules: Partial<Record<Locale, Intl.PluralRules>> = {};

/** `key.one` / `key.few` / `key.many` / `key.other` by the language's plural rules for `n`, with `{n}` filled. */
export function tn(key: string, n: number, params?: Record<string, string | number>): string {
  const rules = (pluralRules[current] ??= new Intl.PluralRules(current === 'ru' ? 'ru-RU' : 'en-US'));
  const form = `${key}.${rules.select(n)}`;
  const found = dictionaries[current][form] !== undefined || dictionaries.ru[form] !== undefined;
  return t(found ? form : `${key}.other`, { n, ...params });
}
