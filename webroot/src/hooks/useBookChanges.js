import { useEffect, useRef, useState } from 'react';

const STREAM = '/api/books/changes';

/**
 * Follows the query side's live change stream; calls onChange for every applied change, and with
 * { type: 'RELOAD' } when the server says changes were missed. The browser reconnects by itself with the
 * id of the last change it saw (Last-Event-ID), and the server replays what it missed while it still holds
 * it. When the browser goes offline the stream is closed at once (a dead connection can look open for
 * minutes); back online, a new stream starts from the last id seen (?lastEventId=, as a new EventSource
 * cannot set the header).
 */
export function useBookChanges(onChange) {
  const handler = useRef(onChange);
  const [live, setLive] = useState(false);
  handler.current = onChange;

  useEffect(() => {
    let source = null;
    let lastId = null;
    const remember = (event) => {
      if (event.lastEventId) lastId = event.lastEventId;
    };
    const open = () => {
      source = new EventSource(lastId ? `${STREAM}?lastEventId=${encodeURIComponent(lastId)}` : STREAM);
      source.onopen = () => setLive(true);
      source.onerror = () => setLive(false);
      source.addEventListener('ready', remember);
      source.addEventListener('change', (event) => {
        remember(event);
        handler.current(JSON.parse(event.data));
      });
      source.addEventListener('reload', (event) => {
        remember(event);
        handler.current({ type: 'RELOAD' });
      });
    };
    const offline = () => {
      source.close();
      setLive(false);
    };
    const online = () => {
      if (source.readyState === EventSource.CLOSED) open();
    };
    open();
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      source.close();
    };
  }, []);

  return live;
}
