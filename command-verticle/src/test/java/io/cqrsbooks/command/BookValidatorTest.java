package io.cqrsbooks.command;

import io.cqrsbooks.http.ApiException;
import io.cqrsbooks.http.FieldError;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BookValidatorTest {

  private static JsonObject valid() {
    return new JsonObject().put("title", "Dune").put("pages", 412).put("price", 1999);
  }

  private static List<FieldError> errorsFor(JsonObject body) {
    ApiException e = assertThrows(ApiException.class, () -> BookValidator.validate(body));
    assertEquals(400, e.status());
    return e.details();
  }

  private static void assertRejected(JsonObject body, String field, String message) {
    assertTrue(errorsFor(body).contains(new FieldError(field, message)),
        () -> "expected " + field + ": " + message + " in " + errorsFor(body));
  }

  @Test
  void acceptsAMinimalBookAndFillsOptionalTextWithEmptyStrings() {
    BookInput input = BookValidator.validate(valid());
    assertEquals(new BookInput("Dune", "", "", 412, 1999, null, "", null), input);
  }

  @Test
  void trimsTextAndParsesTheDate() {
    BookInput input = BookValidator.validate(valid().put("title", "  Dune \n").put("author", " Herbert ")
        .put("publishedDate", "1965-08-01"));
    assertEquals("Dune", input.title());
    assertEquals("Herbert", input.author());
    assertEquals(LocalDate.of(1965, 8, 1), input.publishedDate());
  }

  @Test
  void titleIsRequiredNonBlankAndAtMost200Characters() {
    assertRejected(valid().putNull("title"), "title", "is required");
    assertRejected(new JsonObject().put("pages", 1).put("price", 1), "title", "is required");
    assertRejected(valid().put("title", "   "), "title", "must not be blank");
    assertRejected(valid().put("title", "x".repeat(201)), "title", "must be at most 200 characters");
    assertEquals(200, BookValidator.validate(valid().put("title", "x".repeat(200))).title().length());
  }

  @Test
  void lengthsCountCharactersNotUtf16Units() {
    String emoji = "\uD83D\uDCDA"; // one character, two UTF-16 units
    assertEquals(emoji.repeat(200), BookValidator.validate(valid().put("title", emoji.repeat(200))).title());
  }

  @Test
  void refusesUnpairedSurrogates() {
    assertRejected(valid().put("title", "bad \uD800 text"), "title", "must be valid Unicode text");
  }

  @Test
  void limitsTheOptionalTexts() {
    assertRejected(valid().put("author", "a".repeat(101)), "author", "must be at most 100 characters");
    assertRejected(valid().put("category", "c".repeat(51)), "category", "must be at most 50 characters");
    assertRejected(valid().put("description", "d".repeat(10_001)), "description", "must be at most 10000 characters");
  }

  @Test
  void numbersMustBeWholeAndInRange() {
    assertRejected(valid().put("pages", 0), "pages", "must be between 1 and 100000");
    assertRejected(valid().put("pages", 100_001), "pages", "must be between 1 and 100000");
    assertRejected(valid().put("pages", 12.5), "pages", "must be an integer");
    assertRejected(valid().put("pages", "12"), "pages", "must be an integer");
    assertRejected(valid().put("price", -1), "price", "must be between 0 and 100000000");
    assertRejected(valid().put("price", 100_000_001), "price", "must be between 0 and 100000000");
    assertRejected(valid().put("price", Long.MAX_VALUE), "price", "must be between 0 and 100000000");
    assertRejected(valid().putNull("price"), "price", "is required");
    assertEquals(0, BookValidator.validate(valid().put("price", 0)).price());
    assertEquals(100_000, BookValidator.validate(valid().put("pages", 100_000)).pages());
  }

  @Test
  void anIsbnIsOptionalAndKeptAsItsThirteenDigitsWhenItIsAValidIsbn13() {
    assertNull(BookValidator.validate(valid()).isbn());
    assertNull(BookValidator.validate(valid().put("isbn", "  ")).isbn(), "blank is none");
    assertNull(BookValidator.validate(valid().putNull("isbn")).isbn());
    assertEquals("9780306406157", BookValidator.validate(valid().put("isbn", " 978-0-306-40615-7 ")).isbn());
    assertRejected(valid().put("isbn", "9780306406158"), "isbn", "has a wrong check digit");
    assertRejected(valid().put("isbn", "0-306-40615-2"), "isbn", "must be an ISBN-13: 13 digits, hyphens and spaces allowed");
    assertRejected(valid().put("isbn", 9780306406157L), "isbn", "must be a string");
  }

  @Test
  void datesMustBeRealCalendarDays() {
    assertRejected(valid().put("publishedDate", "2023-02-30"), "publishedDate", "is not a real date");
    assertRejected(valid().put("publishedDate", "2023-2-3"), "publishedDate", "must be a date as YYYY-MM-DD");
    assertRejected(valid().put("publishedDate", 20230203), "publishedDate", "must be a date as YYYY-MM-DD");
    assertEquals(LocalDate.of(2024, 2, 29), BookValidator.validate(valid().put("publishedDate", "2024-02-29")).publishedDate());
  }

  @Test
  void unknownAndServerKeptFieldsAreRefused() {
    assertRejected(valid().put("subtitle", "x"), "subtitle", "unknown field");
    assertRejected(valid().put("version", 3), "version", "is kept by the server and cannot be set");
    assertRejected(valid().put("bid", 3), "bid", "is kept by the server and cannot be set");
  }

  @Test
  void reportsEveryBadFieldAtOnce() {
    List<FieldError> errors = errorsFor(new JsonObject().put("title", 5).put("pages", -1).put("price", "free"));
    assertEquals(List.of("title", "pages", "price"), errors.stream().map(FieldError::field).toList());
  }
}
