import { useI18n } from '../i18n.jsx';

/** Category (with the projection's counts) and price range; every change is a new list from its first page. */
export default function Filters({ query, categories, onChange }) {
  const { t } = useI18n();
  const known = categories.some((c) => c.name === query.category);
  return (
    <fieldset className="filters">
      <legend>{t('filters')}</legend>
      <select aria-label={t('category')} value={query.category} onChange={(e) => onChange({ category: e.target.value })}>
        <option value="">{t('allCategories')}</option>
        {categories.map(({ name, count }) => (
          <option key={name} value={name}>{t('categoryCount', { name: name || t('noCategory'), count })}</option>
        ))}
        {query.category && !known && <option value={query.category}>{query.category}</option>}
      </select>
      <input type="number" min="0" step="1" inputMode="numeric" aria-label={t('minPrice')} placeholder={t('minPrice')}
             value={query.minPrice} onChange={(e) => onChange({ minPrice: e.target.value }, { replace: true })} />
      <input type="number" min="0" step="1" inputMode="numeric" aria-label={t('maxPrice')} placeholder={t('maxPrice')}
             value={query.maxPrice} onChange={(e) => onChange({ maxPrice: e.target.value }, { replace: true })} />
      {(query.category || query.minPrice || query.maxPrice) && (
        <button type="button" onClick={() => onChange({ category: '', minPrice: '', maxPrice: '' })}>{t('clearFilters')}</button>
      )}
    </fieldset>
  );
}
