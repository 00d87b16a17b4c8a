import { useEffect, useState } from 'preact/hooks';

// Short results of actions ("Saved", "Could not delete"), shown for a few seconds.
interface ToastItem {
  id: number;
  text: string;
  kind: 'success' | 'error' | 'info';
}

let items: ToastItem[] = [];
let nextId = 1;
const listeners = new Set<(items: ToastItem[]) => void>();

function push(text: string, kind: ToastItem['kind']): void {
  const item = { id: nextId++, text, kind };
  items = [...items, item];
  listeners.forEach((l) => l(items));
  setTimeout(
    () => {
      items = items.filter((i) => i.id !== item.id);
      listeners.forEach((l) => l(items));
    },
    kind === 'success' ? 3000 : 6000,
  );
}

export const toast = {
  success: (text: string) => push(text, 'success'),
  error: (text: string) => push(text, 'error'),
  /** Neither success nor failure: what happened, e.g. nothing to do. */
  info: (text: string) => push(text, 'info'),
};

export function Toasts() {
  const [list, setList] = useState(items);
  useEffect(() => {
    listeners.add(setList);
    return () => void listeners.delete(setList);
  }, []);
  return (
    <div class="toasts" role="status" aria-live="polite">
      {list.map((i) => (
        <div key={i.id} class={`toast ${i.kind === 'success' ? '' : i.kind}`}>
          {i.text}
        </div>
      ))}
    </div>
  );
}
