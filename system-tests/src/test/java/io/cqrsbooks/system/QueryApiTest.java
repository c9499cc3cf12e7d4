package io.cqrsbooks.system;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** What the query side serves besides books: the UI with its security headers, its configuration, probes. */
class QueryApiTest extends SystemTest {

  @Test
  void theUiIsServedWithAPolicyThatAllowsOnlyItselfAndTheCommandSide() {
    HttpResponse<Buffer> page = system.get("/", "Host", "books.local:" + system.queryPort);
    assertEquals(200, page.statusCode());
    assertTrue(page.bodyAsString().contains("/assets/index-"), "the built UI");
    assertFalse(page.bodyAsString().contains("/src/main.jsx"), "not the source page of webroot/");
    String policy = page.getHeader("Content-Security-Policy");
    assertNotNull(policy);
    assertTrue(policy.contains("script-src 'self';"), policy);
    assertTrue(policy.contains("connect-src 'self' http://books.local:" + system.commandPort + ";"), policy);
    assertTrue(policy.contains("frame-ancestors 'none'"), policy);
    assertEquals("nosniff", page.getHeader("X-Content-Type-Options"));
    assertEquals("DENY", page.getHeader("X-Frame-Options"));
  }

  @Test
  void theUiLearnsTheCommandSideFromTheHostItWasLoadedFrom() {
    HttpResponse<Buffer> config = system.get("/api/config", "Host", "books.local:" + system.queryPort);
    assertEquals("http://books.local:" + system.commandPort, config.bodyAsJsonObject().getString("commandUrl"));
  }

  @Test
  void probesAndUnknownPathsAnswerInJson() {
    assertEquals("UP", system.get("/health").bodyAsJsonObject().getString("status"));
    HttpResponse<Buffer> ready = system.get("/ready");
    assertEquals(200, ready.statusCode());
    assertEquals("READY", ready.bodyAsJsonObject().getString("status"));
    assertEquals("UP", ready.bodyAsJsonObject().getString("mongo"));
    HttpResponse<Buffer> missing = system.get("/api/nothing-here");
    assertEquals(404, missing.statusCode());
    assertEquals("application/json", missing.getHeader("Content-Type"));
    assertEquals(400, system.get("/api/books/abc").statusCode());
  }
}
