#include "emulator/auth/credentials.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>

using namespace awsemu;

namespace {

// Issues one temporary key, as STS's AssumeRole does.
class FakeSource final : public CredentialSource {
  public:
    std::optional<ResolvedCredential> find(std::string_view access_key_id) const override {
        ++lookups;
        const auto it = issued.find(std::string(access_key_id));
        if (it == issued.end()) {
            return std::nullopt;
        }
        return it->second;
    }

    std::map<std::string, ResolvedCredential> issued;
    mutable int lookups = 0;
};

ResolvedCredential role_session() {
    ResolvedCredential credential;
    credential.secret_access_key = "role-secret";
    credential.account_id = "111122223333";
    credential.principal_arn = "arn:aws:sts::111122223333:assumed-role/deploy/ci";
    credential.user_id = "AROAEXAMPLE:ci";
    credential.session_token = "token";
    return credential;
}

}  // namespace

TEST_CASE("Credentials is_account_id accepts exactly twelve digits", "[auth][unit]") {
    CHECK(is_account_id("123456789012"));
    CHECK(is_account_id("000000000000"));
    CHECK_FALSE(is_account_id("12345678901"));
    CHECK_FALSE(is_account_id("1234567890123"));
    CHECK_FALSE(is_account_id("12345678901a"));
    CHECK_FALSE(is_account_id("AKIAIOSFODNN"));
    CHECK_FALSE(is_account_id(""));
    CHECK_FALSE(is_account_id("-12345678901"));
}

TEST_CASE("Credentials identify maps a 12-digit key to that account's root", "[auth][unit]") {
    const CredentialRegistry registry({}, "000000000000");
    const auto identity = registry.identify("123456789012");
    CHECK(identity.account_id == "123456789012");
    CHECK(identity.principal_arn == "arn:aws:iam::123456789012:root");
    CHECK(identity.user_id == "123456789012");
    CHECK(identity.secret_access_key.empty());
    CHECK(identity.session_token.empty());
    CHECK_FALSE(identity.expiration.has_value());
}

TEST_CASE("Credentials identify maps any other key to the default account", "[auth][unit]") {
    const CredentialRegistry registry({{"test", "test"}}, "444455556666");
    for (const std::string key : {"test", "AKIAIOSFODNN7EXAMPLE", "", "12345678901"}) {
        INFO(key);
        const auto identity = registry.identify(key);
        CHECK(identity.account_id == "444455556666");
        CHECK(identity.principal_arn == "arn:aws:iam::444455556666:root");
    }
    CHECK(registry.default_account_id() == "444455556666");
}

TEST_CASE("Credentials find knows configured keys and their secrets", "[auth][unit]") {
    const CredentialRegistry registry({{"AKIDSTRICT", "goodsecret"}, {"210987654321", "s2"}},
                                      "000000000000");
    const auto strict = registry.find("AKIDSTRICT");
    REQUIRE(strict.has_value());
    CHECK(strict->secret_access_key == "goodsecret");
    CHECK(strict->account_id == "000000000000");
    CHECK(strict->principal_arn == "arn:aws:iam::000000000000:root");

    const auto numbered = registry.find("210987654321");
    REQUIRE(numbered.has_value());
    CHECK(numbered->secret_access_key == "s2");
    CHECK(numbered->account_id == "210987654321");

    CHECK_FALSE(registry.find("akidstrict").has_value());
    CHECK_FALSE(registry.find("unknown").has_value());
    CHECK_FALSE(registry.find("").has_value());
}

TEST_CASE("Credentials find and identify ask the sources for keys they issued", "[auth][unit]") {
    FakeSource sts;
    sts.issued.emplace("ASIAEXAMPLE", role_session());
    CredentialRegistry registry({{"test", "test"}}, "000000000000");
    registry.add_source(&sts);

    const auto found = registry.find("ASIAEXAMPLE");
    REQUIRE(found.has_value());
    CHECK(found->secret_access_key == "role-secret");
    CHECK(found->account_id == "111122223333");
    CHECK(found->session_token == "token");

    const auto identity = registry.identify("ASIAEXAMPLE");
    CHECK(identity.account_id == "111122223333");
    CHECK(identity.principal_arn == "arn:aws:sts::111122223333:assumed-role/deploy/ci");
    CHECK(identity.user_id == "AROAEXAMPLE:ci");

    CHECK_FALSE(registry.find("ASIAOTHER").has_value());
    CHECK(registry.identify("ASIAOTHER").account_id == "000000000000");
}

TEST_CASE("Credentials configured keys win over sources", "[auth][unit]") {
    FakeSource source;
    source.issued.emplace("test", role_session());
    CredentialRegistry registry({{"test", "configured"}}, "000000000000");
    registry.add_source(&source);
    const auto found = registry.find("test");
    REQUIRE(found.has_value());
    CHECK(found->secret_access_key == "configured");
    CHECK(found->account_id == "000000000000");
    CHECK(registry.identify("test").account_id == "000000000000");
    CHECK(source.lookups == 0);
}

TEST_CASE("Credentials sources are asked in the order they were added", "[auth][unit]") {
    FakeSource first;
    FakeSource second;
    auto other = role_session();
    other.account_id = "999999999999";
    first.issued.emplace("ASIAONE", role_session());
    second.issued.emplace("ASIAONE", other);
    second.issued.emplace("ASIATWO", other);
    CredentialRegistry registry({}, "000000000000");
    registry.add_source(&first);
    registry.add_source(&second);
    CHECK(registry.find("ASIAONE")->account_id == "111122223333");
    CHECK(registry.find("ASIATWO")->account_id == "999999999999");
}
