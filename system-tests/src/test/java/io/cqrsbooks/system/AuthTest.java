package io.cqrsbooks.system;

import io.cqrsbooks.auth.BearerTokens;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import static io.cqrsbooks.system.TestSystem.book;
import static org.junit.jupiter.api.Assertions.*;

/** Only bearers of a valid command token change the catalogue; reading stays public. */
class AuthTest extends SystemTest {

  private static long existingBid;

  @BeforeAll
  static void addExistingBook() {
    existingBid = system.createBook(book("Guarded", 10, 10)).bodyAsJsonObject().getLong("bid");
  }

  @Test
  void commandsWithoutATokenAre401InJsonAndWriteNothing() {
    long books = system.countRows("books");
    long events = system.countRows("outbox");
    assertUnauthorized(system.command(HttpMethod.POST, "/api/books", book("No token", 1, 1), "Authorization", ""));
    assertUnauthorized(system.command(HttpMethod.PUT, "/api/books/" + existingBid, book("No token", 1, 1),
        "Authorization", ""));
    assertUnauthorized(system.command(HttpMethod.DELETE, "/api/books/" + existingBid, null, "Authorization", ""));
    assertUnauthorized(system.command(HttpMethod.POST, "/api/books", book("Basic", 1, 1),
        "Authorization", "Basic dXNlcjpwYXNz"));
    assertEquals(books, system.countRows("books"));
    assertEquals(events, system.countRows("outbox"));
    assertEquals("Guarded", system.mysqlBooks().stream().filter(b -> b.bid() == existingBid).findFirst().orElseThrow().title());
  }

  @Test
  void forgedExpiredAndForeignTokensAre401() {
    String forged = tokenSignedWith("another-secret-of-the-same-length-0123456789", "cqrs-books", 600, true);
    String expired = tokenSignedWith(TestSystem.SECRET, "cqrs-books", -60, true);
    String foreign = tokenSignedWith(TestSystem.SECRET, "someone-else", 600, true);
    String tampered = system.token.substring(0, system.token.length() - 4) + "AAAA";
    for (String token : new String[] {forged, expired, foreign, tampered, "not.a.token", "garbage"}) {
      assertUnauthorized(system.command(HttpMethod.POST, "/api/books", book("Bad token", 1, 1),
          "Authorization", "Bearer " + token));
    }
  }

  @Test
  void aTokenWithoutTheWriteScopeIs403() {
    HttpResponse<Buffer> response = system.command(HttpMethod.POST, "/api/books", book("Read only", 1, 1),
        "Authorization", "Bearer " + tokenSignedWith(TestSystem.SECRET, "cqrs-books", 600, false));
    assertEquals(403, response.statusCode(), response.bodyAsString());
    assertEquals("Authorization", response.bodyAsJsonObject().getJsonArray("details").getJsonObject(0).getString("field"));
  }

  @Test
  void aValidTokenDescribesItselfAndSendsCommands() {
    HttpResponse<Buffer> described = system.command(HttpMethod.GET, "/api/token", null);
    assertEquals(200, described.statusCode(), described.bodyAsString());
    assertEquals("system-test", described.bodyAsJsonObject().getString("subject"));
    assertEquals(BearerTokens.WRITE, described.bodyAsJsonObject().getString("scope"));
    assertEquals(401, system.command(HttpMethod.GET, "/api/token", null, "Authorization", "").statusCode());

    long bid = system.createBook(book("With token", 1, 1)).bodyAsJsonObject().getLong("bid");
    assertEquals(204, system.command(HttpMethod.DELETE, "/api/books/" + bid, null).statusCode());
  }

  @Test
  void queriesNeedNoTokenAndOutsideTheEmbeddedLaunchNoBrowserIsHandedOne() {
    assertEquals(200, system.get("/api/books").statusCode());
    JsonObject config = system.get("/api/config").bodyAsJsonObject();
    // The embedded launch hands its local token to loopback clients (EmbeddedLaunchTest); this one has none.
    assertFalse(config.containsKey("commandToken"), config.encode());
    assertEquals("http://127.0.0.1:" + system.commandPort, config.getString("commandUrl"));
    assertEquals("no-store", system.get("/api/config").getHeader("Cache-Control"));
  }

  @Test
  void corsPreflightForAnAuthorizedCommandNeedsNoToken() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("Origin", "http://localhost:" + system.queryPort)
        .add("Access-Control-Request-Method", "POST")
        .add("Access-Control-Request-Headers", "authorization,content-type");
    HttpResponse<Buffer> response = system.send(HttpMethod.OPTIONS, system.commandPort, "/api/books", headers, null);
    assertEquals(204, response.statusCode());
    assertTrue(response.getHeader("Access-Control-Allow-Headers").toLowerCase().contains("authorization"));
  }

  private static void assertUnauthorized(HttpResponse<Buffer> response) {
    assertEquals(401, response.statusCode(), response.bodyAsString());
    JsonObject body = response.bodyAsJsonObject();
    assertEquals("authentication required", body.getString("error"));
    assertEquals("Authorization", body.getJsonArray("details").getJsonObject(0).getString("field"));
    assertNotNull(response.getHeader("WWW-Authenticate"), "401 names the scheme");
  }

  private static String tokenSignedWith(String secret, String issuer, int expiresInSeconds, boolean withScope) {
    JWTAuth auth = JWTAuth.create(system.vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
    JsonObject claims = withScope ? new JsonObject().put("scope", BearerTokens.WRITE) : new JsonObject();
    JWTOptions options = new JWTOptions().setAlgorithm("HS256").setIssuer(issuer).setSubject("someone");
    if (expiresInSeconds < 0) {
      long past = System.currentTimeMillis() / 1000 + expiresInSeconds;
      claims.put("exp", past).put("iat", past - 60);
    } else {
      options.setExpiresInSeconds(expiresInSeconds);
    }
    return auth.generateToken(claims, options);
  }
}
