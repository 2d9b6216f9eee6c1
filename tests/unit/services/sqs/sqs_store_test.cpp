#include "services/sqs/sqs_store.hpp"

#include <catch2/catch.hpp>

#include "services/sqs/sqs_model.hpp"

using namespace awsemu;
using namespace awsemu::sqs;

namespace {

const Scope kScope{"123456789012", "us-east-1"};

std::optional<Queue> find(Database& database, SqsStore& store, const std::string& name) {
    auto transaction = database.transaction();
    return store.find_queue(kScope.account_id, kScope.region, name);
}

}  // namespace

TEST_CASE("SqsStore finds a queue again after its attributes change", "[sqs][unit]") {
    Database database(":memory:");
    SqsStore store(database);
    std::int64_t id = 0;
    {
        auto transaction = database.transaction();
        id = store.create_queue(kScope, "q", default_attributes(false), {}, 1).id;
        transaction.commit();
    }
    REQUIRE(find(database, store, "q")->settings.delay_seconds == 0);
    {
        auto transaction = database.transaction();
        AttributeMap attributes = default_attributes(false);
        attributes["DelaySeconds"] = "7";
        store.update_attributes(id, attributes, 2);
        transaction.commit();
    }
    CHECK(find(database, store, "q")->settings.delay_seconds == 7);
}

TEST_CASE("SqsStore does not find a queue whose creation was rolled back", "[sqs][unit]") {
    Database database(":memory:");
    SqsStore store(database);
    {
        auto transaction = database.transaction();
        store.create_queue(kScope, "gone", default_attributes(false), {}, 1);
        REQUIRE(store.find_queue(kScope.account_id, kScope.region, "gone"));
    }
    CHECK_FALSE(find(database, store, "gone"));
}

TEST_CASE("SqsStore does not find a deleted queue, nor one after a reset", "[sqs][unit]") {
    Database database(":memory:");
    SqsStore store(database);
    std::int64_t id = 0;
    {
        auto transaction = database.transaction();
        id = store.create_queue(kScope, "a", default_attributes(false), {}, 1).id;
        store.create_queue(kScope, "b", default_attributes(false), {}, 1);
        transaction.commit();
    }
    REQUIRE(find(database, store, "a"));
    REQUIRE(find(database, store, "b"));
    {
        auto transaction = database.transaction();
        store.delete_queue(id);
        transaction.commit();
    }
    CHECK_FALSE(find(database, store, "a"));
    database.reset();
    CHECK_FALSE(find(database, store, "b"));
}
