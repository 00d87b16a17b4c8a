import { Modal } from './modal.js';
import { useI18n } from '../lib/i18n.js';

/** A yes/no question in a dialog (never the browser's blocking confirm()). */
export function Confirm(props: { text: string | null; onConfirm: () => void; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Modal
      open={props.text !== null}
      title={t('action.delete')}
      onClose={props.onClose}
      footer={
        <>
          <button class="btn" type="button" onClick={props.onClose}>
            {t('action.cancel')}
          </button>
          <button
            class="btn btn-primary"
            type="button"
            data-testid="confirm-yes"
            onClick={() => {
              props.onConfirm();
              props.onClose();
            }}
          >
            {t('action.delete')}
          </button>
        </>
      }
    >
      <p style="margin:0">{props.text}</p>
    </Modal>
  );
}
