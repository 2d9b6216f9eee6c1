#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "emulator/protocol/aws_error.hpp"
#include "emulator/service.hpp"
#include "emulator/store/database.hpp"

// Calling a service's operations in unit tests as the dispatcher calls them: decoded
// parameters, one transaction per call.
namespace awsemu::testing {

struct CaughtError {
    std::string code;
    std::string message;
    int status = 0;
};

inline nlohmann::json call_operation(Database& database, const ServiceDefinition& definition,
                                     const RequestContext& context, std::string_view operation,
                                     nlohmann::json input) {
    const auto it = definition.operations.find(operation);
    REQUIRE(it != definition.operations.end());
    REQUIRE(it->second.handler);
    auto transaction = database.transaction();
    auto output = it->second.handler(context, Params(std::move(input), definition.param_errors));
    transaction.commit();
    return output;
}

// The AwsError `call` throws; fails the test when it throws none.
inline CaughtError caught_error(std::string_view operation, const std::function<void()>& call) {
    try {
        call();
    } catch (const AwsError& e) {
        return {std::string(e.spec().code), e.what(), e.spec().http_status};
    }
    FAIL("expected " << operation << " to fail");
    return {};
}

}  // namespace awsemu::testing
