#include "services/secretsmanager/random_password.hpp"

#include <algorithm>
#include <set>

#include <catch2/catch.hpp>

#include "emulator/protocol/aws_error.hpp"

using namespace awsemu;
using namespace awsemu::secretsmanager;

namespace {

bool any_of(const std::string& text, int (*predicate)(int)) {
    return std::any_of(text.begin(), text.end(),
                       [&](char c) { return predicate(static_cast<unsigned char>(c)) != 0; });
}

bool has_punctuation(const std::string& text) {
    return std::any_of(text.begin(), text.end(), [](char c) {
        return kPasswordPunctuation.find(c) != std::string_view::npos;
    });
}

std::string error_code(const PasswordOptions& options) {
    try {
        generate_random_password(options);
    } catch (const AwsError& e) {
        return std::string(e.spec().code) + ": " + e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("Unit behaviour: random passwords default to 32 characters of every type",
          "[secretsmanager][unit]") {
    for (int i = 0; i < 50; ++i) {
        const std::string password = generate_random_password({});
        REQUIRE(password.size() == 32);
        CHECK(any_of(password, islower));
        CHECK(any_of(password, isupper));
        CHECK(any_of(password, isdigit));
        CHECK(has_punctuation(password));
        CHECK(password.find(' ') == std::string::npos);
    }
}

TEST_CASE("Unit behaviour: random password options exclude and include characters",
          "[secretsmanager][unit]") {
    PasswordOptions options;
    options.length = 200;
    options.exclude_punctuation = true;
    options.exclude_uppercase = true;
    std::string password = generate_random_password(options);
    CHECK(password.size() == 200);
    CHECK_FALSE(has_punctuation(password));
    CHECK_FALSE(any_of(password, isupper));
    CHECK(any_of(password, islower));
    CHECK(any_of(password, isdigit));

    PasswordOptions digits_only;
    digits_only.length = 4096;
    digits_only.exclude_lowercase = true;
    digits_only.exclude_uppercase = true;
    digits_only.exclude_punctuation = true;
    digits_only.exclude_characters = "0123";
    password = generate_random_password(digits_only);
    CHECK(password.size() == 4096);
    CHECK(
        std::all_of(password.begin(), password.end(), [](char c) { return c >= '4' && c <= '9'; }));

    PasswordOptions spaces;
    // Spaces are one character of 95 and not required: 500 characters missed one in 1 run of
    // 200 ((94/95)^500); 4,096, the most AWS allows, miss one in 10^18.
    spaces.length = 4096;
    spaces.include_space = true;
    CHECK(generate_random_password(spaces).find(' ') != std::string::npos);

    PasswordOptions excluded;
    excluded.length = 300;
    excluded.exclude_characters = "/@\"'\\";
    password = generate_random_password(excluded);
    CHECK(password.size() == 300);
    CHECK(password.find_first_of("/@\"'\\") == std::string::npos);
}

TEST_CASE("Unit behaviour: random passwords need room for each required type",
          "[secretsmanager][unit]") {
    PasswordOptions short_one;
    short_one.length = 3;
    CHECK(error_code(short_one) ==
          "InvalidParameterException: Password length is too short based on the required types.");
    short_one.require_each_included_type = false;
    CHECK(generate_random_password(short_one).size() == 3);

    PasswordOptions one;
    one.length = 1;
    one.exclude_lowercase = one.exclude_uppercase = one.exclude_punctuation = true;
    CHECK(generate_random_password(one).size() == 1);

    PasswordOptions nothing;
    nothing.exclude_lowercase = nothing.exclude_uppercase = nothing.exclude_numbers =
        nothing.exclude_punctuation = true;
    CHECK(error_code(nothing).starts_with("InvalidParameterException"));
}

TEST_CASE("Unit behaviour: random passwords are not repeated", "[secretsmanager][unit]") {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        seen.insert(generate_random_password({}));
    }
    CHECK(seen.size() == 200);
}
