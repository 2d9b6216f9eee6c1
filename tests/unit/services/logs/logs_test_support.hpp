#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "emulator/protocol/aws_error.hpp"
#include "emulator/runtime/clock.hpp"
#include "emulator/runtime/time_format.hpp"
#include "emulator/store/database.hpp"
#include "services/logs/logs_service.hpp"
#include "tests/unit/operation_call.hpp"

namespace awsemu::logs::testing {

using awsemu::testing::CaughtError;

// CloudWatch Logs' operation table over an in-memory database and a manual clock; each call
// runs in a transaction, as the dispatcher runs it.
struct LogsFixture {
    ManualClock clock;
    Database database{":memory:"};
    ServiceDefinition definition = make_service_definition(database);
    Scope scope{"123456789012", "us-east-1"};

    std::int64_t now_ms() const { return to_epoch_ms(clock.now()); }

    nlohmann::json call(std::string_view operation, nlohmann::json input) {
        const RequestContext context{scope, "request-id", "", "", "http://localhost", &clock};
        return awsemu::testing::call_operation(database, definition, context, operation,
                                               std::move(input));
    }

    CaughtError error(std::string_view operation, nlohmann::json input) {
        return awsemu::testing::caught_error(operation, [&] { call(operation, std::move(input)); });
    }

    void group_and_stream(const std::string& group, const std::string& stream) {
        call("CreateLogGroup", {{"logGroupName", group}});
        call("CreateLogStream", {{"logGroupName", group}, {"logStreamName", stream}});
    }

    // Puts messages "m0".."m<n-1>" one millisecond apart, starting `back_ms` ago.
    void put_numbered(const std::string& group, const std::string& stream, int n,
                      std::int64_t back_ms = 60'000) {
        nlohmann::json events = nlohmann::json::array();
        for (int i = 0; i < n; ++i) {
            events.push_back(
                {{"timestamp", now_ms() - back_ms + i}, {"message", "m" + std::to_string(i)}});
        }
        call("PutLogEvents",
             {{"logGroupName", group}, {"logStreamName", stream}, {"logEvents", events}});
    }
};

inline std::vector<std::string> messages(const nlohmann::json& events) {
    std::vector<std::string> out;
    for (const auto& event : events) {
        out.push_back(event["message"].get<std::string>());
    }
    return out;
}

}  // namespace awsemu::logs::testing
