package io.cqrsbooks.query.readmodel;

/**
 * One copy of the read model: its collections and the record of the bootstrap that built it. Generation 0
 * keeps the names the read model always had; a rebuild writes generation n + 1 beside it.
 */
public record Generation(int number) {

  String books() {
    return suffixed("books");
  }

  String tombstones() {
    return suffixed("book_tombstones");
  }

  String counts() {
    return suffixed("book_counts");
  }

  /** The id of this generation's bootstrap record in {@code read_model_meta}. */
  String bootstrapMarker() {
    return suffixed("bootstrap");
  }

  public Generation next() {
    return new Generation(number + 1);
  }

  private String suffixed(String name) {
    return number == 0 ? name : name + "_g" + number;
  }
}
