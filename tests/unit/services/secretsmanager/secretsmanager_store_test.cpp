#include "services/secretsmanager/secretsmanager_store.hpp"

#include <catch2/catch.hpp>

using namespace awsemu;
using namespace awsemu::secretsmanager;

namespace {

Secret make_secret(const std::string& name, std::int64_t now) {
    Secret secret;
    secret.name = name;
    secret.arn = secret_arn("us-east-1", "123456789012", name, "AbCdEf");
    secret.created_ms = now;
    secret.last_changed_ms = now;
    return secret;
}

SecretVersion make_version(const std::string& id, std::int64_t created, std::string value) {
    SecretVersion version;
    version.version_id = id;
    version.created_ms = created;
    version.data.string = std::move(value);
    return version;
}

}  // namespace

TEST_CASE("Unit behaviour: the store keeps secrets per account and region",
          "[secretsmanager][unit]") {
    Database database(":memory:");
    SecretsManagerStore store(database);
    auto tx = database.transaction();
    const Scope east{"123456789012", "us-east-1"};
    const Scope west{"123456789012", "us-west-2"};
    const Scope other{"210987654321", "us-east-1"};

    Secret secret = make_secret("app/db", 1000);
    secret.description = "db";
    secret.rotation_rules = RotationRules{30, "3h", std::nullopt};
    secret.rotation_enabled = true;
    store.insert_secret(east, secret);

    const auto found = store.find_by_name(east, "app/db");
    REQUIRE(found);
    CHECK(found->arn == secret.arn);
    CHECK(found->description == std::optional<std::string>("db"));
    REQUIRE(found->rotation_rules);
    CHECK(found->rotation_rules->automatically_after_days == std::optional<std::int64_t>(30));
    CHECK(found->rotation_rules->duration == std::optional<std::string>("3h"));
    CHECK(found->rotation_enabled == std::optional<bool>(true));
    CHECK(store.find_by_arn(east, secret.arn));
    CHECK_FALSE(store.find_by_name(west, "app/db"));
    CHECK_FALSE(store.find_by_name(other, "app/db"));
    CHECK(store.list_secrets(east).size() == 1);
    CHECK(store.list_secrets(west).empty());
    tx.commit();
}

TEST_CASE("Unit behaviour: the store moves staging labels between versions",
          "[secretsmanager][unit]") {
    Database database(":memory:");
    SecretsManagerStore store(database);
    auto tx = database.transaction();
    const Scope scope{"123456789012", "us-east-1"};
    store.insert_secret(scope, make_secret("s", 1));
    store.insert_version(scope, "s", make_version("v1", 1, "one"));
    store.insert_version(scope, "s", make_version("v2", 2, "two"));
    store.attach_stage(scope, "s", "AWSCURRENT", "v1");
    store.attach_stage(scope, "s", "CUSTOM", "v1");
    store.attach_stage(scope, "s", "AWSCURRENT", "v2");

    auto versions = store.versions(scope, "s");
    REQUIRE(versions.size() == 2);
    CHECK(versions[0].version_id == "v1");
    CHECK(versions[0].stages == std::vector<std::string>{"CUSTOM"});
    CHECK(versions[1].stages == std::vector<std::string>{"AWSCURRENT"});
    const auto current = store.find_version_by_stage(scope, "s", "AWSCURRENT");
    REQUIRE(current);
    CHECK(current->data.string == std::optional<std::string>("two"));

    store.detach_stage(scope, "s", "CUSTOM");
    CHECK(store.find_version(scope, "s", "v1")->stages.empty());
    CHECK_FALSE(store.find_version_by_stage(scope, "s", "CUSTOM"));
    tx.commit();
}

TEST_CASE("Unit behaviour: the store reads a secret with the version carrying a stage at once",
          "[secretsmanager][unit]") {
    Database database(":memory:");
    SecretsManagerStore store(database);
    auto tx = database.transaction();
    const Scope scope{"123456789012", "us-east-1"};
    const Secret secret = make_secret("s", 1);
    store.insert_secret(scope, secret);
    store.insert_secret(scope, make_secret("empty", 1));
    store.insert_version(scope, "s", make_version("v1", 1, "one"));
    store.insert_version(scope, "s", make_version("v2", 2, "two"));
    store.attach_stage(scope, "s", "AWSPREVIOUS", "v1");
    store.attach_stage(scope, "s", "AWSCURRENT", "v2");
    store.attach_stage(scope, "s", "CUSTOM", "v2");

    const auto current = store.find_by_name_with_stage(scope, "s", "AWSCURRENT");
    REQUIRE(current);
    CHECK(current->secret.arn == secret.arn);
    REQUIRE(current->version);
    CHECK(current->version->version_id == "v2");
    CHECK(current->version->data.string == std::optional<std::string>("two"));
    CHECK(current->version->stages == std::vector<std::string>{"AWSCURRENT", "CUSTOM"});

    const auto previous = store.find_by_arn_with_stage(scope, secret.arn, "AWSPREVIOUS");
    REQUIRE(previous);
    REQUIRE(previous->version);
    CHECK(previous->version->version_id == "v1");

    const auto no_such_stage = store.find_by_name_with_stage(scope, "s", "AWSPENDING");
    REQUIRE(no_such_stage);
    CHECK(no_such_stage->secret.name == "s");
    CHECK_FALSE(no_such_stage->version);
    const auto no_versions = store.find_by_name_with_stage(scope, "empty", "AWSCURRENT");
    REQUIRE(no_versions);
    CHECK_FALSE(no_versions->version);
    CHECK_FALSE(store.find_by_name_with_stage(scope, "missing", "AWSCURRENT"));
    CHECK_FALSE(
        store.find_by_arn_with_stage(Scope{"123456789012", "us-west-2"}, secret.arn, "AWSCURRENT"));
    tx.commit();
}

