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
    return copyAfter(0, 0)
        .onSuccess(copied -> LOG.info("read model bootstrapped from MySQL: {} books in {} ms",
            copied, (System.nanoTime() - started) / 1_000_000));
  }

  /**
   * Past MySQL's last book: a document can only be in the read model if its book was committed in
   * MySQL, so one whose bid MySQL does not hold when asked has been deleted and goes. A book created
   * meanwhile by a concurrent consumer is found in MySQL and stays.
   */
  private Future<Void> sweepAfter(long after) {
    return readModel.liveBidsAfter(after, batchSize).compose(bids -> {
      if (bids.isEmpty()) {
        return Future.succeededFuture();
      }
      String placeholders = "?, ".repeat(bids.size() - 1) + "?";
      return mysql.preparedQuery("SELECT bid FROM books WHERE bid IN (" + placeholders + ")")
          .execute(Tuple.wrap(new ArrayList<Object>(bids)))
          .compose(rows -> {
            List<Long> gone = new ArrayList<>(bids);
            rows.forEach(row -> gone.remove(row.getLong(0)));
            return readModel.removeBooks(gone);
          })
          .compose(removed -> sweepAfter(bids.get(bids.size() - 1)));
    });
  }

  private Future<Long> copyAfter(long after, long copied) {
    return mysql.preparedQuery(BATCH).execute(Tuple.of(after, batchSize)).compose(rows -> {
      List<Book> books = new ArrayList<>(rows.size());
      for (Row row : rows) {
        books.add(BookRows.fromRow(row));
      }
      if (books.isEmpty()) {
        return sweepAfter(after).map(copied);
      }
      long last = books.get(books.size() - 1).bid();
      long total = copied + books.size();
      return Future.all(books.stream().map(readModel::upsertIfNewer).toList())
          .compose(stored -> readModel.removeLiveExcept(after, last, books.stream().map(Book::bid).toList()))
          .compose(removed -> {
            status.bootstrapProgress(total);
            if (total / LOG_EVERY > copied / LOG_EVERY) {
              LOG.info("bootstrap: {} books copied", total);
            }
            return copyAfter(last, total);
          });
    });
  }
}
