import { useEffect, useRef, useState } from 'react';

/**
 * Follows the query side's live change stream; calls onChange for every applied change, and with
 * { type: 'RELOAD' } when the server says changes were missed (the browser reconnects with the id of the
 * last change it saw, and the server replays what it missed when it still holds it).
 */
export function useBookChanges(onChange) {
  const handler = useRef(onChange);
  const [live, setLive] = useState(false);
  handler.current = onChange;

  useEffect(() => {
    const source = new EventSource('/api/books/changes');
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    source.addEventListener('change', (event) => handler.current(JSON.parse(event.data)));
    source.addEventListener('reload', () => handler.current({ type: 'RELOAD' }));
    return () => source.close();
  }, []);

  return live;
}
