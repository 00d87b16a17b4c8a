import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { todayIn } from '../../common/dates.js';
import { api, logout, onUser, type CurrentUser } from '../lib/api.js';
import { setLocale, useI18n } from '../lib/i18n.js';
import { useGoToShortcuts } from '../lib/shortcuts.js';
import { toggleTheme } from '../lib/theme.js';
import { Toasts } from './toast.js';

export type PageName = 'dashboard' | 'investments' | 'budget' | 'obligations' | 'settings';

const NAV: { page: PageName; href: string; key: string; shortcut: string }[] = [
  { page: 'dashboard', href: '/dashboard.html', key: 'nav.dashboard', shortcut: 'd' },
  { page: 'investments', href: '/', key: 'nav.investments', shortcut: 'i' },
  { page: 'budget', href: '/budget.html', key: 'nav.budget', shortcut: 'b' },
  { page: 'obligations', href: '/obligations.html', key: 'nav.obligations', shortcut: 'o' },
  { page: 'settings', href: '/settings.html', key: 'nav.settings', shortcut: 's' },
];
const GO_TO = Object.fromEntries(NAV.map((n) => [n.shortcut, n.href]));

let userPromise: Promise<CurrentUser> | undefined;
/** The current user, fetched once per page. */
export function currentUser(): Promise<CurrentUser> {
  userPromise ??= api.get('/users/me');
  return userPromise;
}

/** The signed-in user for components; undefined while loading. */
export function useCurrentUser(): CurrentUser | undefined {
  const [user, setUser] = useState<CurrentUser>();
  useEffect(() => {
    void currentUser().then(setUser, () => undefined);
    return onUser(setUser);
  }, []);
  return user;
}

/** Today in the profile's time zone (the browser's until the profile has loaded), as `YYYY-MM-DD`. */
export function useToday(): string {
  return todayIn(useCurrentUser()?.timeZone);
}

export function Layout(props: {
  page: PageName;
  title: string;
  actions?: ComponentChildren;
  children: ComponentChildren;
}) {
  const { t, locale } = useI18n();
  const user = useCurrentUser();
  useGoToShortcuts(GO_TO);

  useEffect(() => {
    document.title = `${props.title} · WealthTracker`;
  }, [props.title]);

  useEffect(() => {
    if (user) setLocale(user.locale);
  }, [user?.locale]);

  // On a phone the page links fold into a menu opened by a button.
  const [menuOpen, setMenuOpen] = useState(false);
  const menuButton = useRef<HTMLButtonElement>(null);
  const navRef = useRef<HTMLElement>(null);

  useEffect(() => {
    if (!menuOpen) return;
    const nav = navRef.current;
    (
      nav?.querySelector<HTMLElement>('[aria-current="page"]') ?? nav?.querySelector<HTMLElement>('a')
    )?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setMenuOpen(false);
      menuButton.current?.focus();
    };
    const onPointer = (e: MouseEvent) => {
      const target = e.target as Node;
      if (!nav?.contains(target) && !menuButton.current?.contains(target)) setMenuOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('mousedown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('mousedown', onPointer);
    };
  }, [menuOpen]);

  // Tabbing out of the open menu closes it.
  const onNavFocusOut = (e: FocusEvent) => {
    const next = e.relatedTarget as Node | null;
    if (next && !navRef.current?.contains(next) && next !== menuButton.current) setMenuOpen(false);
  };

  const switchLocale = () => {
    const next = locale === 'ru' ? 'en' : 'ru';
    setLocale(next);
    // Remember the choice in the profile too, so every device follows it.
    void api.patch('/users/me', { body: { locale: next } }).catch(() => undefined);
  };

  return (
    <>
      <header class="app-header">
        <div class="app-header-inner">
          <a class="brand" href="/dashboard.html">
            WealthTracker
          </a>
          <button
            class="icon-btn nav-toggle"
            type="button"
            ref={menuButton}
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            aria-label={t('nav.menu')}
            title={t('nav.menu')}
            onClick={() => setMenuOpen((open) => !open)}
            data-testid="nav-toggle"
          >
            <svg viewBox="0 0 20 20" width="20" height="20" aria-hidden="true">
              {menuOpen ? <path d="M5 5l10 10M15 5L5 15" /> : <path d="M3 5.5h14M3 10h14M3 14.5h14" />}
            </svg>
          </button>
          <nav
            id="main-nav"
            class={`nav ${menuOpen ? 'nav-open' : ''}`}
            aria-label={t('nav.label')}
            ref={navRef}
            onFocusOut={onNavFocusOut}
          >
            {NAV.map((n) => (
              <a
                key={n.page}
                href={n.href}
                aria-current={n.page === props.page ? 'page' : undefined}
                title={`g ${n.shortcut}`}
              >
                {t(n.key)}
              </a>
            ))}
          </nav>
          <div class="header-tools">
            <span class="muted hide-phone user-name" title={user?.email}>
              {user?.name || user?.email}
            </span>
            <button
              class="icon-btn"
              type="button"
              onClick={switchLocale}
              title={t('locale.toggle')}
              data-testid="locale-toggle"
            >
              {locale === 'ru' ? 'EN' : 'RU'}
            </button>
            <button
              class="icon-btn"
              type="button"
              onClick={() => toggleTheme()}
              title={t('theme.toggle')}
              aria-label={t('theme.toggle')}
            >
              ◐
            </button>
            <button class="btn btn-sm" type="button" onClick={() => void logout()} data-testid="logout">
              {t('action.logout')}
            </button>
          </div>
        </div>
      </header>
      <main class="main">
        <div class="page-head">
          <h1>{props.title}</h1>
          {props.actions && <div class="page-actions">{props.actions}</div>}
        </div>
        {props.children}
      </main>
      <Toasts />
    </>
  );
}
