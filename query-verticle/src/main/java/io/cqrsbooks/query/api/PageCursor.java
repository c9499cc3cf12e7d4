package io.cqrsbooks.query.api;

import io.cqrsbooks.query.readmodel.BookCriteria;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A keyset as the API hands it out: opaque text (base64url of {@code {"s": sort, "v": value, "b": bid}}).
 * It names the sort it was made for, so a cursor is never applied to a list in another order.
 */
final class PageCursor {

  private PageCursor() {
  }

  static String encode(BookCriteria.Keyset keyset, String sort) {
    if (keyset == null) {
      return null;
    }
    JsonObject cursor = new JsonObject().put("s", sort).put("v", keyset.value()).put("b", keyset.bid());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** The keyset a cursor holds, or the reason it cannot be used for a list sorted by {@code sort}. */
  static BookCriteria.Keyset decode(String text, String sort, boolean before) {
    JsonObject cursor;
    try {
      cursor = new JsonObject(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException | DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("is not a cursor this API handed out");
    }
    Object value = cursor.getValue("v");
    if (!(cursor.getValue("b") instanceof Number bid) || !(value == null || value instanceof String || value instanceof Number)) {
      throw new IllegalArgumentException("is not a cursor this API handed out");
    }
    if (!sort.equals(cursor.getString("s"))) {
      throw new IllegalArgumentException("was made for the sort " + cursor.getValue("s") + ", not " + sort);
    }
    return new BookCriteria.Keyset(value instanceof Number number ? number.longValue() : value, bid.longValue(), before);
  }
}
