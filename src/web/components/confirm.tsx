import { Modal } from './modal.js';
import { useI18n } from '../lib/i18n.js';

/**
 * A yes/no question in a dialog (never the browser's blocking confirm()). By default it asks to
 * delete, with the danger colour; `action` names another step, shown with the primary colour.
 */
export function Confirm(props: {
  text: string | null;
  onConfirm: () => void;
  onClose: () => void;
  /** Title and button of a question that is not a deletion. */
  action?: string;
}) {
  const { t } = useI18n();
  const label = props.action ?? t('action.delete');
  return (
    <Modal
      open={props.text !== null}
      title={label}
      onClose={props.onClose}
      footer={
        <>
          <button class="btn" type="button" onClick={props.onClose}>
            {t('action.cancel')}
          </button>
          <button
            class={`btn ${props.action ? 'btn-primary' : 'btn-danger-solid'}`}
            type="button"
            data-testid="confirm-yes"
            onClick={() => {
              props.onConfirm();
              props.onClose();
            }}
          >
            {label}
          </button>
        </>
      }
    >
      <p style="margin:0">{props.text}</p>
    </Modal>
  );
}
