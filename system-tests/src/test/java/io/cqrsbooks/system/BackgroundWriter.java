package io.cqrsbooks.system;

import io.cqrsbooks.contract.Book;
import io.cqrsbooks.http.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import static io.cqrsbooks.system.TestSystem.book;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client sending a steady stream of random creates, updates and deletes (seeded, so a failure can be
 * replayed) on its own thread, touching only the books it created. Answers of "unavailable" (503, or no
 * connection while the command side is down) are counted, not failures; any other unexpected answer is kept.
 */
final class BackgroundWriter implements AutoCloseable {

  /** A client that is told "unavailable" waits a little before its next command, as a real one would. */
  private static final long BACK_OFF_MILLIS = 100;

  /** Sends one command with a valid token and returns the answer; fails with an AssertionError on no answer. */
  @FunctionalInterface
  interface Commands {
    HttpResponse<Buffer> send(HttpMethod method, String path, JsonObject body);
  }

  private final Commands system;
  private final Random random;
  private final long pauseMillis;
  private final long maxOperations;
  private final String name;
  private final List<Long> live = new ArrayList<>();
  private static final long DELETED = -1;
  /** Each book's last acknowledged outcome: its version, or {@link #DELETED}. */
  private final Map<Long, Long> acknowledged = new ConcurrentHashMap<>();
  /** Books whose last command got no answer, and that command's method: it may or may not have been committed. */
  private final Map<Long, HttpMethod> answerLost = new HashMap<>();
  private final Thread thread;
  private final AtomicLong operations = new AtomicLong();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong unavailable = new AtomicLong();
  final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
  private volatile boolean running = true;

  private BackgroundWriter(Commands system, String name, long seed, int perSecond, long maxOperations) {
    this.system = system;
    this.name = name;
    this.random = new Random(seed);
    this.pauseMillis = perSecond <= 0 ? 0 : 1000L / perSecond;
    this.maxOperations = maxOperations;
    this.thread = new Thread(this::run, "writer-" + name);
  }

  /** Writes at about {@code perSecond} operations a second (0: as fast as answers come) until closed. */
  static BackgroundWriter start(TestSystem system, String name, long seed, int perSecond, long maxOperations) {
    return start(system::command, name, seed, perSecond, maxOperations);
  }

  /** The same, through any command process: {@code commands} sends each command. */
  static BackgroundWriter start(Commands commands, String name, long seed, int perSecond, long maxOperations) {
    BackgroundWriter writer = new BackgroundWriter(commands, name, seed, perSecond, maxOperations);
    writer.thread.start();
    return writer;
  }

  long operations() {
    return operations.get();
  }

  long accepted() {
    return accepted.get();
  }

  long unavailable() {
    return unavailable.get();
  }

  boolean isFinished() {
    return !thread.isAlive();
  }

  void awaitFinished() throws InterruptedException {
    thread.join();
  }

  private void run() {
    while (running && operations.get() < maxOperations) {
      long started = System.nanoTime();
      operate(operations.incrementAndGet());
      long slept = pauseMillis - (System.nanoTime() - started) / 1_000_000;
      if (slept > 0) {
        Waits.sleep(slept);
      }
    }
  }

  private void operate(long n) {
    int choice = live.size() < 5 ? 0 : random.nextInt(10);
    Long target = null;
    HttpMethod method = choice < 5 ? HttpMethod.POST : choice < 8 ? HttpMethod.PUT : HttpMethod.DELETE;
    try {
      if (method == HttpMethod.POST) {
        HttpResponse<Buffer> response = system.send(method, "/api/books",
            book(name + " book " + n, 1 + random.nextInt(900), random.nextInt(10_000)));
        if (record(response, 201, null)) {
          long bid = response.bodyAsJsonObject().getLong("bid");
          live.add(bid);
          acknowledged.put(bid, response.bodyAsJsonObject().getLong("version"));
        }
      } else if (method == HttpMethod.PUT) {
        long bid = live.get(random.nextInt(live.size()));
        target = bid;
        HttpResponse<Buffer> response = system.send(method, "/api/books/" + bid,
            book(name + " update " + n, 1 + random.nextInt(900), random.nextInt(10_000)));
        if (record(response, 200, bid)) {
          acknowledged.put(bid, response.bodyAsJsonObject().getLong("version"));
        }
      } else {
        int index = random.nextInt(live.size());
        long bid = live.get(index);
        target = bid;
        if (record(system.send(method, "/api/books/" + bid, null), 204, bid)) {
          live.remove(index);
          acknowledged.put(bid, DELETED);
        }
      }
    } catch (AssertionError e) {
      // No connection or no answer: the command side is down or restarting. Whether a command whose
      // answer was lost was committed is for MySQL to say; the read model must agree with it either way.
      unavailable.incrementAndGet();
      if (target != null) {
        answerLost.put(target, method);
      }
      Waits.sleep(BACK_OFF_MILLIS);
    }
  }

  /**
   * True for the expected status; a 404 is expected only for a book whose delete lost its answer, or was told
   * its outcome is unknown (it took effect).
   */
  private boolean record(HttpResponse<Buffer> response, int expected, Long bid) {
    if (response.statusCode() == expected) {
      accepted.incrementAndGet();
      if (bid != null) {
        answerLost.remove(bid);
      }
      return true;
    }
    if (response.statusCode() == 503) {
      unavailable.incrementAndGet();
      // The commit's answer was lost: it may have taken effect, exactly as when no answer came at all.
      if (bid != null && ApiException.OUTCOME_UNKNOWN.equals(response.bodyAsJsonObject().getString("error"))) {
        answerLost.put(bid, expected == 204 ? HttpMethod.DELETE : HttpMethod.PUT);
      }
      Waits.sleep(BACK_OFF_MILLIS);
    } else if (response.statusCode() == 404 && bid != null && answerLost.remove(bid) != null) {
      live.remove(bid);
      acknowledged.put(bid, DELETED);
    } else {
      unexpected.add(response.statusCode() + " " + response.bodyAsString());
    }
    return false;
  }

  /**
   * Fails unless every acknowledged write holds in {@code books}: a deleted book is absent, any other is
   * there at least at the acknowledged version (a later command whose answer was lost may have moved it on),
   * or gone if that later command was a delete.
   */
  void assertAcknowledgedWritesIn(List<Book> books) {
    Map<Long, Long> versions = books.stream().collect(Collectors.toMap(Book::bid, Book::version));
    acknowledged.forEach((bid, version) -> {
      if (version == DELETED) {
        assertFalse(versions.containsKey(bid), () -> name + ": book " + bid + " was deleted, yet it is there");
      } else if (!(answerLost.get(bid) == HttpMethod.DELETE && !versions.containsKey(bid))) {
        assertTrue(versions.getOrDefault(bid, 0L) >= version,
            () -> name + ": book " + bid + " acknowledged at version " + version + ", found " + versions.get(bid));
      }
    });
  }

  int acknowledgedBooks() {
    return acknowledged.size();
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    thread.join();
    System.out.println("writer " + this);
  }

  @Override
  public String toString() {
    return name + ": " + operations + " operations, " + accepted + " accepted, " + unavailable + " unavailable, "
        + unexpected.size() + " unexpected";
  }
}
