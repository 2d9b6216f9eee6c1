#include "emulator/runtime/time_format.hpp"

#include <catch2/catch.hpp>

#include <chrono>

using namespace awsemu;
using namespace std::chrono_literals;

TEST_CASE("TimeFormat format_iso8601 writes UTC seconds with a Z", "[runtime][unit]") {
    CHECK(format_iso8601(TimePoint(0s)) == "1970-01-01T00:00:00Z");
    CHECK(format_iso8601(TimePoint(1'700'000'000s)) == "2023-11-14T22:13:20Z");
    CHECK(format_iso8601(TimePoint(1'709'164'800s)) == "2024-02-29T00:00:00Z");
}

TEST_CASE("TimeFormat format_iso8601 drops the fraction without rounding up", "[runtime][unit]") {
    CHECK(format_iso8601(TimePoint(1'700'000'000s + 999ms)) == "2023-11-14T22:13:20Z");
}

TEST_CASE("TimeFormat format_iso8601_millis writes three fraction digits", "[runtime][unit]") {
    CHECK(format_iso8601_millis(TimePoint(1'700'000'000s + 123ms)) == "2023-11-14T22:13:20.123Z");
    CHECK(format_iso8601_millis(TimePoint(1'700'000'000s + 5ms)) == "2023-11-14T22:13:20.005Z");
    CHECK(format_iso8601_millis(TimePoint(1'700'000'000s)) == "2023-11-14T22:13:20.000Z");
    CHECK(format_iso8601_millis(TimePoint(1'700'000'000s + 999999us)) ==
          "2023-11-14T22:13:20.999Z");
}

TEST_CASE("TimeFormat formats instants before the epoch", "[runtime][unit]") {
    CHECK(format_iso8601_millis(TimePoint(-1ms)) == "1969-12-31T23:59:59.999Z");
    CHECK(format_iso8601(TimePoint(-1s)) == "1969-12-31T23:59:59Z");
}

TEST_CASE("TimeFormat epoch_seconds keeps milliseconds", "[runtime][unit]") {
    CHECK(epoch_seconds(TimePoint(1'700'000'000s + 123ms)) ==
          Approx(1'700'000'000.123).margin(1e-6));
    CHECK(epoch_seconds(TimePoint(0s)) == 0.0);
}

TEST_CASE("TimeFormat from_epoch_seconds undoes epoch_seconds to the millisecond",
          "[runtime][unit]") {
    const TimePoint time(1'700'000'000s + 250ms);
    CHECK(std::chrono::duration_cast<std::chrono::milliseconds>(
              from_epoch_seconds(epoch_seconds(time)).time_since_epoch()) ==
          std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()));
    CHECK(from_epoch_seconds(1.5) == TimePoint(1500ms));
}

TEST_CASE("TimeFormat parse_iso8601 reads whole seconds with or without a fraction",
          "[runtime][unit]") {
    CHECK(parse_iso8601("2023-11-14T22:13:20Z") == TimePoint(1'700'000'000s));
    CHECK(parse_iso8601("2023-11-14T22:13:20.123Z") == TimePoint(1'700'000'000s));
    CHECK(parse_iso8601("2023-11-14T22:13:20+00:00") == TimePoint(1'700'000'000s));
    CHECK(parse_iso8601(format_iso8601(TimePoint(1'234'567'890s))) == TimePoint(1'234'567'890s));
}

TEST_CASE("TimeFormat parse_iso8601 rejects other shapes", "[runtime][unit]") {
    CHECK_FALSE(parse_iso8601(""));
    CHECK_FALSE(parse_iso8601("2023-11-14"));
    CHECK_FALSE(parse_iso8601("2023-11-14T22:13:20"));
    CHECK_FALSE(parse_iso8601("2023-11-14T22:13:20.Z"));
    CHECK_FALSE(parse_iso8601("2023-11-14T22:13:20+02:00"));
    CHECK_FALSE(parse_iso8601("Tue, 14 Nov 2023 22:13:20 GMT"));
}
