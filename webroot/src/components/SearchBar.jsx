import { useI18n } from '../i18n.jsx';

const SORTS = [
  ['-bid', 'newest'], ['bid', 'oldest'], ['title', 'titleAz'], ['-title', 'titleZa'], ['price', 'priceLow'],
  ['-price', 'priceHigh'], ['pages', 'pagesFew'], ['-pages', 'pagesMost'], ['-publishedDate', 'publishedNew'],
  ['publishedDate', 'publishedOld'],
];

export default function SearchBar({ query, onChange }) {
  const { t } = useI18n();
  return (
    <div className="search">
      <input type="search" placeholder={t('searchPlaceholder')} aria-label={t('search')}
             value={query.q} onChange={(e) => onChange({ q: e.target.value })} />
      <select aria-label={t('sort')} value={query.sort} onChange={(e) => onChange({ sort: e.target.value })}>
        {SORTS.map(([value, label]) => <option key={value} value={value}>{t(label)}</option>)}
      </select>
    </div>
  );
}
