import { useState } from 'preact/hooks';
import { useI18n } from '../../lib/i18n.js';
import './import-messages.js';
import './import.css';
import { ImportDialog } from './import-dialog.js';
import { RulesDialog } from './rules-dialog.js';
import type { Account, Category } from './types.js';

/** The budget page's way in to statement imports and their rules; owns its dialogs. */
export function ImportButtons(props: {
  accounts?: Account[] | undefined;
  categories?: Category[] | undefined;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState<'import' | 'rules' | null>(null);
  const { accounts, categories } = props;
  const ready = accounts !== undefined && categories !== undefined && accounts.length > 0;
  return (
    <>
      <button
        class="btn"
        type="button"
        disabled={!ready}
        onClick={() => setOpen('rules')}
        data-testid="open-rules"
      >
        {t('imp.rules')}
      </button>
      <button
        class="btn"
        type="button"
        disabled={!ready}
        onClick={() => setOpen('import')}
        data-testid="open-import"
      >
        {t('imp.open')}
      </button>
      {open === 'import' && ready && (
        <ImportDialog
          accounts={accounts}
          categories={categories}
          onClose={() => setOpen(null)}
          onChanged={props.onChanged}
        />
      )}
      {open === 'rules' && ready && (
        <RulesDialog accounts={accounts} categories={categories} onClose={() => setOpen(null)} />
      )}
    </>
  );
}
