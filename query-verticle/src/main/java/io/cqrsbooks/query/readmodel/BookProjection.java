package io.cqrsbooks.query.readmodel;

import io.cqrsbooks.contract.Book;
import io.cqrsbooks.contract.BookEvent;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies book events to the read model, idempotently: duplicates, replays and stale events change
 * nothing. Returns the events that actually changed the read model, for the live change stream.
 */
public final class BookProjection {

  private final ReadModel readModel;

  public BookProjection(ReadModel readModel) {
    this.readModel = readModel;
  }

  public Future<List<BookEvent>> apply(List<BookEvent> events) {
    List<BookEvent> candidates = ProjectionRules.newestPerBook(events);
    if (candidates.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return readModel.appliedVersions(candidates.stream().map(BookEvent::bid).toList()).compose(applied -> {
      List<BookEvent> changes = new ArrayList<>();
      List<Book> upserts = new ArrayList<>();
      Map<Long, Long> deletions = new HashMap<>();
      for (BookEvent event : candidates) {
        if (!ProjectionRules.isNewer(event.version(), applied.newest(event.bid()))) {
          continue;
        }
        changes.add(event);
        if (event.type().removesBook()) {
          deletions.put(event.bid(), event.version());
        } else {
          upserts.add(event.book());
        }
      }
      // A deletion cut off between its tombstone and the document's removal is finished when its event comes again.
      applied.unfinishedDeletions().forEach((bid, version) -> {
        if (upserts.stream().noneMatch(book -> book.bid() == bid)) {
          deletions.putIfAbsent(bid, version);
        }
      });
      return readModel.write(upserts, deletions).map(changes);
    });
  }
}
