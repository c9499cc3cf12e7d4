package io.cqrsbooks.query;

import io.cqrsbooks.contract.Book;
import io.cqrsbooks.contract.BookRows;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Copies MySQL's books into the read model, in bid order, one bounded batch at a time (keyset paging,
 * so memory does not grow with the table). Version-guarded, so it never replaces a newer document and
 * can overlap the event stream; live documents whose books are gone from MySQL are removed.
 */
final class ReadModelBootstrap {

  private static final Logger LOG = LoggerFactory.getLogger(ReadModelBootstrap.class);
  private static final String MAX_BID = "SELECT COALESCE(MAX(bid), 0) FROM books";
  private static final String BATCH = "SELECT " + BookRows.COLUMNS + " FROM books WHERE bid > ? ORDER BY bid LIMIT ?";
  private static final long LOG_EVERY = 50_000;

  private final Pool mysql;
  private final ReadModel readModel;
  private final QueryStatus status;
  private final int batchSize;

  ReadModelBootstrap(Pool mysql, ReadModel readModel, QueryStatus status, int batchSize) {
    this.mysql = mysql;
    this.readModel = readModel;
    this.status = status;
    this.batchSize = batchSize;
  }

  /** Runs the whole copy; completes with the number of books copied. */
  Future<Long> run() {
    long started = System.nanoTime();
    // Books created after this point reach the read model through the stream; the final sweep leaves them alone.
    return mysql.query(MAX_BID).execute()
        .map(rows -> rows.iterator().next().getLong(0))
        .compose(maxBid -> copyAfter(0, 0, maxBid))
        .onSuccess(copied -> LOG.info("read model bootstrapped from MySQL: {} books in {} ms",
            copied, (System.nanoTime() - started) / 1_000_000));
  }

  private Future<Long> copyAfter(long after, long copied, long maxBidAtStart) {
    return mysql.preparedQuery(BATCH).execute(Tuple.of(after, batchSize)).compose(rows -> {
      List<Book> books = new ArrayList<>(rows.size());
      for (Row row : rows) {
        books.add(BookRows.fromRow(row));
      }
      if (books.isEmpty()) {
        return after < maxBidAtStart
            ? readModel.removeMissing(after, maxBidAtStart, List.of()).map(copied)
            : Future.succeededFuture(copied);
      }
      long last = books.get(books.size() - 1).bid();
      long total = copied + books.size();
      return Future.all(books.stream().map(readModel::upsertIfNewer).toList())
          .compose(stored -> readModel.removeMissing(after, last, books.stream().map(Book::bid).toList()))
          .compose(removed -> {
            status.bootstrapProgress(total);
            if (total / LOG_EVERY > copied / LOG_EVERY) {
              LOG.info("bootstrap: {} books copied", total);
            }
            return copyAfter(last, total, maxBidAtStart);
          });
    });
  }
}
