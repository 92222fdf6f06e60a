export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The remembered choice, else the browser's language (Chinese of any region → zh-CN), else English. */
export function initialLanguage(stored: string | null, browser: string | undefined): Language {
  if (stored && (LANGUAGES as readonly string[]).includes(stored)) return stored as Language;
  return browser?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
