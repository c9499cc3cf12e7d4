import { useI18n } from '../i18n.jsx';

/**
 * Pages by cursor: previous and next come from the server's answer (null at either end); the position
 * shown is counted from the pages walked, and a capped total shows as "1,000+".
 */
export default function Pager({ page, number, limit, onFirst, onPrevious, onNext }) {
  const { t, language } = useI18n();
  const count = page.items.length;
  const first = count === 0 ? 0 : (number - 1) * limit + 1;
  const last = count === 0 ? 0 : first + count - 1;
  const total = `${page.total.toLocaleString(language)}${page.totalCapped ? '+' : ''}`;
  return (
    <nav className="pager" aria-label={t('pages')}>
      <span className="pager-back">
        {number > 1 && (number > 2 || !page.previous) && <button type="button" onClick={onFirst}>{t('firstPage')}</button>}
        <button type="button" disabled={!page.previous} onClick={() => onPrevious(page.previous)}>{t('previous')}</button>
      </span>
      <span>{t('range', { first: first.toLocaleString(language), last: last.toLocaleString(language), total })}</span>
      <button type="button" disabled={!page.next} onClick={() => onNext(page.next)}>{t('next')}</button>
    </nav>
  );
}
