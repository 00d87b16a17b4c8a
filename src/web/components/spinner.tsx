import { useI18n } from '../lib/i18n.js';

export function Spinner() {
  const { t } = useI18n();
  return <div class="spinner" role="progressbar" aria-label={t('state.loading')} />;
}
