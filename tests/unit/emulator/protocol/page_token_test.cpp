#include "emulator/protocol/page_token.hpp"

#include <catch2/catch.hpp>

using namespace awsemu;

TEST_CASE("PageToken names the last key of the page before", "[protocol][unit]") {
    CHECK(decode_key_token(encode_key_token("queue-7")) == "queue-7");
    CHECK(decode_key_token(std::nullopt) == "");
    CHECK(decode_key_token(std::string()) == "");
    CHECK_FALSE(decode_key_token(std::string("not base64!")));
}
