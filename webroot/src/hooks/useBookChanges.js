import { useEffect, useRef, useState } from 'react';

/** Follows the query side's live change stream; calls onChange for every applied change. */
export function useBookChanges(onChange) {
  const handler = useRef(onChange);
  const [live, setLive] = useState(false);
  handler.current = onChange;

  useEffect(() => {
    const source = new EventSource('/api/books/changes');
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    source.addEventListener('change', (event) => handler.current(JSON.parse(event.data)));
    return () => source.close();
  }, []);

  return live;
}
