package io.cqrsbooks.store;

import java.util.List;

/**
 * The MySQL store's schema, as versioned migrations: the {@code books} table both sides read, and the
 * command side's {@code outbox}. {@link SchemaMigrations} applies them.
 */
public final class Schema {

  private Schema() {
  }

  /** One step of the schema: statements applied once, in order, and recorded with their version. */
  public record Migration(int version, String description, List<String> statements) {
  }

  public static final List<Migration> MIGRATIONS = List.of(
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
}
