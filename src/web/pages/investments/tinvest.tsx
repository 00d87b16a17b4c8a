import { useState } from 'preact/hooks';
import { toast } from '../../components/toast.js';
import { api } from '../../lib/api.js';
import { formatDateTime } from '../../lib/format.js';
import { useI18n } from '../../lib/i18n.js';
import { useSubmit } from '../../lib/forms.js';
import type { BrokerAccount, SyncResult } from './types.js';

/** The user's own T-Invest token (status, save, remove) and the import of broker accounts. */
export function TinvestPanel(props: { hasToken: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  const [token, setToken] = useState('');
  const [hasToken, setHasToken] = useState(props.hasToken);
  const [accounts, setAccounts] = useState<BrokerAccount[]>();
  const [busy, setBusy] = useState<string>();
  /** The broker comparison of the last sync, per account. */
  const [checks, setChecks] = useState<Record<string, SyncResult['reconciliation']>>({});

  const submit = useSubmit();
  /** One action at a time; `busy` says which, for its button. */
  const run = async (key: string, action: () => Promise<void>) => {
    setBusy(key);
    await submit.run({ send: action });
    setBusy(undefined);
  };

  const save = (e: Event) => {
    e.preventDefault();
    void run('save', async () => {
      const r = await api.put('/users/me/tinvest-token', { body: { token: token.trim() } });
      setHasToken(r.hasTinvestToken);
      setAccounts(r.accounts);
      setToken('');
      toast.success(t('inv.token.saved'));
    });
  };

  const remove = () =>
    run('remove', async () => {
      await api.del('/users/me/tinvest-token');
      setHasToken(false);
      setAccounts(undefined);
      toast.success(t('inv.token.removed'));
    });

  const load = () =>
    run('load', async () => {
      setAccounts((await api.get('/tinvest/accounts')).accounts);
    });

  const sync = (accountId: string) =>
    run(accountId, async () => {
      const r = await api.post('/portfolios/sync', { body: { accountId } });
      toast.success(t('inv.sync.done', { imported: r.imported, already: r.alreadyImported }));
      setChecks((all) => ({ ...all, [accountId]: r.reconciliation }));
      setAccounts((await api.get('/tinvest/accounts')).accounts);
      props.onChanged();
    });

  return (
    <section class="card" data-testid="tinvest-panel">
      <div class="inv-head">
        <h2>{t('inv.token.title')}</h2>
        <span class={`badge ${hasToken ? 'positive' : 'muted'}`} data-testid="token-status">
          <span class={`inv-dot ${hasToken ? 'on' : ''}`} aria-hidden="true" />
          {hasToken ? t('inv.token.connected') : t('inv.token.missing')}
        </span>
      </div>
      <form noValidate class="inv-token-form" onSubmit={save}>
        <label class="field">
          <span>{t('inv.token.label')}</span>
          <input
            type="password"
            autocomplete="off"
            minLength={10}
            required
            value={token}
            onInput={(e) => setToken(e.currentTarget.value)}
          />
        </label>
        <div class="inv-actions">
          <button class="btn btn-primary btn-sm" type="submit" disabled={busy !== undefined}>
            {t('inv.token.save')}
          </button>
          {hasToken && (
            <button
              class="btn btn-sm"
              type="button"
              onClick={() => void remove()}
              disabled={busy !== undefined}
            >
              {t('inv.token.remove')}
            </button>
          )}
        </div>
      </form>
      <p class="muted">{t('inv.token.hint')}</p>
      {hasToken && accounts === undefined && (
        <button class="btn btn-sm" type="button" onClick={() => void load()} disabled={busy !== undefined}>
          {t('inv.sync.load')}
        </button>
      )}
      {accounts && accounts.length === 0 && <p class="muted">{t('inv.sync.none')}</p>}
      {accounts && accounts.length > 0 && (
        <ul class="inv-accounts">
          {accounts.map((a) => (
            <li key={a.id}>
              <div>
                <b>{a.name}</b> <span class="muted">· {a.type}</span>
                <div class="muted">
                  {a.lastSyncedAt
                    ? t('inv.sync.last', { time: formatDateTime(a.lastSyncedAt) })
                    : t('inv.sync.never')}
                </div>
                {a.id in checks && <SyncCheck check={checks[a.id] ?? null} />}
              </div>
              <button
                class="btn btn-sm"
                type="button"
                onClick={() => void sync(a.id)}
                disabled={busy !== undefined}
              >
                {busy === a.id ? '…' : t('inv.sync.run')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Whether the imported history gives the broker's positions and cash, or what differs and why. */
function SyncCheck({ check }: { check: SyncResult['reconciliation'] }) {
  const { t } = useI18n();
  if (check === null)
    return (
      <div class="muted" data-testid="sync-check">
        {t('inv.sync.unchecked')}
      </div>
    );
  if (check.equal)
    return (
      <div class="positive" data-testid="sync-check">
        {t('inv.sync.equal')}
      </div>
    );
  return (
    <div class="negative" data-testid="sync-check">
      {t('inv.sync.differs')}
      {check.differences.map((d) => (
        <div key={`${d.kind}:${d.ticker}`}>
          {t('inv.sync.line', {
            ticker: d.ticker,
            broker: d.broker,
            ours: d.ours,
            cause: t(`inv.sync.cause.${d.cause}`, { details: d.details.join(', ') }),
          })}
        </div>
      ))}
    </div>
  );
}
