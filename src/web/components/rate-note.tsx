import type { RateUsed } from '../../server/modules/fx/fx.schemas.js';
import { formatDate, formatNumber } from '../lib/format.js';
import { addMessages, useI18n } from '../lib/i18n.js';

addMessages({
  ru: {
    'rate.official': 'ЦБ РФ на {day}',
    'rate.manual': 'ваш курс на {day}',
    'rate.market': 'биржа, {day}',
    'rate.stale': 'последний известный',
    'rate.unknown': 'курса нет',
  },
  en: {
    'rate.official': 'Bank of Russia, {day}',
    'rate.manual': 'your rate for {day}',
    'rate.market': 'exchange, {day}',
    'rate.stale': 'last known',
    'rate.unknown': 'no rate',
  },
});

/** A rate with where it comes from and its day: "81,40 RUB ЦБ РФ на 07.03.2026", on two lines when narrow. */
export function RateNote({ rate, base }: { rate: RateUsed | null; base: string }) {
  const { t } = useI18n();
  if (rate === null) return <span class="rate-note missing">{t('rate.unknown')}</span>;
  // Small units (drams, yen) need more places to show anything.
  const digits = Number(rate.rate) < 1 ? 6 : 4;
  return (
    <span class={rate.stale ? 'rate-note stale' : 'rate-note'} data-source={rate.source} data-day={rate.day}>
      <span>
        {formatNumber(rate.rate, digits)} {base}
      </span>{' '}
      <span>
        {t(`rate.${rate.source}`, { day: formatDate(rate.day) })}
        {rate.stale && ` · ${t('rate.stale')}`}
      </span>
    </span>
  );
}
