/**
 * The pipeline made visible: for the user's own recent commands, how long the command side took to accept
 * each, and how long after that the read model showed it; and how far the read side is behind now.
 */
import { useI18n } from '../i18n.jsx';

export default function PipelinePanel({ entries, lag }) {
  const { t } = useI18n();
  const longest = Math.max(1, ...entries.map((entry) => entry.acceptedMs + entry.visibleMs));
  return (
    <section className="pipeline" aria-labelledby="pipeline-title">
      <h2 id="pipeline-title">{t('recent')}</h2>
      <p className="lag">
        {lag === null ? t('lagUnknown') : lag === 1 ? t('lagOne') : t('lag', { count: lag })}
      </p>
      {entries.length === 0 ? (
        <p>{t('noCommands')}</p>
      ) : (
        <ol>
          {entries.map((entry) => (
            <li key={entry.id} data-visible-ms={Math.round(entry.visibleMs)}>
              <span className="what">{entry.what}</span>
              <svg width="120" height="10" role="img"
                   aria-label={t('timesLabel', { accepted: Math.round(entry.acceptedMs), visible: Math.round(entry.visibleMs) })}>
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
