/**
 * The pipeline made visible: for the user's own recent commands, how long the command side took to accept
 * each, and how long after that the read model showed it; and how far the read side is behind now.
 */
export default function PipelinePanel({ entries, lag }) {
  const longest = Math.max(1, ...entries.map((entry) => entry.acceptedMs + entry.visibleMs));
  return (
    <section className="pipeline" aria-labelledby="pipeline-title">
      <h2 id="pipeline-title">Your recent commands</h2>
      <p className="lag">
        {lag === null ? 'Read side: status unknown.' : `Read side: ${lag} event${lag === 1 ? '' : 's'} behind.`}
      </p>
      {entries.length === 0 ? (
        <p>None yet. Each command you send shows here with the time it took to appear in the list.</p>
      ) : (
        <ol>
          {entries.map((entry) => (
            <li key={entry.id} data-visible-ms={Math.round(entry.visibleMs)}>
              <span className="what">{entry.what}</span>
              <svg width="120" height="10" role="img"
                   aria-label={`accepted in ${Math.round(entry.acceptedMs)} ms, visible ${Math.round(entry.visibleMs)} ms later`}>
                <rect x="0" y="0" height="10" width={(120 * entry.acceptedMs) / longest} className="accepted" />
                <rect x={(120 * entry.acceptedMs) / longest} y="0" height="10"
                      width={(120 * entry.visibleMs) / longest} className="visible" />
              </svg>
              <span className="times">{Math.round(entry.acceptedMs)} ms + {Math.round(entry.visibleMs)} ms</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
