#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "emulator/protocol/aws_error.hpp"
#include "emulator/runtime/clock.hpp"
#include "emulator/store/database.hpp"
#include "services/ecs/ecs_service.hpp"

namespace awsemu::ecs::testing {

struct CaughtError {
    std::string code;
    std::string message;
    int status = 0;
};

// ECS's operation table over an in-memory database and a manual clock; each call runs in a
// transaction, as the dispatcher runs it.
struct EcsFixture {
    ManualClock clock;
    Database database{":memory:"};
    std::shared_ptr<EcsContext> ecs;
    ServiceDefinition definition = make_service_definition(database, nullptr, &ecs);
    Scope scope{"123456789012", "us-east-1"};

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

    // A minimal valid Fargate registration of `family`.
    static nlohmann::json fargate_request(const std::string& family) {
        return {{"family", family},
                {"networkMode", "awsvpc"},
                {"requiresCompatibilities", {"FARGATE"}},
                {"cpu", "256"},
                {"memory", "512"},
                {"containerDefinitions",
                 {{{"name", "web"},
                   {"image", "nginx:latest"},
                   {"portMappings", {{{"containerPort", 80}}}}}}}};
    }
};

}  // namespace awsemu::ecs::testing
