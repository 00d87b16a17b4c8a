import type { ComponentChildren } from 'preact';
import { useI18n } from '../lib/i18n.js';

export function EmptyState(props: { title: string; text?: string; action?: ComponentChildren }) {
  return (
    <div class="empty">
      <h3>{props.title}</h3>
      {props.text && <p>{props.text}</p>}
      {props.action}
    </div>
  );
}

export function ErrorState(props: { message?: string; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <div class="banner error" role="alert">
      {props.message ?? t('state.error')}{' '}
      {props.onRetry && (
        <button class="btn btn-sm" type="button" onClick={props.onRetry}>
          {t('state.retry')}
        </button>
      )}
    </div>
  );
}
