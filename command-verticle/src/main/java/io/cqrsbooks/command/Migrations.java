package io.cqrsbooks.command;

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
 * Brings the schema to the newest version at start. A named lock makes concurrent starts
 * (several command instances) apply each migration once.
 */
final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final String LOCK_NAME = "cqrs_books.migrations";
  private static final int LOCK_WAIT_SECONDS = 60;

  private Migrations() {
  }

  static Future<Void> apply(Vertx vertx, MySQLConnectOptions options) {
    return MySQLConnection.connect(vertx, options).compose(connection ->
        connection.preparedQuery(CommandSql.LOCK).execute(Tuple.of(LOCK_NAME, LOCK_WAIT_SECONDS))
            .compose(locked -> applyPending(connection))
            .eventually(() -> connection.close()));
  }

  private static Future<Void> applyPending(SqlConnection connection) {
    return connection.query(CommandSql.CREATE_MIGRATIONS_TABLE).execute()
        .compose(created -> connection.query(CommandSql.APPLIED_MIGRATIONS).execute())
        .compose(rows -> {
          Set<Integer> applied = new HashSet<>();
          for (Row row : rows) {
            applied.add(row.getInteger("version"));
          }
          Future<Void> chain = Future.succeededFuture();
          for (CommandSql.Migration migration : CommandSql.MIGRATIONS) {
            if (!applied.contains(migration.version())) {
              chain = chain.compose(done -> run(connection, migration));
            }
          }
          return chain;
        });
  }

  private static Future<Void> run(SqlConnection connection, CommandSql.Migration migration) {
    Future<Void> chain = Future.succeededFuture();
    for (String statement : migration.statements()) {
      chain = chain.compose(done -> connection.query(statement).execute().mapEmpty());
    }
    return chain
        .compose(done -> connection.preparedQuery(CommandSql.RECORD_MIGRATION)
            .execute(Tuple.of(migration.version(), migration.description())))
        .onSuccess(recorded -> LOG.info("schema migration {} applied: {}", migration.version(), migration.description()))
        .mapEmpty();
  }
}
