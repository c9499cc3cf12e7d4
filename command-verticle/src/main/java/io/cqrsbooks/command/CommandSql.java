package io.cqrsbooks.command;

import io.cqrsbooks.store.BookRows;

import io.vertx.sqlclient.Tuple;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Every SQL statement of the command side, and the schema migrations, in one place. */
final class CommandSql {

  record Migration(int version, String description, List<String> statements) {
  }

  static final List<Migration> MIGRATIONS = List.of(
      new Migration(1, "books and outbox", List.of(
          """
          CREATE TABLE IF NOT EXISTS books (
            bid            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
            title          VARCHAR(200) NOT NULL,
            author         VARCHAR(100) NOT NULL DEFAULT '',
            category       VARCHAR(50)  NOT NULL DEFAULT '',
            pages          INT          NOT NULL,
            price          BIGINT       NOT NULL,
            published_date DATE         NULL,
            description    TEXT         NOT NULL,
            version        BIGINT       NOT NULL,
            created_at     DATETIME(6)  NOT NULL,
            updated_at     DATETIME(6)  NOT NULL
          ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
          """,
          """
          CREATE TABLE IF NOT EXISTS outbox (
            id           BIGINT      NOT NULL AUTO_INCREMENT PRIMARY KEY,
            event_id     CHAR(36)    NOT NULL,
            bid          BIGINT      NOT NULL,
            version      BIGINT      NOT NULL,
            event_type   VARCHAR(32) NOT NULL,
            payload      MEDIUMTEXT  NOT NULL,
            created_at   DATETIME(6) NOT NULL,
            published_at DATETIME(6) NULL,
            KEY outbox_unpublished (published_at, id)
          ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
          """)),
      // The identity of this database: a read model built from another one must be copied again.
      new Migration(2, "store epoch", List.of(
          """
          CREATE TABLE IF NOT EXISTS store_epoch (
            id    TINYINT  NOT NULL PRIMARY KEY,
            epoch CHAR(36) NOT NULL
          ) ENGINE=InnoDB
          """,
          "INSERT IGNORE INTO store_epoch (id, epoch) VALUES (1, UUID())")),
      // X-Request-Id of the command that wrote the row: the relay sends it as the event's Kafka header.
      new Migration(3, "request id on outbox rows", List.of(
          "ALTER TABLE outbox ADD COLUMN IF NOT EXISTS request_id VARCHAR(64) NULL")),
      // Optional ISBN-13 (13 digits), unique when present: MySQL's unique index allows any number of NULLs.
      new Migration(4, "isbn", List.of(
          "ALTER TABLE books ADD COLUMN IF NOT EXISTS isbn CHAR(13) NULL",
          "CREATE UNIQUE INDEX IF NOT EXISTS books_isbn ON books (isbn)")));

  static final String CREATE_MIGRATIONS_TABLE = """
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version     INT          NOT NULL PRIMARY KEY,
        description VARCHAR(200) NOT NULL,
        applied_at  DATETIME(6)  NOT NULL
      ) ENGINE=InnoDB""";
  static final String APPLIED_MIGRATIONS = "SELECT version FROM schema_migrations";
  static final String RECORD_MIGRATION =
      "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, UTC_TIMESTAMP(6))";
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
