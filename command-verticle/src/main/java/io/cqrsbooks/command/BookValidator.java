package io.cqrsbooks.command;

import io.cqrsbooks.contract.Isbn;
import io.cqrsbooks.http.ApiException;
import io.cqrsbooks.http.FieldError;
import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static io.cqrsbooks.contract.BookFields.*;

/**
 * Checks a create or full-update body and reports every bad field at once.
 * Strict on purpose: unknown fields, wrong JSON types and out-of-range numbers are refused, never coerced.
 */
public final class BookValidator {

  static final int TITLE_MAX = 200;
  static final int AUTHOR_MAX = 100;
  static final int CATEGORY_MAX = 50;
  static final int DESCRIPTION_MAX = 10_000;
  static final int PAGES_MIN = 1;
  static final int PAGES_MAX = 100_000;
  static final long PRICE_MIN = 0;
  static final long PRICE_MAX = 100_000_000;

  private static final Set<String> SERVER_KEPT = Set.of(BID, VERSION, CREATED_AT, UPDATED_AT);
  private static final Pattern DATE_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd")
      .withResolverStyle(ResolverStyle.STRICT);

  private BookValidator() {
  }

  public static BookInput validate(JsonObject body) {
    List<FieldError> errors = new ArrayList<>();
    for (String name : body.fieldNames()) {
      if (SERVER_KEPT.contains(name)) {
        errors.add(new FieldError(name, "is kept by the server and cannot be set"));
      } else if (!EDITABLE.contains(name)) {
        errors.add(new FieldError(name, "unknown field"));
      }
    }
    String title = text(body, TITLE, 1, TITLE_MAX, true, errors);
    String author = text(body, AUTHOR, 0, AUTHOR_MAX, false, errors);
    String category = text(body, CATEGORY, 0, CATEGORY_MAX, false, errors);
    String description = text(body, DESCRIPTION, 0, DESCRIPTION_MAX, false, errors);
    Long pages = integer(body, PAGES, PAGES_MIN, PAGES_MAX, errors);
    Long price = integer(body, PRICE, PRICE_MIN, PRICE_MAX, errors);
    LocalDate publishedDate = date(body, PUBLISHED_DATE, errors);
    String isbn = isbn(body, errors);
    if (!errors.isEmpty()) {
      throw ApiException.invalid(errors);
    }
    return new BookInput(title, author, category, pages.intValue(), price, publishedDate, description, isbn);
  }

  private static String text(JsonObject body, String field, int min, int max, boolean required,
                             List<FieldError> errors) {
    Object value = body.getValue(field);
    if (value == null) {
      if (required) {
        errors.add(new FieldError(field, "is required"));
      }
      return "";
    }
    if (!(value instanceof String string)) {
      errors.add(new FieldError(field, "must be a string"));
      return null;
    }
    String trimmed = string.strip();
    if (!isWellFormedUnicode(trimmed)) {
      errors.add(new FieldError(field, "must be valid Unicode text"));
      return null;
    }
    int length = trimmed.codePointCount(0, trimmed.length());
    if (length < min) {
      errors.add(new FieldError(field, "must not be blank"));
    } else if (length > max) {
      errors.add(new FieldError(field, "must be at most " + max + " characters"));
    }
    return trimmed;
  }

  private static Long integer(JsonObject body, String field, long min, long max, List<FieldError> errors) {
    Object value = body.getValue(field);
    if (value == null) {
      errors.add(new FieldError(field, "is required"));
      return null;
    }
    Long number = asWholeNumber(value);
    if (number == null) {
      errors.add(new FieldError(field, "must be an integer"));
      return null;
    }
    if (number < min || number > max) {
      errors.add(new FieldError(field, "must be between " + min + " and " + max));
      return null;
    }
    return number;
  }

  private static Long asWholeNumber(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big) {
      return big.bitLength() < 64 ? big.longValue() : Long.MAX_VALUE;
    }
    // Fractions (Double, BigDecimal), strings, booleans, objects: not a whole number.
    return null;
  }

  private static LocalDate date(JsonObject body, String field, List<FieldError> errors) {
    Object value = body.getValue(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text) || !DATE_SHAPE.matcher(text).matches()) {
      errors.add(new FieldError(field, "must be a date as YYYY-MM-DD"));
      return null;
    }
    try {
      return LocalDate.parse(text, DATE);
    } catch (DateTimeParseException e) {
      errors.add(new FieldError(field, "is not a real date"));
      return null;
    }
  }

  /** Optional: absent, null or blank is none; otherwise an ISBN-13, kept as its 13 digits. */
  private static String isbn(JsonObject body, List<FieldError> errors) {
    Object value = body.getValue(ISBN);
    if (value == null || (value instanceof String text && text.isBlank())) {
      return null;
    }
    if (!(value instanceof String text)) {
      errors.add(new FieldError(ISBN, "must be a string"));
      return null;
    }
    Isbn.Result result = Isbn.normalize(text.strip());
    if (result.problem() != null) {
      errors.add(new FieldError(ISBN, result.problem()));
    }
    return result.digits();
  }

  /** MySQL's utf8mb4 refuses unpaired surrogates, so they are refused here, with a reason, instead. */
  private static boolean isWellFormedUnicode(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
