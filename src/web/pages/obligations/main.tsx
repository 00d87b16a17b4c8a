import { Layout } from '../../components/layout.js';
import { EmptyState } from '../../components/empty-state.js';
import { useI18n } from '../../lib/i18n.js';
import { startPage } from '../../lib/page.js';

function Page() {
  const { t } = useI18n();
  return (
    <Layout page="obligations" title={t('nav.obligations')}>
      <EmptyState title={t('nav.obligations')} />
    </Layout>
  );
}

startPage(<Page />);
