package io.cqrsbooks.query.readmodel;

import io.cqrsbooks.contract.Book;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SearchWordsTest {

  private static Book book(String title, String author) {
    return new Book(1, title, author, "", 1, 1, null, "", null, 1, null, null);
  }

  @Test
  void storesTheLowerCaseWordsOfTitleAndAuthorOnce() {
    assertEquals(List.of("the", "left", "hand", "of", "darkness", "ursula", "k", "le", "guin"),
        SearchWords.of(book("The Left Hand of Darkness", "Ursula K. Le Guin")));
    assertEquals(List.of("dune", "frank", "herbert"), SearchWords.of(book("DUNE", "Frank Herbert, Dune")));
  }

  @Test
  void normalisesWidthAndKeepsLettersOfEveryScript() {
    assertEquals(List.of("채식주의자", "한강"), SearchWords.of(book("채식주의자", "한강")));
    assertEquals(List.of("abc123"), SearchWords.split("ＡＢＣ１２３"), "full-width letters and digits fold to ASCII");
    assertEquals(List.of("ł", "ódź"), SearchWords.split("Ł. Ódź"));
  }

  @Test
  void aSearchIsItsWordsAtMostEight() {
    assertEquals(List.of("le", "guin"), SearchWords.terms("  Le   GUIN le "));
    assertEquals(List.of(), SearchWords.terms("!!! --"));
    assertEquals(8, SearchWords.terms("a b c d e f g h i j").size());
  }
}
