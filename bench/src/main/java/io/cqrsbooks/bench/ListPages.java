package io.cqrsbooks.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.CountOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.WebClient;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import static io.cqrsbooks.bench.Bench.await;

/**
 * List pages on the read side (bench/list-pages.sh): the first page, a page in the middle, a page of one
 * category and a search, each through the API and beside the raw MongoDB operations the API issues for it,
 * at 1 and 16 clients. {@code version=before} measures the release before keyset paging and kept counts:
 * the middle page by offset, every page with a full count, search as an unanchored regex.
 */
final class ListPages {

  private static final String CATEGORY = "category-7";
  private static final String SEARCH = "Author 12";

  private final WebClient http;
  private final Optional<Wrk> wrk;
  private final MongoClient mongo;
  private final ClosedLoop loop;
  private final String queryUrl;
  private final boolean before;
  private final Set<String> only;

  /** @param only the pages to measure by their first word ({@code first}, {@code middle}, {@code category},
   *     {@code search}, {@code bare}); empty for all */
  ListPages(WebClient http, Optional<Wrk> wrk, MongoClient mongo, ClosedLoop loop, String queryUrl, boolean before,
            Set<String> only) {
    this.http = http;
    this.wrk = wrk;
    this.mongo = mongo;
    this.loop = loop;
    this.queryUrl = queryUrl;
    this.before = before;
    this.only = only;
  }

  private boolean measures(String name) {
    return only.isEmpty() || only.contains(name.split(" ")[0]);
  }

  JsonArray run(Duration warmUp, Duration window) throws Exception {
    long books = await(mongo.count("books", new JsonObject()), 120);
    if (books < 2) {
      throw new IllegalStateException("the read model holds " + books + " books; fill MySQL and restart first");
    }
    long middle = books / 2;
    JsonObject middleRow = await(mongo.findWithOptions("books", new JsonObject(), new FindOptions()
        .setSort(new JsonObject().put("title", 1).put("_id", 1)).setSkip((int) middle).setLimit(1)
        .setFields(new JsonObject().put("title", 1))), 120).get(0);
    String cursor = Base64.getUrlEncoder().withoutPadding().encodeToString(new JsonObject().put("s", "title")
        .put("v", middleRow.getString("title")).put("b", middleRow.getLong("_id")).encode().getBytes(StandardCharsets.UTF_8));

    List<Page> pages = new ArrayList<>();
    pages.add(new Page("first page", "/api/books?limit=20",
        () -> before ? findAndCount(new JsonObject(), sortById(), 0) : findAndTotals(new JsonObject(), sortById())));
    pages.add(before
        ? new Page("middle page (offset " + middle + ")", "/api/books?limit=20&sort=title&offset=" + middle,
            () -> findAndCount(new JsonObject(), sortByTitle(), (int) middle))
        : new Page("middle page (cursor at row " + middle + ")", "/api/books?limit=20&sort=title&after=" + cursor,
            () -> findAndTotals(afterTitle(middleRow), sortByTitle())));
    JsonObject inCategory = new JsonObject().put("category", CATEGORY);
    pages.add(new Page("category page", "/api/books?limit=20&category=" + CATEGORY,
        () -> before ? findAndCount(inCategory, sortById(), 0) : findAndTotals(inCategory, sortById())));
    pages.add(new Page("search \"" + SEARCH + "\"", "/api/books?limit=20&q=" + SEARCH.replace(" ", "+"),
        () -> before ? findAndCount(regexSearch(), sortById(), 0) : findAndCountCapped(wordSearch(), sortById())));

    JsonArray results = new JsonArray();
    pages.removeIf(page -> !measures(page.name));
    for (Page page : pages) {
      for (int clients : new int[] {1, 16}) {
        LoadResult app = await(loop.run(page.name + " via API", clients, warmUp, window,
            () -> http.getAbs(queryUrl + page.path).timeout(60_000).send().map(response -> response.statusCode() == 200)), 300);
        LoadResult raw = await(loop.run(page.name + " raw", clients, warmUp, window, page.raw), 300)
            .withGenerator("vertx-mongo-client");
        JsonObject result = new JsonObject().put("page", page.name).put("path", page.path).put("clients", clients)
            .put("books", books).put("app", app.toJson()).put("raw", raw.toJson());
        Optional<LoadResult> throughWrk = viaWrk(page.name + " via API (wrk)", clients, warmUp, window, page.path);
        throughWrk.ifPresent(measured -> result.put("appWrk", measured.toJson()));
        results.add(result);
        System.out.printf("%-44s %2d clients: API %7.1f/s p50 %7.2f ms | raw %7.1f/s p50 %7.2f ms%s%n", page.name, clients,
            app.perSecond(), app.p50Millis(), raw.perSecond(), raw.p50Millis(), throughWrk.map(measured -> String.format(
                " | API via wrk %7.1f/s p50 %7.2f ms (%.2fx raw)", measured.perSecond(), measured.p50Millis(),
                measured.p50Millis() / raw.p50Millis())).orElse(""));
      }
    }
    // What any request costs, reading nothing: the floor under an API page's time that its raw operation
    // does not pay (the HTTP request and answer, one more hop, on the same cores as this load generator).
    // Through both clients: the gap between them is the JVM client's own cost, which wrk does not add.
    for (int clients : measures("bare") ? new int[] {1, 16} : new int[0]) {
      LoadResult bare = await(loop.run("bare request via API", clients, warmUp, window,
          () -> http.getAbs(queryUrl + "/health").timeout(60_000).send().map(response -> response.statusCode() == 200)), 300);
      JsonObject result = new JsonObject().put("page", "bare request (/health)").put("path", "/health")
          .put("clients", clients).put("books", books).put("app", bare.toJson());
      Optional<LoadResult> throughWrk = viaWrk("bare request via API (wrk)", clients, warmUp, window, "/health");
      throughWrk.ifPresent(measured -> result.put("appWrk", measured.toJson()));
      results.add(result);
      System.out.printf("%-44s %2d clients: API %7.1f/s p50 %7.2f ms%s%n", "bare request (/health)", clients,
          bare.perSecond(), bare.p50Millis(), throughWrk.map(measured -> String.format(" | API via wrk %7.1f/s p50 %7.2f ms",
              measured.perSecond(), measured.p50Millis())).orElse(""));
    }
    return results;
  }

