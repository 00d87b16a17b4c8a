import { useEffect, useState } from 'preact/hooks';
import { DialogButtons, Modal } from '../../components/modal.js';
import { useToday } from '../../components/layout.js';
import { api, ApiError } from '../../lib/api.js';
import { formatMoney, formatNumber } from '../../lib/format.js';
import { hasMessage, useI18n } from '../../lib/i18n.js';
import { errorText, Field, formatErrors, toDecimal, useDebounced, useSubmit } from '../../lib/forms.js';

import type { Instrument, Operation, ValuedPortfolio } from './types.js';

function lastPriceText(i: Instrument): string | undefined {
  if (!i.lastPrice) return undefined;
  return i.lastPrice.percentOfNominal
    ? `${formatNumber(i.lastPrice.price, 2)} %`
    : formatMoney(i.lastPrice.price, (i.currency ?? 'rub').toUpperCase());
}

/** The last price as a starting point; bonds are quoted in % but bought in money, so left empty. */
function suggestedPrice(i: Instrument): string {
  return i.lastPrice && !i.lastPrice.percentOfNominal ? i.lastPrice.price : '';
}

const MANUAL_KINDS = ['share', 'bond', 'etf', 'currency', 'other'] as const;

export function AddAssetDialog(props: {
  portfolios: ValuedPortfolio[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const [search, setSearch] = useState('');
  const [results, setResults] = useState<Instrument[]>([]);
  const [searching, setSearching] = useState(false);
  const [picked, setPicked] = useState<Instrument>();
  // Assets the provider does not know (or any asset when no market data source is configured).
  const [manual, setManual] = useState(false);
  const [manualTicker, setManualTicker] = useState('');
  const [manualName, setManualName] = useState('');
  const [manualKind, setManualKind] = useState<(typeof MANUAL_KINDS)[number]>('share');
  const [manualCurrency, setManualCurrency] = useState('RUB');
  const [portfolioId, setPortfolioId] = useState(
    props.portfolios.find((p) => p.kind === 'manual')?.id ?? props.portfolios[0]?.id ?? '',
  );
  const [quantity, setQuantity] = useState('');
  const [price, setPrice] = useState('');
  const today = useToday();
  const [date, setDate] = useState(today);
  const { busy, errors, problem, run } = useSubmit({ inline: true });
  const debounced = useDebounced(search.trim(), 300);
  const [searchProblem, setSearchProblem] = useState<string>();

  useEffect(() => {
    if (debounced === '' || (picked && debounced === picked.ticker)) {
      setResults([]);
      return;
    }
    let live = true;
    setSearching(true);
    api
      .get('/market/instruments', { query: { query: debounced, limit: 10 } })
      .then(
        (r) => {
          if (!live) return;
          setResults(r.items);
          setSearchProblem(undefined);
        },
        (err: unknown) => {
          if (!live) return;
          setResults([]);
          // Without a source the search cannot work at all: say why, not "nothing found".
          setSearchProblem(
            err instanceof ApiError && err.code === 'MARKET_DATA_NOT_CONFIGURED'
              ? t('inv.search.noSource')
              : errorText(err),
          );
        },
      )
      .finally(() => live && setSearching(false));
    return () => {
      live = false;
    };
  }, [debounced]);

  const pick = (i: Instrument) => {
    setPicked(i);
    setSearch(i.ticker);
    setResults([]);
    if (price === '') setPrice(suggestedPrice(i));
  };

  const submit = (e: Event) => {
    e.preventDefault();
    const trade = { quantity: toDecimal(quantity), price: toDecimal(price), date };
    const asset = manual
      ? {
          manualAsset: {
            ticker: manualTicker.trim(),
            name: manualName.trim() || manualTicker.trim(),
            kind: manualKind,
            currency: manualCurrency,
            price: trade.price,
          },
        }
      : { instrumentId: picked?.uid ?? '' };
    void run({
      // Without a pick there is nothing to add: said above the buttons, like the server's answers.
      check: () =>
        !manual && !picked ? { asset: t('inv.modal.pick') } : formatErrors({ date: ['date', date] }),
      send: () =>
        api.post('/portfolios/{id}/assets', { path: { id: portfolioId }, body: { ...asset, ...trade } }),
      fields: ['date'],
      success: t('inv.modal.added', { ticker: manual ? manualTicker.trim() : (picked?.ticker ?? '') }),
      done: props.onSaved,
    });
  };

  return (
    <Modal
      open
      title={t('inv.modal.add')}
      onClose={props.onClose}
      footer={<DialogButtons formId="add-asset" onCancel={props.onClose} busy={busy} />}
    >
      <form noValidate id="add-asset" onSubmit={submit}>
        {manual ? (
          <>
            <div class="form-row">
              <label class="field">
                <span>{t('inv.modal.ticker')}</span>
                <input
                  id="manual-ticker"
                  required
                  maxLength={20}
                  value={manualTicker}
                  onInput={(e) => setManualTicker(e.currentTarget.value)}
                />
              </label>
              <label class="field">
                <span>{t('inv.modal.name')}</span>
                <input
                  maxLength={200}
                  value={manualName}
                  onInput={(e) => setManualName(e.currentTarget.value)}
                />
              </label>
            </div>
            <div class="form-row">
              <label class="field">
                <span>{t('inv.modal.kind')}</span>
                <select
                  value={manualKind}
                  onChange={(e) => setManualKind(e.currentTarget.value as (typeof MANUAL_KINDS)[number])}
                >
                  {MANUAL_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(`inv.kind.${k}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label class="field">
                <span>{t('inv.modal.currency')}</span>
                <select value={manualCurrency} onChange={(e) => setManualCurrency(e.currentTarget.value)}>
                  {['RUB', 'USD', 'EUR', 'CNY'].map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          </>
        ) : (
          <>
            <label class="field">
              <span>{t('inv.modal.instrument')}</span>
              <input
                id="asset-search"
                autocomplete="off"
                placeholder={t('inv.modal.searchHint')}
                value={search}
                onInput={(e) => {
                  setSearch(e.currentTarget.value);
                  setPicked(undefined);
                }}
              />
            </label>
            {searching && <p class="muted">{t('inv.modal.searching')}</p>}
            {results.length > 0 && (
              <ul class="inv-results" role="listbox" aria-label={t('inv.modal.instrument')}>
                {results.map((i) => (
                  <li key={i.uid}>
                    <button type="button" role="option" class="inv-result" onClick={() => pick(i)}>
                      <b>{i.ticker}</b> <span>{i.name}</span>
                      <span class="muted">
                        {' · '}
                        {hasMessage(`inv.kind.${i.kind}`) ? t(`inv.kind.${i.kind}`) : i.kind}
                      </span>
                      {lastPriceText(i) && <span class="num muted"> {lastPriceText(i)}</span>}
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {!searching && searchProblem !== undefined && debounced !== '' && (
              <p class="muted" role="status" data-testid="search-problem">
                {searchProblem}
              </p>
            )}
            {!searching &&
              searchProblem === undefined &&
              debounced !== '' &&
              !picked &&
              results.length === 0 && <p class="muted">{t('inv.noMatch')}</p>}
            {picked && (
              <p class="muted" data-testid="picked-instrument">
                {picked.ticker} · {picked.name}
                {lastPriceText(picked) && ` · ${t('inv.modal.lastPrice', { price: lastPriceText(picked)! })}`}
              </p>
            )}
          </>
        )}
        <button class="btn btn-sm" type="button" onClick={() => setManual(!manual)}>
          {manual ? t('inv.modal.fromCatalogue') : t('inv.modal.manual')}
        </button>
        {props.portfolios.length > 1 && (
          <label class="field">
            <span>{t('inv.modal.portfolio')}</span>
            <select value={portfolioId} onChange={(e) => setPortfolioId(e.currentTarget.value)}>
              {props.portfolios.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <div class="form-row">
          <label class="field">
            <span>{t('inv.modal.quantity')}</span>
            <input
              id="asset-quantity"
              inputMode="decimal"
              required
              value={quantity}
              onInput={(e) => setQuantity(e.currentTarget.value)}
            />
          </label>
          <label class="field">
            <span>
              {(manual ? manualKind : picked?.kind) === 'bond'
                ? t('inv.modal.priceBond')
                : t('inv.modal.price')}
            </span>
            <input
              id="asset-price"
              inputMode="decimal"
              required
              value={price}
              onInput={(e) => setPrice(e.currentTarget.value)}
            />
          </label>
          <Field id="asset-date" label={t('inv.modal.date')} error={errors.date}>
            <input
              type="date"
              required
              max={today}
              value={date}
              onInput={(e) => setDate(e.currentTarget.value)}
            />
          </Field>
        </div>
        {(problem ?? errors.asset) && (
          <div class="banner error" role="alert">
            {problem ?? errors.asset}
          </div>
        )}
      </form>
    </Modal>
  );
}

/** The figures and date of an operation, as its type has them; the server recomputes a trade's amount. */
export function OperationDialog(props: { operation: Operation; onClose: () => void; onSaved: () => void }) {
  const { t } = useI18n();
  const op = props.operation;
  const trade = op.type === 'buy' || op.type === 'sell';
  const transfer = op.type === 'transfer_in' || op.type === 'transfer_out';
  const hasQuantity = trade || transfer || op.type === 'split' || op.type === 'bond_redemption';
  // Securities moved out leave at their average cost: no amount of their own.
  const hasAmount = !trade && op.type !== 'split' && op.type !== 'transfer_out';
  const [quantity, setQuantity] = useState(op.quantity);
  const [price, setPrice] = useState(op.price ?? '');
  const [amount, setAmount] = useState(op.amount);
  const [date, setDate] = useState(op.date);
  const { busy, errors, problem, run } = useSubmit({ inline: true });
  // The fields shown: an error about one of them goes next to it, any other above the buttons.
  const shown = [
    'date',
    ...(hasQuantity ? ['quantity'] : []),
    ...(trade ? ['price'] : []),
    ...(hasAmount ? ['amount'] : []),
  ];

  const submit = (e: Event) => {
    e.preventDefault();
    const body = {
      date,
      ...(hasQuantity ? { quantity: toDecimal(quantity) } : {}),
      ...(trade ? { price: toDecimal(price) } : {}),
      ...(hasAmount ? { amount: toDecimal(amount) } : {}),
    };
    void run({
      check: () => formatErrors({ date: ['date', date] }),
      send: () => api.patch('/operations/{id}', { path: { id: op.id }, body }),
      fields: shown,
      success: t('inv.op.saved'),
      done: props.onSaved,
    });
  };

  const field = (id: string, label: string, value: string, set: (v: string) => void) => (
    <Field id={`edit-${id}`} label={label} error={errors[id]}>
      <input inputMode="decimal" value={value} onInput={(e) => set(e.currentTarget.value)} />
    </Field>
  );

  return (
    <Modal
      open
      title={`${t('inv.op.edit')}: ${t(`inv.op.${op.type}`)} ${op.ticker ?? ''}`}
      onClose={props.onClose}
      footer={<DialogButtons formId="edit-operation" onCancel={props.onClose} busy={busy} />}
    >
      <form noValidate id="edit-operation" onSubmit={submit}>
        <div class="form-row">
          {hasQuantity &&
            field(
              'quantity',
              op.type === 'split' ? t('inv.op.multiplier') : t('inv.modal.quantity'),
              quantity,
              setQuantity,
            )}
          {trade && field('price', t('inv.modal.price'), price, setPrice)}
          {hasAmount && field('amount', t('inv.col.amount'), amount, setAmount)}
          <Field id="edit-date" label={t('inv.col.date')} error={errors.date}>
            <input type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
          </Field>
        </div>
        {problem && (
          <div class="banner error" role="alert">
            {problem}
          </div>
        )}
      </form>
    </Modal>
  );
}
