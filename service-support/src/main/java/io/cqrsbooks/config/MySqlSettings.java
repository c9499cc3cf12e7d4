package io.cqrsbooks.config;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

import java.util.concurrent.TimeUnit;

/** How to reach MySQL/MariaDB: the {@code mysql} section of the configuration. */
public record MySqlSettings(String host, int port, String database, String user, String password, int poolSize) {

  /** A request waits at most this long for a connection, so a database outage answers 503 instead of hanging. */
  private static final int CONNECTION_WAIT_SECONDS = 5;

  public static MySqlSettings from(Config config) {
    return new MySqlSettings(
        config.required("mysql.host"),
        config.port("mysql.port"),
        config.required("mysql.database"),
        config.required("mysql.user"),
        config.text("mysql.password"),
        config.positive("mysql.poolSize"));
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
    PoolOptions options = new PoolOptions()
        .setMaxSize(poolSize)
        .setShared(true)
        .setName(name)
        .setConnectionTimeout(CONNECTION_WAIT_SECONDS)
        .setConnectionTimeoutUnit(TimeUnit.SECONDS);
    return MySQLBuilder.pool()
        .with(options)
        .with(new NetClientOptions().setConnectTimeout(CONNECTION_WAIT_SECONDS * 1000))
        .connectingTo(connectOptions(name))
        .using(vertx)
        .build();
  }

  public String describe() {
    return "mysql://" + host + ":" + port + "/" + database;
  }
}
