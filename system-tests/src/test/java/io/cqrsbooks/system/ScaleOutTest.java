package io.cqrsbooks.system;

import io.cqrsbooks.launcher.AppConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.cqrsbooks.system.Waits.await;
import static io.cqrsbooks.system.Waits.awaitTrue;
import static io.cqrsbooks.system.TestSystem.book;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two command and two query processes, each its own JVM, on one {@code servers} process: what a user runs
 * to scale out. Each test leaves the cluster with all four processes running.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutTest {

  private static final int STREAM_BUFFER_KB = 64;
  private static final Duration FAILOVER_LIMIT = Duration.ofSeconds(5);
  /** The topic's partitions: the processes run on the default configuration. */
  private static final int PARTITIONS = AppConfig.defaults().getJsonObject("kafka").getInteger("partitions");
  private Cluster cluster;

  @BeforeAll
  void startCluster() throws Exception {
    cluster = Cluster.start(2, 2, Map.of("CQRS_QUERY_CHANGE_STREAM_BUFFER_KB", String.valueOf(STREAM_BUFFER_KB)));
  }

  @AfterAll
  void stopCluster() {
    cluster.close();
  }

  /** {bid, version} of a change a command made, from its answer. */
  private record Change(long bid, long version) {
  }

  private static Change changeOf(HttpResponse<Buffer> response) {
    String[] token = response.getHeader("X-Consistency-Token").split("\\.");
    return new Change(Long.parseLong(token[0]), Long.parseLong(token[1]));
  }

  private Change write(String node, HttpMethod method, String path, JsonObject body, int expected) {
    HttpResponse<Buffer> response = cluster.command(node, method, path, body);
    assertEquals(expected, response.statusCode(), response::bodyAsString);
    return changeOf(response);
  }

  @Test
  @Order(1)
  void bothQueryProcessesStreamEveryChangeOnceInVersionOrderAcrossAReconnectToTheOther() {
    SseClient one = cluster.changes("query-1", null);
    SseClient two = cluster.changes("query-2", null);
    List<Change> made = new ArrayList<>();
    List<Long> bids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Change created = write("command-" + (1 + i % 2), HttpMethod.POST, "/api/books", book("Scaled " + i, 10 + i, i), 201);
      made.add(created);
      bids.add(created.bid());
    }
    awaitTrue("query-2's stream has the creations", Duration.ofSeconds(20), () -> two.changes().size() >= 20, cluster::logs);
    // A forced reconnect, to the other process, with the id of the last change seen.
    String lastSeen = two.lastEventId();
    two.close();
    for (int i = 0; i < 20; i++) {
      made.add(write("command-" + (2 - i % 2), HttpMethod.PUT, "/api/books/" + bids.get(i), book("Scaled v2 " + i, 20 + i, i), 200));
    }
    SseClient resumed = cluster.changes("query-1", lastSeen);
    for (int i = 0; i < 20; i += 3) {
      made.add(write("command-" + (1 + i % 2), HttpMethod.DELETE, "/api/books/" + bids.get(i), null, 204));
    }

    Set<Change> expected = new HashSet<>(made);
    awaitTrue("query-1's stream has every change", Duration.ofSeconds(20),
        () -> changesIn(one.changes()).containsAll(expected), cluster::logs);
    awaitTrue("the resumed stream has the rest", Duration.ofSeconds(20),
        () -> changesIn(resumed.changes()).containsAll(made.subList(40, made.size())));
    List<JsonObject> acrossReconnect = new ArrayList<>(two.changes());
    acrossReconnect.addAll(resumed.changes());
    for (List<JsonObject> stream : List.of(one.changes(), acrossReconnect)) {
      List<Change> received = changesIn(stream);
      assertEquals(made.size(), received.size(), "each change exactly once: " + received);
      assertEquals(expected, new HashSet<>(received));
      assertVersionOrderPerBook(received);
    }
    assertTrue(one.events().stream().filter(e -> e.name().equals("change")).allMatch(e -> e.id() != null),
        "every change event carries an id");
    assertTrue(resumed.events().stream().noneMatch(e -> e.name().equals("reload")), "the window held the missed changes");
    one.close();
    resumed.close();
  }

  @Test
  @Order(2)
  void aTokenFromEitherCommandProcessIsHonouredByEitherQueryProcess() {
    for (String command : List.of("command-1", "command-2")) {
      for (String query : List.of("query-1", "query-2")) {
        HttpResponse<Buffer> created = cluster.command(command, HttpMethod.POST, "/api/books", book(command + " to " + query, 5, 5));
        assertEquals(201, created.statusCode(), created::bodyAsString);
        long bid = created.bodyAsJsonObject().getLong("bid");
        HttpResponse<Buffer> read = cluster.get(query, "/api/books/" + bid,
            "X-Consistency-Token", created.getHeader("X-Consistency-Token"));
        assertEquals(200, read.statusCode(), () -> command + " -> " + query + ": " + read.bodyAsString());
        assertEquals(command + " to " + query, read.bodyAsJsonObject().getString("title"));
      }
    }
  }

  @Test
  @Order(3)
  void killingTheRelayHolderMidLoadHandsPublishingToTheOtherWithinTheLimit() throws Exception {
    String holder = cluster.relayHolder();
    String standby = holder.equals("command-1") ? "command-2" : "command-1";
    long failoverMillis;
    try (BackgroundWriter toHolder = writer(holder, 31); BackgroundWriter toStandby = writer(standby, 32)) {
      awaitTrue("writes flowing", Duration.ofSeconds(20), () -> toHolder.accepted() >= 50 && toStandby.accepted() >= 50);
      cluster.kill(holder);
      long killed = System.nanoTime();
      Change afterKill = write(standby, HttpMethod.POST, "/api/books", book("After the kill", 1, 1), 201);
      awaitTrue("the write made after the kill is published", FAILOVER_LIMIT.plusSeconds(10),
          () -> isPublished(afterKill), cluster::logs);
      failoverMillis = (System.nanoTime() - killed) / 1_000_000;
      System.out.printf("relay failover: %s killed, %s published a write made after the kill %d ms later%n",
          holder, standby, failoverMillis);
      awaitTrue("writes go on", Duration.ofSeconds(20), () -> toStandby.accepted() >= 150);
      assertTrue(toStandby.unexpected.isEmpty(), toStandby.unexpected::toString);
      assertTrue(toHolder.unexpected.isEmpty(), toHolder.unexpected::toString);
      toHolder.close();
      toStandby.close();
      assertEquals(standby, cluster.relayHolder());
      awaitTrue("outbox drained", Duration.ofSeconds(30), () -> cluster.stores.unpublishedEvents() == 0);
      cluster.stores.awaitReadModelEqualsMySql(Duration.ofSeconds(30));
      toHolder.assertAcknowledgedWritesIn(cluster.stores.mysqlBooks());
      toStandby.assertAcknowledgedWritesIn(cluster.stores.mysqlBooks());
    }
    assertTrue(failoverMillis <= FAILOVER_LIMIT.toMillis(), "failover took " + failoverMillis + " ms");
    cluster.start(holder, "command");
  }

  @Test
  @Order(4)
  void aRelayHolderCutOffFromMySqlLosesTheLeaseToTheOtherWithinTheLimit() throws Exception {
    cluster.node("command-1").process().stop();
    cluster.node("command-2").process().stop();
    try (TcpProxy link = new TcpProxy(cluster.mysqlPort())) {
      // command-1 reaches MySQL through a link the test can cut; started first, it takes the lease.
      cluster.start("command-1", "command", Map.of("CQRS_MYSQL_PORT", String.valueOf(link.port())));
      awaitTrue("command-1 holds the lease", Duration.ofSeconds(20), () -> cluster.relayHolder().equals("command-1"));
      cluster.start("command-2", "command");
      assertEquals("command-1", cluster.relayHolder());

      link.blackhole();
      long cut = System.nanoTime();
      Change afterCut = write("command-2", HttpMethod.POST, "/api/books", book("After the cut", 1, 1), 201);
      awaitTrue("the write made after the cut is published", FAILOVER_LIMIT.plusSeconds(10),
          () -> isPublished(afterCut), cluster::logs);
      long failoverMillis = (System.nanoTime() - cut) / 1_000_000;
      System.out.printf("relay failover: command-1 cut off from MySQL (no FIN, no reset), command-2 published %d ms later%n",
          failoverMillis);
      assertTrue(failoverMillis <= FAILOVER_LIMIT.toMillis(), "failover took " + failoverMillis + " ms");
      HttpResponse<Buffer> read = cluster.get("query-1", "/api/books/" + afterCut.bid(),
          "X-Consistency-Token", afterCut.bid() + "." + afterCut.version());
      assertEquals(200, read.statusCode(), read::bodyAsString);
      cluster.kill("command-1");
    }
    cluster.start("command-1", "command");
    awaitTrue("outbox drained", Duration.ofSeconds(30), () -> cluster.stores.unpublishedEvents() == 0);
    cluster.stores.awaitReadModelEqualsMySql(Duration.ofSeconds(30));
  }

  @Test
  @Order(5)
  void killingAQueryProcessMidLoadMovesItsPartitionsToTheSurvivor() throws Exception {
    try (BackgroundWriter one = writer("command-1", 41); BackgroundWriter two = writer("command-2", 42)) {
      awaitTrue("writes flowing", Duration.ofSeconds(20), () -> one.accepted() >= 50 && two.accepted() >= 50);
      assertTrue(cluster.status("query-1").getInteger("partitionsAssigned") < PARTITIONS, "the two query processes share");
      cluster.kill("query-2");
      // The killed process never left its group: its partitions move when its session times out (10 s).
      awaitTrue("query-1 owns every partition", Duration.ofSeconds(40),
          () -> cluster.status("query-1").getInteger("partitionsAssigned") == PARTITIONS, cluster::logs);
      long acceptedThen = one.accepted() + two.accepted();
      awaitTrue("writes after the move", Duration.ofSeconds(20), () -> one.accepted() + two.accepted() >= acceptedThen + 100);
      one.close();
      two.close();
      assertTrue(one.unexpected.isEmpty() && two.unexpected.isEmpty(), one + "; " + two);
      awaitTrue("outbox drained", Duration.ofSeconds(30), () -> cluster.stores.unpublishedEvents() == 0);
      cluster.stores.awaitReadModelEqualsMySql(Duration.ofSeconds(30));
      one.assertAcknowledgedWritesIn(cluster.stores.mysqlBooks());
      two.assertAcknowledgedWritesIn(cluster.stores.mysqlBooks());
    }
    cluster.start("query-2", "query");
    assertEquals("joined", cluster.status("query-2").getString("bootstrapMode"), "a current read model is joined");
  }

  /**
   * A deploy or a rolling restart: SIGTERM lets the consumer commit what it applied and leave its group, so its
   * partitions move without waiting for the session timeout (10 s) that a killed process costs.
   */
  @Test
  @Order(6)
  void stoppingAQueryProcessHandsItsPartitionsOverBeforeItsSessionWouldExpire() throws Exception {
    awaitTrue("the two query processes share the partitions", Duration.ofSeconds(40),
        () -> cluster.status("query-2").getInteger("partitionsAssigned") > 0
            && cluster.status("query-1").getInteger("partitionsAssigned") < PARTITIONS, cluster::logs);
    try (BackgroundWriter writes = writer("command-1", 61)) {
      awaitTrue("writes flowing", Duration.ofSeconds(20), () -> writes.accepted() >= 50);
      long stopped = System.nanoTime();
      assertTrue(cluster.node("query-1").process().stopWithin(Duration.ofSeconds(20)), "query-1 ended by itself");
      awaitTrue("query-2 owns every partition", Duration.ofSeconds(15),
          () -> cluster.status("query-2").getInteger("partitionsAssigned") == PARTITIONS, cluster::logs);
      long movedMillis = (System.nanoTime() - stopped) / 1_000_000;
      System.out.printf("a query process stopped with SIGTERM: its partitions moved %d ms after the signal%n", movedMillis);
      long acceptedThen = writes.accepted();
      awaitTrue("writes after the move", Duration.ofSeconds(20), () -> writes.accepted() >= acceptedThen + 50);
      writes.close();
      assertTrue(writes.unexpected.isEmpty(), writes::toString);
      awaitTrue("outbox drained", Duration.ofSeconds(30), () -> cluster.stores.unpublishedEvents() == 0);
      cluster.stores.awaitReadModelEqualsMySql(Duration.ofSeconds(30));
      writes.assertAcknowledgedWritesIn(cluster.stores.mysqlBooks());
      assertTrue(movedMillis < 10_000, "moved after " + movedMillis + " ms: no faster than a killed process's session timeout");
    }
  }

  @Test
  @Order(7)
  void aQueryProcessJoiningACurrentReadModelOf100kBooksDoesNotCopyIt() {
    cluster.node("query-1").process().stop();
    cluster.node("query-2").process().stop();
    await(cluster.stores.mysql().query("""
        INSERT INTO books (title, author, category, pages, price, published_date, description, version, created_at, updated_at)
        SELECT CONCAT('Bulk ', seq), 'Bulk author', 'bulk', 100, seq, NULL, '', 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
        FROM seq_1_to_100000""").execute());
    // The rows went around the outbox, so the read model is no longer current: drop it, as an operator would.
    for (String collection : List.of("books", "book_tombstones", "read_model_meta")) {
      await(cluster.stores.mongo().dropCollection(collection));
    }

    // It copies alone, so it may leave out the version check in each write's filter, as the embedded launch does.
    cluster.start("query-1", "query", Map.of("CQRS_MONGO_ATOMIC_VERSION_GUARD", "false"));
    JsonObject first = cluster.status("query-1");
    assertEquals("copied", first.getString("bootstrapMode"));
    assertTrue(first.getLong("bootstrapCopied") >= 100_000, first::encode);
    JsonObject copiedRecord = bootstrapRecord();

    long started = System.nanoTime();
    cluster.start("query-2", "query");
    long readyMillis = (System.nanoTime() - started) / 1_000_000;
    JsonObject second = cluster.status("query-2");
    assertEquals("joined", second.getString("bootstrapMode"), second::encode);
    assertEquals(0, second.getLong("bootstrapCopied"));
    JsonObject joinedRecord = bootstrapRecord();
    assertEquals(copiedRecord.getString("copiedAt"), joinedRecord.getString("copiedAt"), "no second copy");
    assertEquals(copiedRecord.getInteger("joins", 0) + 1, joinedRecord.getInteger("joins"));
    System.out.printf("a query process joined a current read model of %d books: start to ready in %d ms%n",
        cluster.stores.countRows("books"), readyMillis);
    cluster.stores.awaitReadModelEqualsMySql(Duration.ofSeconds(60));
    cluster.node("query-1").process().stop();
    cluster.start("query-1", "query");
    assertEquals("joined", cluster.status("query-1").getString("bootstrapMode"));
  }

  @Test
  @Order(8)
  void listTotalsPastTheSearchCapAreExactWhereTheProjectionKeepsThemAndCappedWhereCounted() {
    long books = cluster.stores.countRows("books");
    assertTrue(books > 100_000, "the 100k books of the test before, and those written earlier");
    JsonObject all = cluster.get("query-2", "/api/books?limit=1").bodyAsJsonObject();
    assertEquals(books, all.getLong("total"), all::encode);
    assertFalse(all.getBoolean("totalCapped"), all::encode);
    JsonObject bulk = cluster.get("query-1", "/api/books?limit=1&category=bulk").bodyAsJsonObject();
    assertEquals(100_000L, bulk.getLong("total"), bulk::encode);
    assertFalse(bulk.getBoolean("totalCapped"), bulk::encode);
    // A search has no kept count: it is counted, and stops one past the cap.
    JsonObject searched = cluster.get("query-2", "/api/books?limit=1&q=bulk").bodyAsJsonObject();
    assertEquals(1_000L, searched.getLong("total"), searched::encode);
    assertTrue(searched.getBoolean("totalCapped"), searched::encode);
  }

  @Test
  @Order(9)
  void aReadModelEmptiedUnderBothQueryProcessesIsCopiedOnceAndBothServeItAgain() {
    String copied = "read model bootstrapped from MySQL";
    int copiesBefore = occurrences(copied);
    for (String collection : List.of("books", "book_tombstones", "book_counts", "read_model_meta")) {
      await(cluster.stores.mongo().dropCollection(collection));
    }
    // Each watchdog finds the bootstrap record gone or another process's copy started; one copies, one waits.
    awaitTrue("a copy finished after the drop", Duration.ofSeconds(120), () -> occurrences(copied) > copiesBefore,
        cluster::logs);
    awaitTrue("both query processes ready", Duration.ofSeconds(60),
        () -> cluster.status("query-1").getString("status").equals("READY")
            && cluster.status("query-2").getString("status").equals("READY"), cluster::logs);
    cluster.stores.awaitReadModelEqualsMySql(Duration.ofSeconds(60));
    assertEquals(copiesBefore + 1, occurrences(copied), () -> "the read model was copied more than once:\n" + cluster.logs());
    assertEquals(0, occurrences("lost its claim") + occurrences("was emptied during the bootstrap"), cluster::logs);
    JsonObject record = bootstrapRecord();
    assertTrue(record.getBoolean("complete"), record::encode);
    for (String node : List.of("query-1", "query-2")) {
      assertEquals(cluster.stores.countRows("books"), cluster.get(node, "/api/categories").bodyAsJsonObject().getLong("total"),
          node + "'s totals, counted again by the copy");
    }
  }

  /** How often the query processes' logs say {@code text}. */
  private int occurrences(String text) {
    int count = 0;
    for (String node : List.of("query-1", "query-2")) {
      count += cluster.node(node).process().log().split(java.util.regex.Pattern.quote(text), -1).length - 1;
    }
    return count;
  }

  @Test
  @Order(10)
  void aClientThatReadsNothingIsClosedWithAReasonWhileTheOthersKeepReceiving() throws Exception {
    int port = cluster.node("query-1").port();
    try (Socket slow = new Socket(); SseClient reader = cluster.changes("query-1", null)) {
      slow.setReceiveBufferSize(4096);
      slow.connect(new InetSocketAddress("127.0.0.1", port));
      slow.getOutputStream().write(("GET /api/books/changes HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      awaitTrue("both streams open", Duration.ofSeconds(10), () -> cluster.status("query-1").getLong("openStreams") == 2);
      long bid = write("command-1", HttpMethod.POST, "/api/books", book("Big", 1, 1), 201).bid();
      // Changes of about 10 KB until the server has closed the slow stream: more than its buffer plus what
      // the kernel takes on loopback (a send buffer that grows to tcp_wmem's maximum, 4 MB here). At most 40 MB.
      int updates = 0;
      while (cluster.status("query-1").getLong("openStreams") > 1 && updates < 4000) {
        for (int batch = 0; batch < 50; batch++, updates++) {
          write("command-" + (1 + updates % 2), HttpMethod.PUT, "/api/books/" + bid,
              book("Big", 1, 1).put("description", String.format("update %05d ", updates).repeat(750)), 200);
        }
      }
      int sent = updates;
      awaitTrue("the reading client has every change", Duration.ofSeconds(60),
          () -> reader.changes().stream().filter(c -> c.getLong("bid") == bid).count() == sent + 1);

      String received = readUntilClosed(slow, Duration.ofSeconds(30));
      assertTrue(received.contains("event: closing"), () -> "no closing event in " + received.length() + " bytes");
      long changesReceived = received.split("event: change", -1).length - 1;
      assertTrue(changesReceived < sent, "the slow client was cut short, after " + changesReceived + " changes");
      System.out.printf("the slow client was closed after %d of %d changes (%d bytes)%n", changesReceived, sent + 1,
          received.length());
    }
  }

  /** Everything the server sends until it closes the connection; fails if it is still open after {@code timeout}. */
  private static String readUntilClosed(Socket socket, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    InputStream in = socket.getInputStream();
    byte[] chunk = new byte[65536];
    socket.setSoTimeout(1000);
    while (System.nanoTime() < deadline) {
      try {
        int n = in.read(chunk);
        if (n < 0) {
          return bytes.toString(StandardCharsets.UTF_8);
        }
        bytes.write(chunk, 0, n);
      } catch (SocketTimeoutException e) {
        // nothing yet; the deadline decides
      }
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    throw new AssertionError("the slow client's connection was still open after " + timeout + "; it received "
        + bytes.size() + " bytes, ending: " + text.substring(Math.max(0, text.length() - 300)));
  }

  private BackgroundWriter writer(String node, long seed) {
    return BackgroundWriter.start((method, path, body) -> cluster.command(node, method, path, body),
        node, seed, 40, Long.MAX_VALUE);
  }

  private boolean isPublished(Change change) {
    return await(cluster.stores.mysql().preparedQuery(
            "SELECT published_at IS NOT NULL FROM outbox WHERE bid = ? AND version = ?")
        .execute(Tuple.of(change.bid(), change.version()))).iterator().next().getBoolean(0);
  }

  private JsonObject bootstrapRecord() {
    return await(cluster.stores.mongo().findOne("read_model_meta", new JsonObject().put("_id", "bootstrap"), null));
  }

  private static List<Change> changesIn(List<JsonObject> stream) {
    return stream.stream().map(c -> new Change(c.getLong("bid"), c.getLong("version"))).toList();
  }

  private static void assertVersionOrderPerBook(List<Change> received) {
    Map<Long, Long> newest = new HashMap<>();
    for (Change change : received) {
      long before = newest.getOrDefault(change.bid(), 0L);
      assertTrue(change.version() > before, "book " + change.bid() + ": version " + change.version() + " after " + before);
      newest.put(change.bid(), change.version());
    }
  }
}
