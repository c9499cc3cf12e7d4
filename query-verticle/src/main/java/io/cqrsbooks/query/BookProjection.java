package io.cqrsbooks.query;

import io.cqrsbooks.contract.BookEvent;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Applies book events to the read model, idempotently: duplicates, replays and stale events change
 * nothing. Returns the events that actually changed the read model, for the live change stream.
 */
final class BookProjection {

  private final ReadModel readModel;

  BookProjection(ReadModel readModel) {
    this.readModel = readModel;
  }

  Future<List<BookEvent>> apply(List<BookEvent> events) {
    List<BookEvent> candidates = ProjectionRules.newestPerBook(events);
    if (candidates.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return readModel.tombstones(candidates.stream().map(BookEvent::bid).toList())
        .compose(tombstones -> applyInOrder(candidates, tombstones));
  }

  private Future<List<BookEvent>> applyInOrder(List<BookEvent> candidates, Map<Long, Long> tombstones) {
    List<BookEvent> applied = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (BookEvent event : candidates) {
      if (!ProjectionRules.survivesTombstone(event, tombstones.get(event.bid()))) {
        continue;
      }
      chain = chain.compose(previous -> applyOne(event).map(changed -> {
        if (changed) {
          applied.add(event);
        }
        return null;
      }));
    }
    return chain.map(done -> applied);
  }

  private Future<Boolean> applyOne(BookEvent event) {
    return event.type().removesBook()
        ? readModel.removeIfNewer(event.bid(), event.version())
        : readModel.upsertIfNewer(event.book());
  }
}
