package io.cqrsbooks.command;

import java.time.LocalDate;

/** The editable fields of a book, already validated and trimmed; {@code isbn} is 13 digits or null. */
public record BookInput(
    String title,
    String author,
    String category,
    int pages,
    long price,
    LocalDate publishedDate,
    String description,
    String isbn) {
}
