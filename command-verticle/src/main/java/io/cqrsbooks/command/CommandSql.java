package io.cqrsbooks.command;

import io.cqrsbooks.store.BookRows;

import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Every SQL statement of the command side, in one place (the schema: {@link io.cqrsbooks.store.Schema}). */
final class CommandSql {

  static final String LOCK = "SELECT GET_LOCK(?, ?)";
  static final String UNLOCK = "SELECT RELEASE_LOCK(?)";
  static final String RENEW_LEASE = "DO 1";

  /** The server closes the session, and so frees its named lock, after this many silent seconds. */
  static String leaseTerm(long seconds) {
    return "SET SESSION wait_timeout = " + seconds;
  }

  /** The columns a command sets, each with where its value comes from: one list fixes the order of both. */
  private static final List<Map.Entry<String, Function<BookInput, Object>>> EDITABLE = List.of(
      Map.entry("title", BookInput::title),
      Map.entry("author", BookInput::author),
      Map.entry("category", BookInput::category),
      Map.entry("pages", BookInput::pages),
      Map.entry("price", BookInput::price),
      Map.entry("published_date", BookInput::publishedDate),
      Map.entry("description", BookInput::description),
      Map.entry("isbn", BookInput::isbn));
  private static final List<String> EDITABLE_COLUMNS = EDITABLE.stream().map(Map.Entry::getKey).toList();

  /** Parameters: {@link #editableValues}, then created_at, updated_at. */
  static final String INSERT_BOOK = "INSERT INTO books (" + String.join(", ", EDITABLE_COLUMNS)
      + ", version, created_at, updated_at) VALUES (" + "?, ".repeat(EDITABLE.size()) + "1, ?, ?)";
  static final String LOCK_BOOK = "SELECT " + BookRows.COLUMNS + " FROM books WHERE bid = ? FOR UPDATE";
  /** Parameters: {@link #editableValues}, then version, updated_at, bid. */
  static final String UPDATE_BOOK = "UPDATE books SET " + String.join(" = ?, ", EDITABLE_COLUMNS)
      + " = ?, version = ?, updated_at = ? WHERE bid = ?";
  static final String DELETE_BOOK = "DELETE FROM books WHERE bid = ?";

  static final String INSERT_OUTBOX = """
      INSERT INTO outbox (event_id, bid, version, event_type, payload, created_at, request_id)
      VALUES (?, ?, ?, ?, ?, ?, ?)""";
  static final String UNPUBLISHED = """
      SELECT id, bid, payload, request_id FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT ?""";
  /** How far the relay is behind: unpublished rows and the oldest one's creation (UTC); uses the (published_at, id) index. */
  static final String OUTBOX_BACKLOG = """
      SELECT COUNT(*), MIN(created_at) FROM outbox WHERE published_at IS NULL""";
  static final String PING = "SELECT 1";
  static final String PURGE_PUBLISHED = """
      DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < ? LIMIT 10000""";

  /** The editable columns' values, in the order {@link #INSERT_BOOK} and {@link #UPDATE_BOOK} name them. */
  static Tuple editableValues(BookInput input) {
    Tuple values = Tuple.tuple();
    EDITABLE.forEach(column -> values.addValue(column.getValue().apply(input)));
    return values;
  }

  /** {@code UPDATE outbox ... WHERE id IN (?, ?, ...)} for {@code count} ids. */
  static String markPublished(int count) {
    return "UPDATE outbox SET published_at = ? WHERE id IN (" + "?, ".repeat(count - 1) + "?)";
  }

  private CommandSql() {
  }
}
