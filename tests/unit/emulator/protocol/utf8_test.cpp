#include "emulator/protocol/utf8.hpp"

#include <catch2/catch.hpp>

#include <string>

using awsemu::next_code_point;
using awsemu::valid_utf8;

TEST_CASE("next_code_point decodes each length and stops at malformed bytes", "[protocol][unit]") {
    const std::string text = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";  // a, é, €, 😀
    std::size_t at = 0;
    CHECK(next_code_point(text, at) == 'a');
    CHECK(next_code_point(text, at) == 0xE9);
    CHECK(next_code_point(text, at) == 0x20AC);
    CHECK(next_code_point(text, at) == 0x1F600);
    CHECK(at == text.size());

    std::size_t stray = 0;
    CHECK(next_code_point("\x80z", stray) == -1);
    CHECK(stray == 1);  // one byte on, where decoding can go on
    std::size_t cut = 0;
    CHECK(next_code_point("\xe2\x82", cut) == -1);
    CHECK(cut == 1);
}

TEST_CASE("valid_utf8 takes well-formed text only", "[protocol][unit]") {
    CHECK(valid_utf8(""));
    CHECK(valid_utf8("plain/key with spaces+%"));
    CHECK(valid_utf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf"));  // up to U+10FFFF
    CHECK(valid_utf8(std::string("nul\0inside", 10)));

    CHECK_FALSE(valid_utf8("h\xff"));                 // never in UTF-8
    CHECK_FALSE(valid_utf8("a\xc3"));                 // cut short
    CHECK_FALSE(valid_utf8("\xc3("));                 // a lead without its continuation
    CHECK_FALSE(valid_utf8("\x80"));                  // a stray continuation
    CHECK_FALSE(valid_utf8("\xc0\xaf"));              // '/' overlong in two bytes
    CHECK_FALSE(valid_utf8("\xe0\x80\xaf"));          // ... and in three
    CHECK_FALSE(valid_utf8("\xf0\x80\x80\xaf"));      // ... and in four
    CHECK_FALSE(valid_utf8("\xed\xa0\x80"));          // a surrogate (U+D800)
    CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80"));      // above U+10FFFF
    CHECK_FALSE(valid_utf8("\xf8\x88\x80\x80\x80"));  // five bytes
}
