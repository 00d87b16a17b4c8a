import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../lib/i18n.js';

/** A dialog: Escape and the backdrop close it; focus moves into it when it opens. */
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

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    ref.current?.querySelector<HTMLElement>('input, select, textarea, button:not(.icon-btn)')?.focus();
    return () => document.removeEventListener('keydown', onKey);
  }, [open, onClose]);

  if (!open) return null;
  return (
    <div class="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        class={`modal ${props.wide ? 'wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={props.title}
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
