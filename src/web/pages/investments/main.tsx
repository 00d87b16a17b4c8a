import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { EmptyState, ErrorState } from '../../components/empty-state.js';
import { Layout, useCurrentUser } from '../../components/layout.js';
import { Spinner } from '../../components/spinner.js';
import { toast } from '../../components/toast.js';
import { api } from '../../lib/api.js';
import { errorText, useSubmit } from '../../lib/forms.js';
import { tn, useI18n } from '../../lib/i18n.js';
import { startPage } from '../../lib/page.js';
import { useShortcut } from '../../lib/shortcuts.js';
import { AddAssetDialog } from './add-asset.js';
import { ImportActivitiesDialog } from './import-activities.js';
import './investments.css';
import './messages.js';
import { AllocationCharts } from './allocation.js';
import { CalendarSection } from './calendar.js';
import { IncomeSection } from './income.js';
import { OperationsSection } from './operations.js';
import { PortfoliosSection } from './portfolios.js';
import { PositionsSection } from './positions.js';
import { ResultsSection } from './results.js';
import { MarketBanner, reasonKey, SummaryTiles } from './summary.js';
import { TaxSection } from './tax.js';
import { TinvestPanel } from './tinvest.js';
import type { MarketStatus, Overview } from './types.js';

function App() {
  const { t } = useI18n();
  const user = useCurrentUser();
  const [overview, setOverview] = useState<Overview>();
  const [error, setError] = useState<string>();
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const [refreshStatus, setRefreshStatus] = useState<MarketStatus>();
  const [version, setVersion] = useState(0);

  const load = useCallback(() => {
    setError(undefined);
    api.get('/portfolio').then(setOverview, (err: unknown) => setError(errorText(err)));
  }, []);
  useEffect(load, [version]);
  const changed = useCallback(() => setVersion((v) => v + 1), []);
  useShortcut('n', () => setAdding(true));

  const refreshing = useSubmit();
  const refresh = () =>
    void refreshing.run({
      send: () => api.post('/portfolio/quotes/refresh'),
      done: (r) => {
        // A failed refresh keeps the cached prices; the banner says so until a refresh succeeds.
        setRefreshStatus(r.marketData.stale || !r.marketData.configured ? r.marketData : undefined);
        // No source: nothing was refreshed, and that is said, not reported as a success.
        if (!r.marketData.configured) toast.info(t('inv.refresh.noSource'));
        else if (r.marketData.stale) {
          const reason = r.marketData.error ? reasonKey(r.marketData.error.code) : undefined;
          toast.error(`${t('inv.market.stale')}${reason ? ` ${t(reason)}` : ''}`);
        } else toast.success(tn('inv.refreshed', r.refreshed));
        changed();
      },
    });

  const open = useMemo(
    () => overview?.portfolios.some((p) => p.positions.some((pos) => !pos.closed)) ?? false,
    [overview],
  );

  return (
    <Layout
      page="investments"
      title={t('nav.investments')}
      actions={
        <>
          {open && (
            <button class="btn btn-sm" type="button" onClick={refresh} disabled={refreshing.busy}>
              {t('inv.refresh')}
            </button>
          )}
          {overview && overview.portfolios.length > 0 && (
            <button
              class="btn btn-sm"
              type="button"
              onClick={() => setImporting(true)}
              data-testid="activity-import-open"
            >
              {t('act.open')}
            </button>
          )}
          <button class="btn btn-primary btn-sm" type="button" onClick={() => setAdding(true)}>
            {t('inv.add')}
          </button>
        </>
      }
    >
      {error && <ErrorState message={error} onRetry={load} />}
      {!overview && !error && <Spinner />}
      {overview && (
        <div class="inv-page">
          <MarketBanner overview={overview} status={refreshStatus ?? overview.marketData} />
          <SummaryTiles totals={overview.totals} base={overview.baseCurrency} />
          {open ? (
            <>
              <AllocationCharts overview={overview} />
              <PositionsSection overview={overview} onChanged={changed} />
            </>
          ) : (
            <div class="card">
              <EmptyState
                title={t('inv.empty.title')}
                text={t('inv.empty.text')}
                action={
                  <button class="btn btn-primary" type="button" onClick={() => setAdding(true)}>
                    {t('inv.add')}
                  </button>
                }
              />
            </div>
          )}
          <ResultsSection version={version} />
          <PortfoliosSection overview={overview} onChanged={changed} />
          <div class="grid grid-2">
            <CalendarSection version={version} />
            {user && <TinvestPanel hasToken={user.hasTinvestToken} onChanged={changed} />}
          </div>
          <OperationsSection overview={overview} onChanged={changed} />
          <IncomeSection version={version} />
          <TaxSection version={version} />
        </div>
      )}
      {adding && overview && (
        <AddAssetDialog
          portfolios={overview.portfolios}
          onClose={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            changed();
          }}
        />
      )}
      {importing && overview && (
        <ImportActivitiesDialog
          portfolios={overview.portfolios}
          onClose={() => setImporting(false)}
          onChanged={changed}
        />
      )}
    </Layout>
  );
}

startPage(<App />);