  /**
   * The same page through Debian's {@code wrk}, the HTTP client the other benches use: a native closed loop
   * whose own cost per request is a fraction of the JVM client's, so what remains beside the raw operation is
   * the API's own work. Warmed up as long as the JVM client's run, and measured as long.
   */
  private Optional<LoadResult> viaWrk(String name, int clients, Duration warmUp, Duration window, String path)
      throws Exception {
    if (wrk.isEmpty()) {
      return Optional.empty();
    }
    wrk.get().run(name + " warm-up", clients, warmUp, queryUrl + path, "");
    return Optional.of(wrk.get().run(name, clients, window, queryUrl + path, ""));
  }

  private record Page(String name, String path, Supplier<Future<Boolean>> raw) {
  }

  /** The release before: the page and a full count of the same filter. */
  private Future<Boolean> findAndCount(JsonObject filter, JsonObject sort, int skip) {
    return Future.all(find(filter, sort, skip, 20), mongo.count("books", filter)).map(true);
  }

  /** Now, unfiltered or by category: the page (one row more) and the projection's count documents. */
  private Future<Boolean> findAndTotals(JsonObject filter, JsonObject sort) {
    return Future.all(find(filter, sort, 0, 21), mongo.find("book_counts", new JsonObject())).map(true);
  }

  /** Now, searched: the page and a count that stops at 1,001. */
  private Future<Boolean> findAndCountCapped(JsonObject filter, JsonObject sort) {
    return Future.all(find(filter, sort, 0, 21), mongo.countWithOptions("books", filter, new CountOptions().setLimit(1001)))
        .map(true);
  }

  private Future<List<JsonObject>> find(JsonObject filter, JsonObject sort, int skip, int limit) {
    return mongo.findWithOptions("books", filter, new FindOptions().setSort(sort).setSkip(skip).setLimit(limit)
        .setFields(new JsonObject().put("words", 0).put("partition", 0)));
  }

  private static JsonObject sortById() {
    return new JsonObject().put("_id", -1);
  }

  private static JsonObject sortByTitle() {
    return new JsonObject().put("title", 1).put("_id", 1);
  }

  private static JsonObject afterTitle(JsonObject row) {
    return new JsonObject().put("$or", new JsonArray()
        .add(new JsonObject().put("title", new JsonObject().put("$gt", row.getString("title")).putNull("$ne")))
        .add(new JsonObject().put("title", row.getString("title")).put("_id", new JsonObject().put("$gt", row.getLong("_id")))));
  }

  private static JsonObject regexSearch() {
    JsonObject contains = new JsonObject().put("$regex", SEARCH).put("$options", "i");
    return new JsonObject().put("$or", new JsonArray().add(new JsonObject().put("title", contains))
        .add(new JsonObject().put("author", contains.copy())));
  }

  private static JsonObject wordSearch() {
    return new JsonObject().put("$and", new JsonArray()
        .add(new JsonObject().put("words", new JsonObject().put("$regex", "^author")))
        .add(new JsonObject().put("words", new JsonObject().put("$regex", "^12"))));
  }
}
