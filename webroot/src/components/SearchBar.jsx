const SORTS = [
  ['-bid', 'Newest first'],
  ['bid', 'Oldest first'],
  ['title', 'Title A–Z'],
  ['-title', 'Title Z–A'],
  ['price', 'Price, low to high'],
  ['-price', 'Price, high to low'],
  ['pages', 'Pages, fewest first'],
  ['-pages', 'Pages, most first'],
  ['-publishedDate', 'Published, newest first'],
  ['publishedDate', 'Published, oldest first'],
];

export default function SearchBar({ query, onChange }) {
  return (
    <div className="search">
      <input type="search" placeholder="Search title or author" aria-label="Search"
             value={query.q} onChange={(e) => onChange({ q: e.target.value })} />
      <select aria-label="Sort" value={query.sort} onChange={(e) => onChange({ sort: e.target.value })}>
        {SORTS.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
      </select>
    </div>
  );
}
