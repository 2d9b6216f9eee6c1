#include "emulator/auth/crypto.hpp"

#include "emulator/auth/md5_lanes.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace awsemu::auth;

TEST_CASE("Crypto sha256_hex matches the FIPS 180-2 vectors", "[auth][unit]") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("Crypto hmac_sha256 matches RFC 4231 test case 2", "[auth][unit]") {
    const std::string mac = hmac_sha256("Jefe", "what do ya want for nothing?");
    CHECK(mac.size() == 32);
    CHECK(hex_encode(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("Crypto md5_hex matches RFC 1321's vectors, on every instruction set", "[auth][unit]") {
    const auto path = GENERATE(Md5Instructions::fastest, Md5Instructions::without_avx512,
                               Md5Instructions::portable);
    md5_use_for_tests(path);
    CHECK(md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
    CHECK(md5_hex("abc") == "900150983cd24fb0d6963f7d28e17f72");
    CHECK(md5_hex(
              "12345678901234567890123456789012345678901234567890123456789012345678901234567890") ==
          "57edf4a22be3c955ac49da2e2107b67a");
    md5_use_for_tests(Md5Instructions::fastest);
}

TEST_CASE("Crypto hex_encode is lower-case, two characters a byte", "[auth][unit]") {
    CHECK(hex_encode(std::string("\x00\x0f\xab\xff", 4)) == "000fabff");
    CHECK(hex_encode("").empty());
}

TEST_CASE("Crypto base64 matches RFC 4648 and round-trips", "[auth][unit]") {
    const std::pair<std::string, std::string> vectors[] = {
        {"", ""},
        {"f", "Zg=="},
        {"fo", "Zm8="},
        {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="},
        {"fooba", "Zm9vYmE="},
        {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, encoded] : vectors) {
        INFO(plain);
        CHECK(base64_encode(plain) == encoded);
        CHECK(base64_decode(encoded) == plain);
    }
    std::string all_bytes;
    for (int i = 0; i < 256; ++i) {
        all_bytes.push_back(static_cast<char>(i));
    }
    CHECK(base64_decode(base64_encode(all_bytes)) == all_bytes);
}

TEST_CASE("Crypto base64_decode rejects invalid input", "[auth][unit]") {
    for (const char* bad : {"Zg", "Zg=", "Zm9vY", "Z===", "====", "=Zm9", "Zm=v",
                            "Zg==Zm8=", "Zm9v\n", "Zm 9v", "Zm9v!A==", "Zm9-", "Zm9_"}) {
        INFO(bad);
        CHECK_FALSE(base64_decode(bad).has_value());
    }
}

TEST_CASE("Crypto random_bytes returns fresh bytes of the length asked", "[auth][unit]") {
    CHECK(random_bytes(0).empty());
    const std::string a = random_bytes(32);
    const std::string b = random_bytes(32);
    CHECK(a.size() == 32);
    CHECK(a != b);
}

TEST_CASE("Crypto constant_time_equals compares content and length", "[auth][unit]") {
    CHECK(constant_time_equals("abc", "abc"));
    CHECK(constant_time_equals("", ""));
    CHECK_FALSE(constant_time_equals("abc", "abd"));
    CHECK_FALSE(constant_time_equals("abc", "abcd"));
}

TEST_CASE("Crypto uuid_v4 formats 16 bytes with version and variant bits", "[auth][unit]") {
    const std::string ones(16, '\xff');
    CHECK(awsemu::auth::uuid_v4(ones) == "ffffffff-ffff-4fff-bfff-ffffffffffff");
    const std::string zeros(16, '\0');
    CHECK(awsemu::auth::uuid_v4(zeros) == "00000000-0000-4000-8000-000000000000");
}
