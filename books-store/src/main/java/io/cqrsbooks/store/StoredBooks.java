package io.cqrsbooks.store;

import io.cqrsbooks.contract.Book;
import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The books MySQL holds, read as the query side's bootstrap reads them (read-only; the command side owns
 * the schema and every write). All of the bootstrap's SQL is here.
 */
public final class StoredBooks {

  private static final String BATCH = "SELECT " + BookRows.COLUMNS + " FROM books WHERE bid > ? ORDER BY bid LIMIT ?";
  private static final String STORE_EPOCH = "SELECT epoch FROM store_epoch WHERE id = 1";
  private static final int NO_SUCH_TABLE = 1146;

  private final Pool mysql;

  public StoredBooks(Pool mysql) {
    this.mysql = mysql;
  }

  /** Up to {@code limit} books with a bid above {@code after}, in bid order (keyset paging). */
  public Future<List<Book>> batchAfter(long after, int limit) {
    return mysql.preparedQuery(BATCH).execute(Tuple.of(after, limit)).map(rows -> {
      List<Book> books = new ArrayList<>(rows.size());
      for (Row row : rows) {
        books.add(BookRows.fromRow(row));
      }
      return books;
    });
  }

  /** Which of these bids MySQL still has. */
  public Future<Set<Long>> existing(Collection<Long> bids) {
    if (bids.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    String placeholders = "?, ".repeat(bids.size() - 1) + "?";
    return mysql.preparedQuery("SELECT bid FROM books WHERE bid IN (" + placeholders + ")")
        .execute(Tuple.wrap(new ArrayList<Object>(bids)))
        .map(rows -> {
          Set<Long> found = new HashSet<>();
          rows.forEach(row -> found.add(row.getLong(0)));
          return found;
        });
  }

  /** This database's identity (migration 2); null for a database without one (older, or made by hand). */
  public Future<String> storeEpoch() {
    return mysql.query(STORE_EPOCH).execute()
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0))
        .recover(failure -> isMissingTable(failure) ? Future.succeededFuture(null) : Future.failedFuture(failure));
  }

  private static boolean isMissingTable(Throwable failure) {
    return failure instanceof MySQLException mysqlFailure && mysqlFailure.getErrorCode() == NO_SUCH_TABLE;
  }
}
