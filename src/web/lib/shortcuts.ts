import { useEffect } from 'preact/hooks';

/** Whether the key press belongs to a text field (shortcuts must not steal typing). */
function typing(e: KeyboardEvent): boolean {
  const el = e.target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

/**
 * A single-key shortcut (e.g. 'n' for "new", '/' for search) active while the component is
 * mounted; ignored while typing in a field or with a modifier held.
 */
export function useShortcut(key: string, handler: (e: KeyboardEvent) => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== key || e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
      e.preventDefault();
      handler(e);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [key, handler]);
}

/** "g" then a letter jumps between pages, as in many web apps. */
export function useGoToShortcuts(targets: Record<string, string>): void {
  useEffect(() => {
    let armed = 0;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e)) return;
      if (e.key === 'g') {
        armed = Date.now();
        return;
      }
      const href = targets[e.key];
      if (href && Date.now() - armed < 1500) {
        armed = 0;
        location.assign(href);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [targets]);
}
