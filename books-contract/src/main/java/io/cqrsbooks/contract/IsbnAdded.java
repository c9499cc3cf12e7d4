package io.cqrsbooks.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Schema 1 -> 2: books gained an optional {@code isbn}; a book written before it has none. */
final class IsbnAdded implements EventUpcaster {

  @Override
  public int from() {
    return 1;
  }

  @Override
  public void upcast(ObjectNode event) {
    if (event.get("book") instanceof ObjectNode book && !book.has(BookFields.ISBN)) {
      book.putNull(BookFields.ISBN);
    }
  }
}
