import { useEffect, useState } from 'preact/hooks';
import { ErrorState } from '../../components/empty-state.js';
import { Spinner } from '../../components/spinner.js';
import { useToday } from '../../components/layout.js';
import { api, type Answer } from '../../lib/api.js';
import { formatDate, formatNumber } from '../../lib/format.js';
import { errorText, Field, formatErrors, toDecimal, useSubmit } from '../../lib/forms.js';
import { addMessages, useI18n } from '../../lib/i18n.js';

addMessages({
  ru: {
    'rates.title': 'Свои курсы валют',
    'rates.hint':
      'Курс на день заменяет курс ЦБ РФ в этот день во всех расчётах. Введите рубли за одну единицу валюты; повторный ввод на тот же день заменяет курс.',
    'rates.currency': 'Валюта',
    'rates.day': 'День',
    'rates.rate': 'Рублей за единицу',
    'rates.add': 'Сохранить курс',
    'rates.saved': 'Курс сохранён',
    'rates.deleted': 'Курс удалён',
    'rates.none': 'Своих курсов нет: используются курсы ЦБ РФ.',
    'rates.delete': 'Удалить',
  },
  en: {
    'rates.title': 'Your own exchange rates',
    'rates.hint':
      'A rate for a day replaces the Bank of Russia’s on that day in every figure. Enter roubles for one unit; entering the same day again replaces it.',
    'rates.currency': 'Currency',
    'rates.day': 'Day',
    'rates.rate': 'Roubles per unit',
    'rates.add': 'Save rate',
    'rates.saved': 'Rate saved',
    'rates.deleted': 'Rate deleted',
    'rates.none': 'No rates of your own: the Bank of Russia’s are used.',
    'rates.delete': 'Delete',
  },
});

type UserRate = Answer<'/fx/manual-rates', 'get'>[number];

const CURRENCIES = ['USD', 'EUR', 'CNY', 'GBP', 'CHF', 'JPY', 'KZT', 'BYN', 'TRY', 'AMD', 'AED', 'HKD'];

export function ManualRates() {
  const { t } = useI18n();
  const [list, setList] = useState<UserRate[]>();
  const [error, setError] = useState<string>();
  const [currency, setCurrency] = useState('USD');
  const [day, setDay] = useState(useToday());
  const [rate, setRate] = useState('');
  const load = () =>
    api.get('/fx/manual-rates').then(
      (l) => {
        setList(l);
        setError(undefined);
      },
      (err: unknown) => setError(errorText(err)),
    );
  useEffect(() => void load(), []);
  const { busy, errors, run } = useSubmit();
  const save = (e: Event) => {
    e.preventDefault();
    const body = { currency, day, rate: toDecimal(rate) };
    void run({
      check: () => formatErrors({ day: ['date', body.day], rate: ['decimal', body.rate] }),
      send: () => api.post('/fx/manual-rates', { body }),
      success: t('rates.saved'),
      done: () => {
        setRate('');
        void load();
      },
    });
  };
  const remove = (id: string) =>
    void run({
      send: () => api.del('/fx/manual-rates/{id}', { path: { id } }),
      success: t('rates.deleted'),
      done: () => void load(),
    });
  return (
    <form noValidate class="card" data-testid="manual-rates" onSubmit={save}>
      <h2>{t('rates.title')}</h2>
      <p class="muted">{t('rates.hint')}</p>
      <div class="row">
        <Field id="rate-currency" label={t('rates.currency')} error={errors.currency}>
          <select value={currency} onChange={(e) => setCurrency(e.currentTarget.value)}>
            {CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </Field>
        <Field id="rate-day" label={t('rates.day')} error={errors.day}>
          <input type="date" required value={day} onInput={(e) => setDay(e.currentTarget.value)} />
        </Field>
        <Field id="rate-value" label={t('rates.rate')} error={errors.rate}>
          <input inputMode="decimal" required value={rate} onInput={(e) => setRate(e.currentTarget.value)} />
        </Field>
      </div>
      <button class="btn btn-primary" type="submit" disabled={busy} data-testid="rate-add">
        {t('rates.add')}
      </button>
      {error && <ErrorState message={error} onRetry={() => void load()} />}
      {!list && !error && <Spinner />}
      {list?.length === 0 && <p class="muted">{t('rates.none')}</p>}
      {list !== undefined && list.length > 0 && (
        <div class="table-wrap" tabIndex={0}>
          <table class="table">
            <tbody>
              {list.map((r) => (
                <tr key={r.id} data-testid="manual-rate">
                  <td>{r.currency}</td>
                  <td>{formatDate(r.day)}</td>
                  <td class="num">{formatNumber(r.rate, 4)} RUB</td>
                  <td class="num">
                    <button class="btn btn-sm" type="button" onClick={() => remove(r.id)}>
                      {t('rates.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </form>
  );
}
