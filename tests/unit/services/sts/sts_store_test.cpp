#include "services/sts/sts_store.hpp"

#include <catch2/catch.hpp>

#include <chrono>

using namespace awsemu;
using namespace awsemu::sts;
using namespace std::chrono_literals;

namespace {

RoleSession session(std::string key, std::string account) {
    RoleSession s;
    s.access_key_id = std::move(key);
    s.secret_access_key = "secret/with+chars";
    s.session_token = "token==";
    s.account_id = std::move(account);
    s.role_arn = "arn:aws:iam::" + s.account_id + ":role/deploy";
    s.assumed_role_arn = "arn:aws:sts::" + s.account_id + ":assumed-role/deploy/ci";
    s.assumed_role_id = "AROAEXAMPLE:ci";
    s.expiration = TimePoint(1'700'003'600s + 250ms);
    return s;
}

}  // namespace

TEST_CASE("StsStore finds a session by its access key with every field", "[sts][unit]") {
    Database db(":memory:");
    StsStore store(db);
    const auto stored = session("ASIAAAAA", "111122223333");
    store.insert_session(stored);
    const auto found = store.find_session("ASIAAAAA");
    REQUIRE(found.has_value());
    CHECK(found->access_key_id == stored.access_key_id);
    CHECK(found->secret_access_key == stored.secret_access_key);
    CHECK(found->session_token == stored.session_token);
    CHECK(found->account_id == stored.account_id);
    CHECK(found->role_arn == stored.role_arn);
    CHECK(found->assumed_role_arn == stored.assumed_role_arn);
    CHECK(found->assumed_role_id == stored.assumed_role_id);
    CHECK(found->expiration == stored.expiration);
}

TEST_CASE("StsStore answers nothing for a key it never issued", "[sts][unit]") {
    Database db(":memory:");
    StsStore store(db);
    store.insert_session(session("ASIAAAAA", "111122223333"));
    CHECK_FALSE(store.find_session("ASIABBBB").has_value());
    CHECK_FALSE(store.find_session("").has_value());
}

TEST_CASE("StsStore keeps sessions of several accounts apart", "[sts][unit]") {
    Database db(":memory:");
    StsStore store(db);
    store.insert_session(session("ASIAAAAA", "111122223333"));
    store.insert_session(session("ASIABBBB", "444455556666"));
    CHECK(store.find_session("ASIAAAAA")->account_id == "111122223333");
    CHECK(store.find_session("ASIABBBB")->account_id == "444455556666");
}

TEST_CASE("StsStore on a database that already has its table migrates nothing", "[sts][unit]") {
    Database db(":memory:");
    StsStore first(db);
    first.insert_session(session("ASIAAAAA", "111122223333"));
    StsStore second(db);
    CHECK(second.find_session("ASIAAAAA").has_value());
}

TEST_CASE("StsStore sessions are gone after a reset", "[sts][unit]") {
    Database db(":memory:");
    StsStore store(db);
    store.insert_session(session("ASIAAAAA", "111122223333"));
    db.reset();
    CHECK_FALSE(store.find_session("ASIAAAAA").has_value());
}
