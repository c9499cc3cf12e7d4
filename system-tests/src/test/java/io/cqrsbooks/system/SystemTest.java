package io.cqrsbooks.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One whole system per test class, started before its tests and stopped after. A subclass that needs
 * another configuration declares its own static {@code startSystem()}, which hides this one.
 */
abstract class SystemTest {

  static TestSystem system;

  @BeforeAll
  static void startSystem() throws Exception {
    system = TestSystem.start();
  }

  @AfterAll
  static void stopSystem() {
    system.close();
  }
}
