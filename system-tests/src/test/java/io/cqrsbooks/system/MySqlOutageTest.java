package io.cqrsbooks.system;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.cqrsbooks.system.Waits.awaitTrue;
import static io.cqrsbooks.system.TestSystem.book;
import static org.junit.jupiter.api.Assertions.*;

/** MySQL away: commands fail fast with 503 in JSON and nothing half-written; once it is back, everything resumes. */
class MySqlOutageTest extends SystemTest {


  @Test
  void commandsAnswer503WhileMySqlIsDownAndSucceedOnceItIsBack() throws Exception {
    long before = system.createBook(book("Before the outage", 1, 1)).bodyAsJsonObject().getLong("bid");
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(20));

    system.servers.mariaDb().stop();
    try {
      long started = System.nanoTime();
      HttpResponse<Buffer> refused = system.command(HttpMethod.POST, "/api/books", book("During the outage", 1, 1));
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertEquals(503, refused.statusCode(), refused.bodyAsString());
      JsonObject error = refused.bodyAsJsonObject();
      assertTrue(error.getString("error").contains("database is unavailable"), error.encode());
      assertTrue(millis < 10_000, "answered within the pool's bounded wait, took " + millis + " ms");

      HttpResponse<Buffer> update = system.command(HttpMethod.PUT, "/api/books/" + before, book("Changed during", 2, 2));
      assertEquals(503, update.statusCode(), update.bodyAsString());

      HttpResponse<Buffer> ready = system.commandGet("/ready");
      assertEquals(503, ready.statusCode(), "the command side cannot do its job without MySQL: " + ready.bodyAsString());
      assertEquals("DOWN", ready.bodyAsJsonObject().getString("mysql"));
      HttpResponse<Buffer> status = system.commandGet("/status");
      assertEquals(200, status.statusCode());
      assertEquals("DOWN", status.bodyAsJsonObject().getString("mysql"), status.bodyAsString());
      assertEquals(200, system.commandGet("/health").statusCode(), "liveness stays trivial");
    } finally {
      system.servers.mariaDb().restart();
    }

    awaitTrue("commands accepted again", Duration.ofSeconds(30),
        () -> system.command(HttpMethod.POST, "/api/books", book("After the outage", 3, 3)).statusCode() == 201);
    assertEquals(200, system.commandGet("/ready").statusCode());
    assertEquals("Before the outage", system.mysqlBooks().get(0).title(), "the refused update changed nothing");
    assertTrue(system.mysqlBooks().stream().noneMatch(b -> b.title().equals("During the outage")), "nothing half-written");
    system.awaitReadModelEqualsMySql(Duration.ofSeconds(30));
  }
}
