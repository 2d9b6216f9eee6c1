#pragma once

#include <string_view>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "emulator/auth/credentials.hpp"
#include "emulator/runtime/manual_scheduler.hpp"
#include "emulator/service_registry.hpp"
#include "emulator/store/database.hpp"
#include "services/ec2/ec2_service.hpp"

namespace awsemu::ec2::testing {

// EC2's operation table over an in-memory database; each call runs in a transaction, as the
// dispatcher runs it.
struct Ec2Fixture {
    ManualClock clock;
    ManualScheduler scheduler{clock};
    Database database{":memory:"};
    CredentialRegistry credentials{{}, "123456789012"};
    ServiceEnvironment environment{database, clock, scheduler, credentials, "123456789012"};
    ServiceRegistry registry;
    Scope scope{"123456789012", "us-east-1"};

    Ec2Fixture() { register_service(registry, environment); }

    nlohmann::json call(std::string_view operation, nlohmann::json input = nlohmann::json::object(),
                        const Scope* where = nullptr) {
        const ServiceDefinition* service = registry.by_signing_name("ec2");
        REQUIRE(service != nullptr);
        const auto it = service->operations.find(operation);
        REQUIRE(it != service->operations.end());
        const RequestContext context{where != nullptr ? *where : scope, "request-id", "", "",
                                     "http://localhost:4566",           &clock};
        auto transaction = database.transaction();
        auto result = it->second.handler(context, Params(std::move(input), service->param_errors));
        transaction.commit();
        return result;
    }

    // The code of the AwsError the call throws.
    std::string error_of(std::string_view operation, nlohmann::json input) {
        try {
            call(operation, std::move(input));
        } catch (const AwsError& error) {
            return std::string(error.spec().code);
        }
        return "no error";
    }
};

}  // namespace awsemu::ec2::testing
