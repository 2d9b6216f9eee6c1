#include "emulator/runtime/clock.hpp"

#include <catch2/catch.hpp>

#include <chrono>

using namespace awsemu;
using namespace std::chrono_literals;

TEST_CASE("ManualClock starts at a fixed instant", "[runtime][unit]") {
    const ManualClock clock;
    CHECK(clock.now() == TimePoint(1'700'000'000s));
    const ManualClock other(TimePoint(42s));
    CHECK(other.now() == TimePoint(42s));
}

TEST_CASE("ManualClock moves only when advanced", "[runtime][unit]") {
    ManualClock clock;
    const auto start = clock.now();
    CHECK(clock.now() == start);
    clock.advance(90s);
    CHECK(clock.now() == start + 90s);
    clock.advance(1500ms);
    CHECK(clock.now() == start + 91500ms);
    clock.advance(0s);
    CHECK(clock.now() == start + 91500ms);
}

TEST_CASE("ManualClock waits last as long as they say", "[runtime][unit]") {
    const ManualClock clock;
    const Clock& as_clock = clock;
    CHECK(as_clock.to_real(30s) == Duration(30s));
    CHECK(as_clock.to_real(0s) == Duration(0s));
}

TEST_CASE("ScaledSystemClock shortens waits by the time scale", "[runtime][unit]") {
    // Only to_real is checked, which is arithmetic; now() would read the wall clock.
    const ScaledSystemClock tenfold(0.1);
    CHECK(tenfold.to_real(300s) == Duration(30s));
    CHECK(tenfold.to_real(1s) == Duration(100ms));
    const ScaledSystemClock real(1.0);
    CHECK(real.to_real(5min) == Duration(5min));
    const ScaledSystemClock slower(2.0);
    CHECK(slower.to_real(30s) == Duration(60s));
}
