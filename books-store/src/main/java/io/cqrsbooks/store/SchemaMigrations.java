package io.cqrsbooks.store;

import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLConnection;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Set;

/**
 * Brings the store's schema ({@link Schema}) to the newest version: the command side at start, and tests
 * that need the tables. A named lock makes concurrent starts (several command processes) apply each
 * migration once.
 */
public final class SchemaMigrations {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);
  private static final String LOCK_NAME = "cqrs_books.migrations";
  private static final int LOCK_WAIT_SECONDS = 60;

  private SchemaMigrations() {
  }

  public static Future<Void> apply(Vertx vertx, MySQLConnectOptions options) {
    return MySQLConnection.connect(vertx, options).compose(connection ->
        connection.preparedQuery("SELECT GET_LOCK(?, ?)").execute(Tuple.of(LOCK_NAME, LOCK_WAIT_SECONDS))
            .compose(locked -> applyPending(connection))
            .eventually(() -> connection.close()));
  }

  private static Future<Void> applyPending(SqlConnection connection) {
    return connection.query(Schema.CREATE_MIGRATIONS_TABLE).execute()
        .compose(created -> connection.query(Schema.APPLIED_MIGRATIONS).execute())
        .compose(rows -> {
          Set<Integer> applied = new HashSet<>();
          for (Row row : rows) {
            applied.add(row.getInteger("version"));
          }
          Future<Void> chain = Future.succeededFuture();
          for (Schema.Migration migration : Schema.MIGRATIONS) {
            if (!applied.contains(migration.version())) {
              chain = chain.compose(done -> run(connection, migration));
            }
          }
          return chain;
        });
  }

  private static Future<Void> run(SqlConnection connection, Schema.Migration migration) {
    Future<Void> chain = Future.succeededFuture();
    for (String statement : migration.statements()) {
      chain = chain.compose(done -> connection.query(statement).execute().mapEmpty());
    }
    return chain
        .compose(done -> connection.preparedQuery(Schema.RECORD_MIGRATION)
            .execute(Tuple.of(migration.version(), migration.description())))
        .onSuccess(recorded -> LOG.info("schema migration {} applied: {}", migration.version(), migration.description()))
        .mapEmpty();
  }
}
