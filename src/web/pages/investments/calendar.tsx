import { useEffect, useState } from 'preact/hooks';
import { ErrorState } from '../../components/empty-state.js';
import { Spinner } from '../../components/spinner.js';
import { api } from '../../lib/api.js';
import { formatDate, formatMoney } from '../../lib/format.js';
import { errorText } from '../../lib/forms.js';
import { useI18n } from '../../lib/i18n.js';
import type { CalendarEvent } from './types.js';

export function CalendarSection({ version }: { version: number }) {
  const { t } = useI18n();
  const [events, setEvents] = useState<CalendarEvent[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    api.get('/portfolio/calendar').then(
      (r) => live && setEvents(r.events),
      (err: unknown) => live && setError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [version]);

  return (
    <section class="card" data-testid="calendar">
      <h2>{t('inv.calendar')}</h2>
      {error && <ErrorState message={error} />}
      {!events && !error && <Spinner />}
      {events && events.length === 0 && <p class="muted">{t('inv.calendar.empty')}</p>}
      {events && events.length > 0 && (
        <ul class="inv-calendar">
          {events.map((e) => (
            <li key={`${e.instrumentUid}-${e.type}-${e.date}`}>
              <span class="inv-cal-date">{formatDate(e.date)}</span>
              <span>
                <span class="badge">{t(`inv.calendar.${e.type}`)}</span> <b>{e.ticker}</b>{' '}
                <span class="muted small">{e.name}</span>
              </span>
              <span class="num">
                {e.expectedAmount === null
                  ? t('inv.calendar.notAnnounced')
                  : formatMoney(e.expectedAmount, e.currency.toUpperCase())}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
