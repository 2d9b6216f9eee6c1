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

namespace awsemu::logs::testing {

struct CaughtError {
    std::string code;
    std::string message;
    int status = 0;
};

// CloudWatch Logs' operation table over an in-memory database and a manual clock; each call
// runs in a transaction, as the dispatcher runs it.
struct LogsFixture {
    ManualClock clock;
    Database database{":memory:"};
    ServiceDefinition definition = make_service_definition(database);
    Scope scope{"123456789012", "us-east-1"};

    std::int64_t now_ms() const { return to_epoch_ms(clock.now()); }

    nlohmann::json call(std::string_view operation, nlohmann::json input) {
        auto transaction = database.transaction();
        const RequestContext context{scope, "request-id", "", "", "http://localhost", &clock};
        const auto it = definition.operations.find(operation);
        REQUIRE(it != definition.operations.end());
        auto output =
            it->second.handler(context, Params(std::move(input), definition.param_errors));
        transaction.commit();
        return output;
    }

    CaughtError error(std::string_view operation, nlohmann::json input) {
        try {
            call(operation, std::move(input));
        } catch (const AwsError& e) {
            return {std::string(e.spec().code), e.what(), e.spec().http_status};
        }
        FAIL("expected " << operation << " to fail");
        return {};
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
