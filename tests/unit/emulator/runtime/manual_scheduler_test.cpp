#include "emulator/runtime/manual_scheduler.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace awsemu;
using namespace std::chrono_literals;

TEST_CASE("ManualScheduler runs timers in time order, each at its own moment", "[runtime][unit]") {
    ManualClock clock;
    ManualScheduler scheduler(clock);
    const TimePoint start = clock.now();
    std::vector<std::string> ran;
    scheduler.at(start + 3s,
                 [&] { ran.push_back("c@" + std::to_string((clock.now() - start) / 1s)); });
    scheduler.at(start + 1s,
                 [&] { ran.push_back("a@" + std::to_string((clock.now() - start) / 1s)); });
    scheduler.at(start + 2s, [&] {
        ran.push_back("b@" + std::to_string((clock.now() - start) / 1s));
        // Work scheduled by work runs in the same advance when it falls inside it.
        scheduler.at(clock.now() + 500ms, [&] { ran.push_back("b2"); });
    });
    scheduler.advance(2500ms);
    CHECK(ran == std::vector<std::string>{"a@1", "b@2", "b2"});
    CHECK(clock.now() == start + 2500ms);
    scheduler.advance(10s);
    CHECK(ran.back() == "c@3");
    CHECK(scheduler.pending_timers() == 0);
}

TEST_CASE("ManualScheduler forgets cancelled timers and runs posted work first",
          "[runtime][unit]") {
    ManualClock clock;
    ManualScheduler scheduler(clock);
    std::vector<std::string> ran;
    const auto id = scheduler.at(clock.now() + 1s, [&] { ran.push_back("cancelled"); });
    scheduler.at(clock.now(), [&] { ran.push_back("due"); });
    scheduler.post([&] { ran.push_back("posted"); });
    scheduler.cancel(id);
    scheduler.cancel(id);  // harmless twice
    scheduler.run_ready();
    CHECK(ran == std::vector<std::string>{"posted", "due"});
    scheduler.advance(5s);
    CHECK(ran.size() == 2);
}
