import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { zhCN } from './zh-CN.js';
import { initialLanguage } from './initial-language.util.js';

export { LANGUAGES, type Language } from './initial-language.util.js';

const LANG_KEY = 'tributary.lang';

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
  lng: initialLanguage(localStorage.getItem(LANG_KEY), navigator.language),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
});
document.documentElement.lang = i18n.language;
i18n.on('languageChanged', (lng) => {
  localStorage.setItem(LANG_KEY, lng);
  document.documentElement.lang = lng;
});

export { i18n };
