#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "emulator/auth/credentials.hpp"
#include "emulator/runtime/manual_scheduler.hpp"
#include "emulator/service_registry.hpp"
#include "emulator/store/database.hpp"
#include "services/sqs/sqs_service.hpp"
#include "tests/unit/operation_call.hpp"

namespace awsemu::sqs::testing {

using awsemu::testing::CaughtError;

// SQS's operation table over an in-memory database, a manual clock and a manual scheduler;
// each call runs in a transaction, as the dispatcher runs it.
struct SqsFixture {
    ManualClock clock;
    ManualScheduler scheduler{clock};
    Database database{":memory:"};
    CredentialRegistry credentials{{}, "123456789012"};
    ServiceEnvironment environment{database, clock, scheduler, credentials, "123456789012"};
    ServiceRegistry registry;
    const ServiceDefinition* definition = nullptr;
    Scope scope{"123456789012", "us-east-1"};

    SqsFixture() {
        register_service(registry, environment);
        definition = registry.by_target_prefix("AmazonSQS");
        REQUIRE(definition != nullptr);
    }

    RequestContext context() const {
        return RequestContext{scope, "request-id", "", "", "http://localhost:4566", &clock};
    }

    nlohmann::json call(std::string_view operation, nlohmann::json input) {
        return awsemu::testing::call_operation(database, *definition, context(), operation,
                                               std::move(input));
    }

    CaughtError error(std::string_view operation, nlohmann::json input) {
        return awsemu::testing::caught_error(operation, [&] { call(operation, std::move(input)); });
    }

    // A ReceiveMessage in flight: `answer` is set once the operation replies.
    struct PendingReceive {
        std::shared_ptr<std::optional<OperationOutcome>> outcome =
            std::make_shared<std::optional<OperationOutcome>>();
        bool answered() const { return outcome->has_value(); }
        nlohmann::json messages() const {
            REQUIRE(answered());
            REQUIRE(std::holds_alternative<nlohmann::json>(**outcome));
            return std::get<nlohmann::json>(**outcome).value("Messages", nlohmann::json::array());
        }
    };

    PendingReceive start_receive(nlohmann::json input) {
        const auto& operation = definition->operations.at("ReceiveMessage");
        PendingReceive pending;
        auto transaction = database.transaction();
        operation.deferred_handler(
            context(), Params(std::move(input), definition->param_errors),
            [outcome = pending.outcome](OperationOutcome result) { *outcome = std::move(result); });
        transaction.commit();
        return pending;
    }

    // A ReceiveMessage that must answer at once; its messages.
    nlohmann::json receive(nlohmann::json input) {
        const auto pending = start_receive(std::move(input));
        return pending.messages();
    }

    std::string create_queue(const std::string& name, nlohmann::json attributes = {}) {
        nlohmann::json input = {{"QueueName", name}};
        if (!attributes.is_null()) {
            input["Attributes"] = std::move(attributes);
        }
        return call("CreateQueue", input)["QueueUrl"].get<std::string>();
    }

    nlohmann::json attributes(const std::string& url) {
        return call("GetQueueAttributes",
                    {{"QueueUrl", url}, {"AttributeNames", {"All"}}})["Attributes"];
    }
};

}  // namespace awsemu::sqs::testing
