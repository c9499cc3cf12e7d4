package io.cqrsbooks.system;

import org.junit.jupiter.api.BeforeAll;

/**
 * Every read-side scenario again, with the version check repeated in each MongoDB write's filter
 * ({@code mongo.atomicVersionGuard=true}, the production default; the embedded launch turns it off).
 */
class AtomicGuardReadModelTest extends ReadModelTest {

  @BeforeAll
  static void startSystem() throws Exception {
    system = TestSystem.start(config -> config.getJsonObject("mongo").put("atomicVersionGuard", true));
  }
}
