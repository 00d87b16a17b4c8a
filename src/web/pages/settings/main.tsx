import { useEffect, useState } from 'preact/hooks';
import { Layout, useCurrentUser } from '../../components/layout.js';
import { ErrorState } from '../../components/empty-state.js';
import { Spinner } from '../../components/spinner.js';
import { api, type Answer, type CurrentUser } from '../../lib/api.js';
import { formatDateTime } from '../../lib/format.js';
import { errorText, Field, useSubmit } from '../../lib/forms.js';
import { addMessages, setLocale, useI18n } from '../../lib/i18n.js';
import { startPage } from '../../lib/page.js';
import { DataTransfer } from './data-transfer.js';
import { ManualRates } from './manual-rates.js';

addMessages({
  ru: {
    'settings.title': 'Настройки',
    'settings.profile': 'Профиль',
    'settings.name': 'Имя',
    'settings.baseCurrency': 'Базовая валюта',
    'settings.locale': 'Язык',
    'settings.timeZone': 'Часовой пояс',
    'settings.saved': 'Сохранено',
    'settings.password': 'Смена пароля',
    'settings.currentPassword': 'Текущий пароль',
    'settings.newPassword': 'Новый пароль (не короче 8 символов)',
    'settings.passwordChanged': 'Пароль изменён, другие сеансы завершены',
    'settings.sessions': 'Активные сеансы',
    'settings.session.current': 'этот сеанс',
    'settings.session.end': 'Завершить',
    'settings.session.ended': 'Сеанс завершён',
    'settings.session.started': 'Вход',
    'settings.session.lastUsed': 'Последняя активность',
  },
  en: {
    'settings.title': 'Settings',
    'settings.profile': 'Profile',
    'settings.name': 'Name',
    'settings.baseCurrency': 'Base currency',
    'settings.locale': 'Language',
    'settings.timeZone': 'Time zone',
    'settings.saved': 'Saved',
    'settings.password': 'Change password',
    'settings.currentPassword': 'Current password',
    'settings.newPassword': 'New password (at least 8 characters)',
    'settings.passwordChanged': 'Password changed; other sessions ended',
    'settings.sessions': 'Active sessions',
    'settings.session.current': 'this session',
    'settings.session.end': 'End',
    'settings.session.ended': 'Session ended',
    'settings.session.started': 'Signed in',
    'settings.session.lastUsed': 'Last active',
  },
});

const CURRENCIES = ['RUB', 'USD', 'EUR', 'CNY'];
const TIME_ZONES = [
  'Europe/Kaliningrad',
  'Europe/Moscow',
  'Europe/Samara',
  'Asia/Yekaterinburg',
  'Asia/Omsk',
  'Asia/Novosibirsk',
  'Asia/Krasnoyarsk',
  'Asia/Irkutsk',
  'Asia/Yakutsk',
  'Asia/Vladivostok',
  'Asia/Magadan',
  'Asia/Kamchatka',
  'UTC',
];

/** "Chrome 156 · Linux" from a user-agent string; the raw string when nothing is recognised. */
function describeUserAgent(ua: string): string {
  const browser = /(Edg|OPR|YaBrowser|Firefox|Chrome|Safari)\/(\d+)/.exec(ua);
  const os = /(Windows|Android|iPhone|iPad|Mac OS X|Linux)/.exec(ua);
  if (!browser) return ua || '—';
  const names: Record<string, string> = { Edg: 'Edge', OPR: 'Opera', YaBrowser: 'Yandex Browser' };
  const name = names[browser[1] ?? ''] ?? browser[1];
  return `${name} ${browser[2]}${os ? ` · ${os[1] === 'Mac OS X' ? 'macOS' : os[1]}` : ''}`;
}

