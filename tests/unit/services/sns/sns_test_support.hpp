#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "emulator/auth/credentials.hpp"
#include "emulator/runtime/manual_scheduler.hpp"
#include "emulator/service_registry.hpp"
#include "emulator/store/database.hpp"
#include "services/sns/sns_service.hpp"
#include "services/sqs/sqs_service.hpp"
#include "tests/unit/fake_http_client.hpp"

namespace awsemu::sns::testing {

using awsemu::testing::FakeHttpClient;

// SQS and SNS over an in-memory database, a manual clock, a manual scheduler and a fake HTTP
// client; each call runs in a transaction, as the dispatcher runs it.
struct SnsFixture {
    ManualClock clock;
    ManualScheduler scheduler{clock};
    Database database{":memory:"};
    CredentialRegistry credentials{{}, "123456789012"};
    FakeHttpClient http;
    ServiceEnvironment environment{database, clock, scheduler, credentials, "123456789012"};
    ServiceRegistry registry;
    // The services call() reaches: another server's, once a test has one take over.
    ServiceRegistry* serving = &registry;
    Scope scope{"123456789012", "us-east-1"};

    SnsFixture() {
        environment.http_client = &http;
        sqs::register_service(registry, environment);
        register_service(registry, environment);
        scheduler.run_ready();
    }

    RequestContext context() const {
        return RequestContext{scope, "request-id", "", "", "http://localhost:4566", &clock};
    }

    nlohmann::json call(std::string_view service, std::string_view operation,
                        nlohmann::json input) {
        const ServiceDefinition* definition = serving->by_signing_name(service);
        REQUIRE(definition != nullptr);
        const auto it = definition->operations.find(operation);
        REQUIRE(it != definition->operations.end());
        auto transaction = database.transaction();
        auto output =
            it->second.handler(context(), Params(std::move(input), definition->param_errors));
        transaction.commit();
        return output;
    }
    nlohmann::json sns(std::string_view operation, nlohmann::json input) {
        return call("sns", operation, std::move(input));
    }

    // A queue's ARN and URL.
    std::pair<std::string, std::string> create_queue(const std::string& name) {
        const std::string url = call("sqs", "CreateQueue", {{"QueueName", name}})["QueueUrl"];
        return {"arn:aws:sqs:us-east-1:123456789012:" + name, url};
    }
    // What a COUNT query over the service's tables finds: how much it keeps.
    std::int64_t count(std::string_view sql) {
        auto transaction = database.transaction();
        auto q = database.query(sql);
        q.next();
        return q.integer(0);
    }
    int visible_messages(const std::string& queue_url) {
        const auto attributes =
            call("sqs", "GetQueueAttributes",
                 {{"QueueUrl", queue_url}, {"AttributeNames", {"ApproximateNumberOfMessages"}}});
        return std::stoi(
            attributes["Attributes"]["ApproximateNumberOfMessages"].get<std::string>());
    }
};

}  // namespace awsemu::sns::testing
