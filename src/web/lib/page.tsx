import { render, type ComponentChildren } from 'preact';
import '../styles.css';
import { getLocale } from './i18n.js';
import { applyStoredTheme } from './theme.js';

/** Starts a page: theme and language first (no flash), then the component tree into #app. */
export function startPage(app: ComponentChildren): void {
  applyStoredTheme();
  document.documentElement.lang = getLocale();
  const root = document.getElementById('app');
  if (root) render(app, root);
}
