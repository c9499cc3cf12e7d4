package io.cqrsbooks.command;

import io.cqrsbooks.lifecycle.InFlight;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Marks the outbox rows Kafka acknowledged as published, off the relay's path: the mark runs on a pooled
 * connection while the relay's next drain already selects and sends on the lease connection. Rows sent but
 * not marked yet are remembered, so that drain does not send them again; so are rows whose mark finished
 * after a drain's select began, since that select may have read the table before the mark committed.
 * A mark that fails forgets its rows and asks for a drain: they are sent again (the read side ignores the
 * duplicates) and marked then.
 *
 * <p>Runs on the relay's event loop only.
 */
final class OutboxMarks {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxMarks.class);

  private final Pool pool;
  private final RelayStatus status;
  private final Runnable drainAgain;
  private final Set<Long> sentUnmarked = new HashSet<>();
  /** Rows whose mark finished since the last drain's select began: that select's answer may still hold them. */
  private final Set<Long> markedSinceSelect = new HashSet<>();
  private final InFlight marking = new InFlight();

  /** @param drainAgain called when a mark failed, so that its rows are sent again */
  OutboxMarks(Pool pool, RelayStatus status, Runnable drainAgain) {
    this.pool = pool;
    this.status = status;
    this.drainAgain = drainAgain;
  }

  /** Rows sent whose mark has not finished: a drain selects this many more, and skips them. */
  int unmarked() {
    return sentUnmarked.size();
  }

  /** A drain starts selecting unpublished rows: marks finished before now committed before it reads. */
  void selecting() {
    markedSinceSelect.clear();
  }

  /** Whether a selected row was sent already: its mark has not finished, or finished since the select began. */
  boolean sentAlready(long id) {
    return sentUnmarked.contains(id) || markedSinceSelect.contains(id);
  }

  /** Done once every mark started so far has finished, whatever its outcome: the relay stops after it. */
  Future<Void> settled() {
    return marking.settled();
  }

  /** Kafka acknowledged these rows: they are marked in the background. */
  void mark(List<Long> ids) {
    sentUnmarked.addAll(ids);
    Tuple parameters = Tuple.tuple().addValue(LocalDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
    ids.forEach(parameters::addValue);
    marking.track(pool.preparedQuery(CommandSql.markPublished(ids.size())).execute(parameters))
        .onComplete(marked -> {
          ids.forEach(sentUnmarked::remove);
          if (marked.succeeded()) {
            markedSinceSelect.addAll(ids);
            status.published(ids.size());
          } else {
            LOG.warn("marking {} published outbox rows failed; they will be sent again: {}", ids.size(),
                marked.cause().getMessage());
            drainAgain.run();
          }
        });
  }
}