function Profile({ user }: { user: CurrentUser }) {
  const { t } = useI18n();
  const [form, setForm] = useState({
    name: user.name,
    baseCurrency: user.baseCurrency,
    locale: user.locale,
    timeZone: user.timeZone,
  });
  const { busy, errors, run } = useSubmit();
  const save = (e: Event) => {
    e.preventDefault();
    void run({
      send: () => api.patch('/users/me', { body: form }),
      success: t('settings.saved'),
      done: () => setLocale(form.locale),
    });
  };
  const zones = TIME_ZONES.includes(form.timeZone) ? TIME_ZONES : [form.timeZone, ...TIME_ZONES];
  return (
    <form noValidate class="card" onSubmit={save}>
      <h2>{t('settings.profile')}</h2>
      <Field id="name" label={t('settings.name')} error={errors.name}>
        <input
          maxLength={100}
          value={form.name}
          onInput={(e) => setForm({ ...form, name: e.currentTarget.value })}
        />
      </Field>
      <div class="form-row">
        <Field id="currency" label={t('settings.baseCurrency')} error={errors.baseCurrency}>
          <select
            value={form.baseCurrency}
            onChange={(e) => setForm({ ...form, baseCurrency: e.currentTarget.value })}
          >
            {CURRENCIES.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </Field>
        <Field id="locale" label={t('settings.locale')} error={errors.locale}>
          <select
            value={form.locale}
            onChange={(e) => setForm({ ...form, locale: e.currentTarget.value === 'en' ? 'en' : 'ru' })}
          >
            <option value="ru">Русский</option>
            <option value="en">English</option>
          </select>
        </Field>
      </div>
      <Field id="tz" label={t('settings.timeZone')} error={errors.timeZone}>
        <select value={form.timeZone} onChange={(e) => setForm({ ...form, timeZone: e.currentTarget.value })}>
          {zones.map((z) => (
            <option key={z}>{z}</option>
          ))}
        </select>
      </Field>
      <button class="btn btn-primary" type="submit" disabled={busy}>
        {t('action.save')}
      </button>
    </form>
  );
}

function Password({ onChanged }: { onChanged: () => void }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const { busy, errors, run } = useSubmit();
  const submit = (e: Event) => {
    e.preventDefault();
    void run({
      send: () => api.post('/users/me/password', { body: { currentPassword: current, newPassword: next } }),
      success: t('settings.passwordChanged'),
      done: () => {
        setCurrent('');
        setNext('');
        onChanged();
      },
    });
  };
  return (
    <form noValidate class="card" onSubmit={submit}>
      <h2>{t('settings.password')}</h2>
      <Field id="current" label={t('settings.currentPassword')} error={errors.currentPassword}>
        <input
          type="password"
          autocomplete="current-password"
          required
          value={current}
          onInput={(e) => setCurrent(e.currentTarget.value)}
        />
      </Field>
      <Field id="next" label={t('settings.newPassword')} error={errors.newPassword}>
        <input
          type="password"
          autocomplete="new-password"
          required
          minLength={8}
          value={next}
          onInput={(e) => setNext(e.currentTarget.value)}
        />
      </Field>
      <button class="btn btn-primary" type="submit" disabled={busy}>
        {t('action.save')}
      </button>
    </form>
  );
}

type SessionItem = Answer<'/users/me/sessions', 'get'>[number];

function Sessions({ version }: { version: number }) {
  const { t } = useI18n();
  const [list, setList] = useState<SessionItem[]>();
  const [error, setError] = useState<string>();
  const load = () =>
    api.get('/users/me/sessions').then(
      (l) => {
        setList(l);
        setError(undefined);
      },
      (err: unknown) => setError(errorText(err)),
    );
  useEffect(() => void load(), [version]);
  const { run } = useSubmit();
  const end = (id: string) =>
    void run({
      send: () => api.del('/users/me/sessions/{id}', { path: { id } }),
      success: t('settings.session.ended'),
      done: () => void load(),
    });
  return (
    <div class="card">
      <h2>{t('settings.sessions')}</h2>
      {error && <ErrorState message={error} onRetry={() => void load()} />}
      {!list && !error && <Spinner />}
      {list && (
        <div class="table-wrap" tabIndex={0}>
          <table class="table">
            <tbody>
              {list.map((s) => (
                <tr key={s.id}>
                  <td>
                    <div title={s.userAgent}>{describeUserAgent(s.userAgent)}</div>
                    <div class="muted">
                      {s.ip} · {t('settings.session.started')} {formatDateTime(s.createdAt)} ·{' '}
                      {t('settings.session.lastUsed')} {formatDateTime(s.lastUsedAt)}
                    </div>
                  </td>
                  <td class="num">
                    {s.current ? (
                      <span class="badge positive">{t('settings.session.current')}</span>
                    ) : (
                      <button class="btn btn-sm" type="button" onClick={() => end(s.id)}>
                        {t('settings.session.end')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function SettingsPage() {
  const { t } = useI18n();
  const current = useCurrentUser();
  // A loaded export brings its own profile (time zone, base currency): the form shows it at once.
  const [imported, setImported] = useState<CurrentUser>();
  const user = imported ?? current;
  const [version, setVersion] = useState(0);
  return (
    <Layout page="settings" title={t('settings.title')}>
      {!user ? (
        <Spinner />
      ) : (
        <div class="grid-2">
          <div class="stack">
            <Profile key={version} user={user} />
            <Password onChanged={() => setVersion(version + 1)} />
          </div>
          <div class="stack">
            <Sessions version={version} />
            <ManualRates key={version} />
            <DataTransfer
              onImported={() =>
                void api.get('/users/me').then((u) => {
                  setImported(u);
                  setVersion((v) => v + 1);
                })
              }
            />
          </div>
        </div>
      )}
    </Layout>
  );
}

startPage(<SettingsPage />);
