package io.cqrsbooks.query.readmodel;

import io.cqrsbooks.contract.Book;
import io.cqrsbooks.contract.BookEvent;
import io.cqrsbooks.contract.BookEventType;
import io.cqrsbooks.query.RealMongo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Keyset paging on a real MongoDB-wire server: walking a list forwards page by page, then backwards from
 * its end, visits every book once, in the order one big query returns, for every sort, including ties and
 * books without a published date; and search matches word prefixes.
 */
@ExtendWith(VertxExtension.class)
class BookPagesTest {

  private static ReadModel readModel;

  @BeforeAll
  static void storeBooks(Vertx vertx) throws Exception {
    readModel = new ReadModel(RealMongo.newDatabase(vertx), true, new Partitioning(3));
    List<BookEvent> events = new ArrayList<>();
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    for (long bid = 1; bid <= 47; bid++) {
      // Few distinct values, so ties are common; every fifth book has no date.
      LocalDate date = bid % 5 == 0 ? null : LocalDate.of(2000 + (int) (bid % 4), 1, 1);
      Book book = new Book(bid, "Title " + (char) ('A' + bid % 6), bid % 2 == 0 ? "Ursula Le Guin" : "Frank Herbert",
          bid % 3 == 0 ? "SF" : "Poetry", (int) (100 + bid % 7), 1000 * (bid % 4), date, "", null, 1, at, at);
      events.add(BookEvent.of("e-" + bid, BookEventType.BookCreated, bid, 1, at, book));
    }
    await(new BookProjection(readModel).apply(events));
  }

  @Test
  void pagingForwardsThenBackwardsVisitsEveryBookOnceInOrder() throws Exception {
    for (String field : BookCriteria.SORTABLE) {
      for (boolean descending : new boolean[] {false, true}) {
        for (String category : new String[] {null, "SF"}) {
          List<Long> whole = bids(await(readModel.findPage(criteria(field, descending, category, 500, null))).items());
          List<Long> forwards = new ArrayList<>();
          BookPage page = await(readModel.findPage(criteria(field, descending, category, 6, null)));
          assertNull(page.previous(), "the first page has nothing before it");
          forwards.addAll(bids(page.items()));
          while (page.next() != null) {
            page = await(readModel.findPage(criteria(field, descending, category, 6, page.next())));
            forwards.addAll(bids(page.items()));
          }
          String what = field + (descending ? " desc" : " asc") + (category == null ? "" : " in " + category);
          assertEquals(whole, forwards, what + ", forwards");

          List<Long> backwards = new ArrayList<>(bids(page.items()));
          while (page.previous() != null) {
            page = await(readModel.findPage(criteria(field, descending, category, 6, page.previous())));
            backwards.addAll(0, bids(page.items()));
          }
          assertEquals(whole, backwards, what + ", backwards");
        }
      }
    }
  }

  @Test
  void searchMatchesTheStartOfAnyWordOfTitleOrAuthor() throws Exception {
    assertEquals(23, await(readModel.countBooks(search("le", "gui"), 1000)));
    assertEquals(24, await(readModel.countBooks(search("herb"), 1000)));
    assertEquals(0, await(readModel.countBooks(search("erbert"), 1000)), "only the start of a word");
    assertEquals(8, await(readModel.countBooks(search("title", "b"), 1000)));
  }

  private static BookCriteria search(String... words) {
    return new BookCriteria(10, 0, "bid", false, List.of(words), null, null, null, null, null);
  }

  private static BookCriteria criteria(String field, boolean descending, String category, int limit,
      BookCriteria.Keyset keyset) {
    return new BookCriteria(limit, 0, field, descending, List.of(), category, null, null, null, keyset);
  }

  private static List<Long> bids(List<JsonObject> items) {
    return items.stream().map(item -> item.getLong("bid")).toList();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(30, TimeUnit.SECONDS);
  }
}