TEST_CASE("Unit behaviour: the store keeps binary values byte for byte", "[secretsmanager][unit]") {
    Database database(":memory:");
    SecretsManagerStore store(database);
    auto tx = database.transaction();
    const Scope scope{"123456789012", "us-east-1"};
    store.insert_secret(scope, make_secret("bin", 1));
    SecretVersion version;
    version.version_id = "v1";
    std::string bytes;
    for (int i = 0; i < 256; ++i) {
        bytes.push_back(static_cast<char>(i));
    }
    version.data.binary = bytes;
    store.insert_version(scope, "bin", version);
    const auto read = store.find_version(scope, "bin", "v1");
    REQUIRE(read);
    CHECK_FALSE(read->data.string);
    CHECK(read->data.binary == std::optional<std::string>(bytes));
    tx.commit();
}

TEST_CASE("Unit behaviour: the store purges secrets whose recovery window ended",
          "[secretsmanager][unit]") {
    Database database(":memory:");
    SecretsManagerStore store(database);
    auto tx = database.transaction();
    const Scope scope{"123456789012", "us-east-1"};
    Secret doomed = make_secret("doomed", 1);
    doomed.deleted_ms = 10;
    doomed.deletion_ms = 100;
    store.insert_secret(scope, doomed);
    store.insert_version(scope, "doomed", make_version("v1", 1, "x"));
    store.attach_stage(scope, "doomed", "AWSCURRENT", "v1");
    store.replace_tags(scope, "doomed", {{"k", "v"}});
    store.insert_secret(scope, make_secret("kept", 1));

    store.purge_expired(scope, 99);
    CHECK(store.find_by_name(scope, "doomed"));
    store.purge_expired(scope, 100);
    CHECK_FALSE(store.find_by_name(scope, "doomed"));
    CHECK(store.versions(scope, "doomed").empty());
    CHECK(store.tags(scope, "doomed").empty());
    CHECK(store.find_by_name(scope, "kept"));
    tx.commit();
}

TEST_CASE("Unit behaviour: the store keeps tags in order and prunes deprecated versions",
          "[secretsmanager][unit]") {
    Database database(":memory:");
    SecretsManagerStore store(database);
    auto tx = database.transaction();
    const Scope scope{"123456789012", "us-east-1"};
    store.insert_secret(scope, make_secret("s", 1));
    store.replace_tags(scope, "s", {{"b", "2"}, {"a", "1"}});
    CHECK(store.tags(scope, "s") == std::vector<Tag>{{"b", "2"}, {"a", "1"}});

    for (int i = 0; i < 5; ++i) {
        store.insert_version(scope, "s", make_version("v" + std::to_string(i), i, "x"));
    }
    store.attach_stage(scope, "s", "AWSCURRENT", "v4");
    const std::int64_t later = 10 * kMillisecondsPerDay;
    store.prune_deprecated_versions(scope, "s", 2, later);
    const auto versions = store.versions(scope, "s");
    REQUIRE(versions.size() == 3);
    CHECK(versions[0].version_id == "v2");
    CHECK(versions[2].version_id == "v4");
    // Versions younger than a day are kept even beyond the limit.
    store.insert_version(scope, "s", make_version("young", later, "y"));
    store.prune_deprecated_versions(scope, "s", 0, later);
    CHECK(store.versions(scope, "s").size() == 2);
    tx.commit();
}

TEST_CASE("Unit behaviour: the store copies a secret into a replica region",
          "[secretsmanager][unit]") {
    Database database(":memory:");
    SecretsManagerStore store(database);
    auto tx = database.transaction();
    const Scope east{"123456789012", "us-east-1"};
    const Scope west{"123456789012", "us-west-2"};
    Secret primary = make_secret("s", 1);
    primary.description = "primary";
    store.insert_secret(east, primary);
    store.insert_version(east, "s", make_version("v1", 1, "value"));
    store.attach_stage(east, "s", "AWSCURRENT", "v1");
    store.replace_tags(east, "s", {{"k", "v"}});

    Secret replica = make_secret("s", 2);
    replica.arn = arn_in_region(primary.arn, "us-west-2");
    replica.primary_region = "us-east-1";
    store.insert_secret(west, replica);
    store.copy_secret_contents(east, west, "s");

    const auto copy = store.find_by_name(west, "s");
    REQUIRE(copy);
    CHECK(copy->description == std::optional<std::string>("primary"));
    CHECK(copy->arn == replica.arn);
    CHECK(copy->primary_region == std::optional<std::string>("us-east-1"));
    const auto current = store.find_version_by_stage(west, "s", "AWSCURRENT");
    REQUIRE(current);
    CHECK(current->data.string == std::optional<std::string>("value"));
    CHECK(store.tags(west, "s") == std::vector<Tag>{{"k", "v"}});
    tx.commit();
}
