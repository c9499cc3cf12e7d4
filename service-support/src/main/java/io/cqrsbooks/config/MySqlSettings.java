package io.cqrsbooks.config;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How to reach MySQL/MariaDB: the {@code mysql} section of the configuration.
 *
 * @param socketTimeout how long a statement may wait for MySQL's answer on its connection. Past it the
 *     connection is closed and the statement fails: a connection gone silent (a partition, a primary's host
 *     gone without closing it) otherwise held a command, or the relay's lease and drain, for ever
 */
public record MySqlSettings(String host, int port, String database, String user, String password, int poolSize,
                            Duration socketTimeout) {

  /** A request waits at most this long for a connection, so a database outage answers 503 instead of hanging. */
  private static final int CONNECTION_WAIT_SECONDS = 5;
  /** The default {@link #socketTimeout}, for settings not read from a configuration. */
  public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

  public static MySqlSettings from(Config config) {
    return new MySqlSettings(
        config.required("mysql.host"),
        config.port("mysql.port"),
        config.required("mysql.database"),
        config.required("mysql.user"),
        config.text("mysql.password"),
        config.positive("mysql.poolSize"),
        config.seconds("mysql.socketTimeoutSeconds"));
  }

  /**
   * The same, for a connection or pool whose client metrics are tagged {@code client_namespace=name}: each
   * of a process's connections to MySQL then has gauges of its own instead of sharing one.
   */
  public MySQLConnectOptions connectOptions(String name) {
    MySQLConnectOptions options = connectOptions();
    options.setMetricsName(name);
    return options;
  }

  public MySQLConnectOptions connectOptions() {
    return new MySQLConnectOptions()
        .setHost(host)
        .setPort(port)
        .setDatabase(database)
        .setUser(user)
        .setPassword(password)
        .setCharset("utf8mb4")
        .setCachePreparedStatements(true);
  }

  /** A pool shared by every verticle instance that asks for the same name, so the connection count stays bounded. */
  public Pool sharedPool(Vertx vertx, String name) {
    return pool(vertx, name, poolSize, true);
  }

  /**
   * A pool of one connection of its own, for a session that holds something until it ends (the relay's named
   * lock): closing the pool ends the session, where closing a pooled connection would only hand it back.
   */
  public Pool ownConnection(Vertx vertx, String name) {
    return pool(vertx, name, 1, false);
  }

  private Pool pool(Vertx vertx, String name, int size, boolean shared) {
    PoolOptions options = new PoolOptions()
        .setMaxSize(size)
        .setShared(shared)
        .setConnectionTimeout(CONNECTION_WAIT_SECONDS)
        .setConnectionTimeoutUnit(TimeUnit.SECONDS)
        // An idle connection leaves the pool before the socket timeout could close it under a statement just sent.
        .setIdleTimeout((int) socketTimeout.toMillis() / 2)
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        .setPoolCleanerPeriod((int) Math.min(1000, socketTimeout.toMillis() / 4));
    if (shared) {
      options.setName(name);
    }
    return MySQLBuilder.pool()
        .with(options)
        .with(new NetClientOptions()
            .setConnectTimeout(CONNECTION_WAIT_SECONDS * 1000)
            .setReadIdleTimeout((int) socketTimeout.toMillis())
            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS))
        .connectingTo(connectOptions(name))
        .using(vertx)
        .build();
  }

  public String describe() {
    return "mysql://" + host + ":" + port + "/" + database;
  }
}
