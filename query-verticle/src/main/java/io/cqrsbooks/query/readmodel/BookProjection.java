package io.cqrsbooks.query.readmodel;

import io.cqrsbooks.contract.Book;
import io.cqrsbooks.contract.BookEvent;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies book events to the read model, idempotently: duplicates, replays and stale events change
 * nothing. Returns the events that actually changed the read model, for the live change stream. While a
 * rebuild writes a new generation, every batch is applied to it as well, after the current one.
 */
public final class BookProjection {

  private static final Logger LOG = LoggerFactory.getLogger(BookProjection.class);

  private final ReadModel readModel;
  private volatile Optional<ReadModel> building = Optional.empty();

  public BookProjection(ReadModel readModel) {
    this.readModel = readModel;
  }

  /** Applies every batch to {@code generation} too, until {@link #stopBuilding}. */
  public void alsoBuild(Generation generation) {
    if (building.map(model -> !model.generation().equals(generation)).orElse(true)) {
      building = Optional.of(readModel.at(generation));
    }
  }

  public void stopBuilding() {
    building = Optional.empty();
  }

  /**
   * Applies events to the current generation, keeping its counts; the generation being built gets the
   * books only (each process recounts its partitions there when queries switch to it).
   */
  public Future<List<BookEvent>> apply(List<BookEvent> events) {
    Optional<ReadModel> alsoTo = building;
    Future<List<BookEvent>> applied = applyTo(readModel, events, true);
    return alsoTo.isEmpty() ? applied : applied.compose(changes -> applyTo(alsoTo.get(), events, false)
        .recover(BookProjection::refusedOnlyByTheNewGeneration)
        .map(changes));
  }

  /** Each live book replaced or removed leaves the counts; each book written joins them. */
  static CountDelta countDelta(Partitioning partitioning, ReadModel.Applied applied, List<Book> upserts,
      Collection<Long> deletions) {
    CountDelta delta = new CountDelta();
    for (Book book : upserts) {
      ReadModel.Applied.Counted before = applied.counted().get(book.bid());
      if (before != null) {
        delta.remove(before.partition(), before.category());
      }
      delta.add(partitioning.of(book.bid()), book.category() == null ? "" : book.category());
    }
    for (long bid : deletions) {
      ReadModel.Applied.Counted before = applied.counted().get(bid);
      if (before != null) {
        delta.remove(before.partition(), before.category());
      }
    }
    return delta;
  }

  /**
   * The current generation took these events: a refusal by the one being built (an index only it has) must
   * not set them aside. The rebuild's copy meets the same refusal and fails, saying why.
   */
  private static Future<List<BookEvent>> refusedOnlyByTheNewGeneration(Throwable failure) {
    if (failure instanceof WriteRefusedException refused) {
      LOG.warn("the generation being built refused books {}; the rebuild will fail on them", refused.reasons().keySet());
      return Future.succeededFuture(List.of());
    }
    return Future.failedFuture(failure);
  }

  private static Future<List<BookEvent>> applyTo(ReadModel target, List<BookEvent> events, boolean counting) {
    List<BookEvent> candidates = ProjectionRules.newestPerBook(events);
    if (candidates.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return target.appliedVersions(candidates.stream().map(BookEvent::bid).toList()).compose(applied -> {
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
      if (!counting) {
        return target.write(upserts, deletions).map(changes);
      }
      CountDelta delta = countDelta(target.partitioning(), applied, upserts, deletions.keySet());
      BookCounts counts = target.counts();
      return counts.markPending(delta.changes().keySet())
          .compose(marked -> target.write(upserts, deletions))
          .compose(written -> counts.add(delta))
          .map(changes);
    });
  }
}
