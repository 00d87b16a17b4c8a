import { render } from 'preact';
import { addMessages, useI18n } from '../lib/i18n.js';

// Shown while the server answers "unavailable" (its database is down, or the app is restarting):
// the user stays signed in and the page retries on its own.
addMessages({
  ru: { 'outage.retrying': 'Сервер недоступен, повторяем попытку…' },
  en: { 'outage.retrying': 'Server unavailable, retrying…' },
});

function OutageBanner() {
  const { t } = useI18n();
  return (
    <div class="outage-banner" role="status" aria-live="polite" data-testid="outage-banner">
      {t('outage.retrying')}
    </div>
  );
}

let container: HTMLElement | undefined;

/** Shows or hides the banner; it lives outside the page's tree, so any page gets it. */
export function setOutageBanner(shown: boolean): void {
  if (shown && !container) {
    container = document.createElement('div');
    document.body.append(container);
    render(<OutageBanner />, container);
  } else if (!shown && container) {
    render(null, container);
    container.remove();
    container = undefined;
  }
}
