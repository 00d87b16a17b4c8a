import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../lib/i18n.js';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Open dialogs, innermost last: keys and focus belong to the top one only. */
const stack: HTMLElement[] = [];

/**
 * A dialog: Escape and the backdrop close it; focus moves into it when it opens, Tab and Shift+Tab
 * stay inside it while it is open, and on closing focus returns to what opened it (also when the
 * dialog was opened from another dialog).
 */
export function Modal(props: {
  open: boolean;
  title: string;
  onClose: () => void;
  footer?: ComponentChildren;
  wide?: boolean;
  children: ComponentChildren;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const { open, onClose } = props;

  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!open || !dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    stack.push(dialog);
    const onKey = (e: KeyboardEvent) => {
      if (stack[stack.length - 1] !== dialog) return;
      if (e.key === 'Escape') {
        e.stopPropagation();
        closeRef.current();
        return;
      }
      if (e.key !== 'Tab') return;
      const items = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
        (el) => el.offsetParent !== null,
      );
      const first = items[0];
      const last = items[items.length - 1];
      if (!first || !last) {
        e.preventDefault();
        return;
      }
      const active = document.activeElement;
      if (e.shiftKey && (active === first || !dialog.contains(active))) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && (active === last || !dialog.contains(active))) {
        e.preventDefault();
        first.focus();
      }
    };
    // Focus that leaves the top dialog (a click on the page behind) is brought back.
    const onFocusIn = (e: FocusEvent) => {
      if (stack[stack.length - 1] === dialog && e.target instanceof Node && !dialog.contains(e.target))
        dialog.querySelector<HTMLElement>(FOCUSABLE)?.focus();
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('focusin', onFocusIn);
    (dialog.querySelector<HTMLElement>('input, select, textarea, button:not(.icon-btn)') ?? dialog).focus();
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('focusin', onFocusIn);
      stack.splice(stack.indexOf(dialog), 1);
      // Back to the opener once the dialog is gone (the opener may have re-rendered: wait a frame).
      requestAnimationFrame(() => {
        if (opener?.isConnected) opener.focus();
        else stack[stack.length - 1]?.querySelector<HTMLElement>(FOCUSABLE)?.focus();
      });
    };
  }, [open]);

  if (!open) return null;
  return (
    <div class="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        class={`modal ${props.wide ? 'wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
        tabIndex={-1}
        ref={ref}
      >
        <div class="modal-head">
          <h2 style="margin:0">{props.title}</h2>
          <button class="icon-btn" type="button" onClick={onClose} aria-label={t('action.close')}>
            ✕
          </button>
        </div>
        <div class="modal-body">{props.children}</div>
        {props.footer && <div class="modal-foot">{props.footer}</div>}
      </div>
    </div>
  );
}

/** The footer of a dialog with a form: Cancel, and the button that submits the form `formId`. */
export function DialogButtons(props: {
  formId: string;
  onCancel: () => void;
  busy?: boolean;
  /** Defaults to Save. */
  submitLabel?: string;
  submitTestId?: string;
}) {
  const { t } = useI18n();
  return (
    <>
      <button class="btn" type="button" onClick={props.onCancel}>
        {t('action.cancel')}
      </button>
      <button
        class="btn btn-primary"
        type="submit"
        form={props.formId}
        disabled={props.busy}
        data-testid={props.submitTestId}
      >
        {props.submitLabel ?? t('action.save')}
      </button>
    </>
  );
}
