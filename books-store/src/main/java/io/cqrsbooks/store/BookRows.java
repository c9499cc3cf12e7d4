package io.cqrsbooks.store;

import io.cqrsbooks.contract.Book;
import io.vertx.sqlclient.Row;

import java.time.ZoneOffset;

/** The {@code books} table row form of a book, read the same way by the command side and the bootstrap. */
public final class BookRows {

  public static final String COLUMNS =
      "bid, title, author, category, pages, price, published_date, description, isbn, version, created_at, updated_at";

  private BookRows() {
  }

  public static Book fromRow(Row row) {
    return new Book(
        row.getLong("bid"),
        row.getString("title"),
        row.getString("author"),
        row.getString("category"),
        row.getInteger("pages"),
        row.getLong("price"),
        row.getLocalDate("published_date"),
        row.getString("description"),
        row.getString("isbn"),
        row.getLong("version"),
        row.getLocalDateTime("created_at").toInstant(ZoneOffset.UTC),
        row.getLocalDateTime("updated_at").toInstant(ZoneOffset.UTC));
  }
}
