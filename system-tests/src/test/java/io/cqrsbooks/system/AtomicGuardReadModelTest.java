package io.cqrsbooks.system;

/**
 * Every read-side scenario again, with the version check repeated in each MongoDB write's filter
 * ({@code mongo.atomicVersionGuard=true}, the production default; the embedded launch turns it off).
 */
class AtomicGuardReadModelTest extends ReadModelTest {

  @Override
  TestSystem newSystem() throws Exception {
    return TestSystem.start(config -> config.getJsonObject("mongo").put("atomicVersionGuard", true));
  }
}
