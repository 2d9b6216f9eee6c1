#pragma once

#include <string>
#include <string_view>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "emulator/protocol/aws_error.hpp"
#include "emulator/runtime/clock.hpp"
#include "emulator/store/database.hpp"
#include "services/secretsmanager/secretsmanager_service.hpp"
#include "tests/unit/operation_call.hpp"

namespace awsemu::secretsmanager::testing {

inline constexpr auto kOneDay = std::chrono::hours(24);

using awsemu::testing::CaughtError;

// Secrets Manager's operation table over an in-memory database and a manual clock; each call
// runs in a transaction, as the dispatcher runs it.
struct SecretsManagerFixture {
    ManualClock clock;
    Database database{":memory:"};
    ServiceDefinition definition = make_service_definition(database);
    Scope scope{"123456789012", "us-east-1"};

    nlohmann::json call(std::string_view operation, nlohmann::json input) {
        return call_in(scope, operation, std::move(input));
    }

    nlohmann::json call_in(const Scope& where, std::string_view operation, nlohmann::json input) {
        const RequestContext context{where, "request-id", "", "", "http://localhost", &clock};
        return awsemu::testing::call_operation(database, definition, context, operation,
                                               std::move(input));
    }

    CaughtError error(std::string_view operation, nlohmann::json input) {
        return error_in(scope, operation, std::move(input));
    }

    CaughtError error_in(const Scope& where, std::string_view operation, nlohmann::json input) {
        return awsemu::testing::caught_error(operation,
                                             [&] { call_in(where, operation, std::move(input)); });
    }

    // DescribeSecret's VersionIdsToStages.
    nlohmann::json stages(const std::string& secret_id) {
        return call("DescribeSecret", {{"SecretId", secret_id}})["VersionIdsToStages"];
    }

    // A secret with a string value; answers CreateSecret's output.
    nlohmann::json create(const std::string& name, const std::string& value,
                          nlohmann::json extra = nlohmann::json::object()) {
        extra["Name"] = name;
        extra["SecretString"] = value;
        if (!extra.contains("ClientRequestToken")) {
            extra["ClientRequestToken"] = token(++tokens_);
        }
        return call("CreateSecret", std::move(extra));
    }

    // Distinct 36-character tokens: "00000000-0000-4000-8000-00000000000N".
    static std::string token(int n) {
        std::string suffix = std::to_string(n);
        return "00000000-0000-4000-8000-" + std::string(12 - suffix.size(), '0') + suffix;
    }
    std::string next_token() { return token(++tokens_); }

    int tokens_ = 1000;
};

}  // namespace awsemu::secretsmanager::testing
