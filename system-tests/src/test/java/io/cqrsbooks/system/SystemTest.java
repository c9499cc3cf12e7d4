package io.cqrsbooks.system;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One whole system per test class, started before its tests and stopped after. A class that needs
 * another configuration overrides {@link #newSystem()}.
 *
 * <p>The class lifecycle is per class so that the start is an overridable instance method. Subclasses
 * used to declare their own static {@code @BeforeAll startSystem()} to hide this class's, but JUnit ran
 * both: a second system was started and the first was never stopped (a whole system idling beside four
 * test classes, and 350 MB left in /tmp each time).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SystemTest {

  static TestSystem system;

  /** The system this class's tests run against; the embedded defaults unless a class says otherwise. */
  TestSystem newSystem() throws Exception {
    return TestSystem.start();
  }

  @BeforeAll
  final void startSystem() throws Exception {
    system = newSystem();
  }

  @AfterAll
  final void stopSystem() {
    system.close();
  }
}
