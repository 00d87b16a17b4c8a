import { useState } from 'preact/hooks';
import { ApiError, authenticate } from '../../lib/api.js';
import { addMessages, setLocale, useI18n } from '../../lib/i18n.js';
import { errorText, Field, useSubmit } from '../../lib/forms.js';
import { startPage } from '../../lib/page.js';

addMessages({
  ru: {
    'login.title': 'Вход',
    'login.tab.login': 'Вход',
    'login.tab.register': 'Регистрация',
    'login.email': 'E-mail',
    'login.password': 'Пароль',
    'login.name': 'Имя (необязательно)',
    'login.submit.login': 'Войти',
    'login.submit.register': 'Создать аккаунт',
    'login.passwordHint': 'Не короче 8 символов',
    'login.tagline': 'Инвестиции, бюджет и кредиты в одном месте',
    'login.error.credentials': 'Неверный e-mail или пароль',
    'login.error.taken': 'Этот e-mail уже зарегистрирован',
    'login.error.limited': 'Слишком много попыток. Попробуйте позже.',
    'login.error.generic': 'Не получилось: {message}',
  },
  en: {
    'login.title': 'Log in',
    'login.tab.login': 'Log in',
    'login.tab.register': 'Register',
    'login.email': 'E-mail',
    'login.password': 'Password',
    'login.name': 'Name (optional)',
    'login.submit.login': 'Log in',
    'login.submit.register': 'Create account',
    'login.passwordHint': 'At least 8 characters',
    'login.tagline': 'Investments, budget and loans in one place',
    'login.error.credentials': 'Wrong e-mail or password',
    'login.error.taken': 'This e-mail is already registered',
    'login.error.limited': 'Too many attempts. Try again later.',
    'login.error.generic': 'That did not work: {message}',
  },
});

/** Where to go after login: only a path of this site, never another origin. */
function nextPage(): string {
  const next = new URLSearchParams(location.search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/dashboard.html';
}

function LoginPage() {
  const { t, locale } = useI18n();
  const [mode, setMode] = useState<'login' | 'register'>(
    location.hash === '#register' ? 'register' : 'login',
  );
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const { busy, errors, setErrors, problem, run } = useSubmit({ inline: true });

  const submit = (e: Event) => {
    e.preventDefault();
    const body: Record<string, string> = { email, password };
    if (mode === 'register' && name.trim()) body.name = name.trim();
    void run({
      // The language the person registered in: the pages, the starter categories, the portfolio.
      send: () =>
        mode === 'register' ? authenticate('register', { ...body, locale }) : authenticate('login', body),
      done: () => location.assign(nextPage()),
      explain: (err) =>
        err instanceof ApiError && err.code === 'INVALID_CREDENTIALS'
          ? t('login.error.credentials')
          : err instanceof ApiError && err.code === 'EMAIL_TAKEN'
            ? t('login.error.taken')
            : err instanceof ApiError && err.status === 429
              ? t('login.error.limited')
              : t('login.error.generic', { message: errorText(err) }),
    });
  };

  return (
    <div class="auth-wrap">
      <div class="card auth-card">
        <div class="row" style="justify-content:space-between;margin-bottom:0.5rem">
          <h1>WealthTracker</h1>
          <button class="icon-btn" type="button" onClick={() => setLocale(locale === 'ru' ? 'en' : 'ru')}>
            {locale === 'ru' ? 'EN' : 'RU'}
          </button>
        </div>
        <p class="muted" style="margin-top:0">
          {t('login.tagline')}
        </p>
        <div class="tabs" role="tablist">
          {(['login', 'register'] as const).map((m) => (
            <button
              key={m}
              type="button"
              role="tab"
              aria-selected={mode === m}
              onClick={() => {
                setMode(m);
                setErrors({});
              }}
            >
              {t(`login.tab.${m}`)}
            </button>
          ))}
        </div>
        <form noValidate onSubmit={submit}>
          <Field id="email" label={t('login.email')} error={errors.email}>
            <input
              name="email"
              type="email"
              autocomplete="email"
              required
              value={email}
              onInput={(e) => setEmail(e.currentTarget.value)}
            />
          </Field>
          <Field
            id="password"
            label={t('login.password')}
            error={errors.password}
            after={mode === 'register' && <span class="muted">{t('login.passwordHint')}</span>}
          >
            <input
              name="password"
              type="password"
              required
              minLength={mode === 'register' ? 8 : 1}
              autocomplete={mode === 'register' ? 'new-password' : 'current-password'}
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </Field>
          {mode === 'register' && (
            <Field id="name" label={t('login.name')} error={errors.name}>
              <input
                name="name"
                autocomplete="name"
                value={name}
                onInput={(e) => setName(e.currentTarget.value)}
              />
            </Field>
          )}
          {problem && (
            <div class="banner error" role="alert">
              {problem}
            </div>
          )}
          <button class="btn btn-primary" type="submit" disabled={busy} style="width:100%">
            {t(mode === 'login' ? 'login.submit.login' : 'login.submit.register')}
          </button>
        </form>
      </div>
    </div>
  );
}

startPage(<LoginPage />);
