package io.cqrsbooks.embedded;

import de.bwaldvogel.mongo.MongoServer;

/**
 * A MongoDB-wire server (mongo-java-server, memory backend). It forgets everything when stopped,
 * which is harmless here: the query side rebuilds its read model from MySQL.
 */
public final class EmbeddedMongo implements AutoCloseable {

  private final int port;
  private MongoServer server;

  private EmbeddedMongo(int port) {
    this.port = port;
  }

  public static EmbeddedMongo start(int requestedPort) {
    EmbeddedMongo mongo = new EmbeddedMongo(FreePorts.orFree(requestedPort));
    mongo.restart();
    return mongo;
  }

  public String connectionString() {
    return "mongodb://127.0.0.1:" + port;
  }

  public synchronized void stop() {
    if (server != null) {
      server.shutdownNow();
      server = null;
    }
  }

  /** Starts an empty server on the same port. */
  public synchronized void restart() {
    if (server == null) {
      server = new MongoServer(new IdAnchoredMemoryBackend());
      server.bind("127.0.0.1", port);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
