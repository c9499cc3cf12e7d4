import { useI18n } from '../i18n.jsx';

export default function Pager({ total, limit, offset, onPage }) {
  const { t } = useI18n();
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  return (
    <nav className="pager">
      <button type="button" disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - limit))}>
        {t('previous')}
      </button>
      <span>{t('range', { first, last, total })}</span>
      <button type="button" disabled={offset + limit >= total} onClick={() => onPage(offset + limit)}>
        {t('next')}
      </button>
    </nav>
  );
}
