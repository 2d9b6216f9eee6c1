#include "emulator/http/request_head.hpp"

#include <catch2/catch.hpp>

#include <string>

using awsemu::HeadParse;
using awsemu::parse_simple_head;
using awsemu::SimpleRequestHead;

TEST_CASE("parse_simple_head reads an SDK's request head", "[http][unit]") {
    const std::string bytes =
        "POST /000000000000/q?Action=SendMessage&a=b%20c HTTP/1.1\r\n"
        "Host: localhost:4566\r\n"
        "X-Amz-Target:  AmazonSQS.SendMessage \t\r\n"
        "content-length: 11\r\n"
        "X-Empty:\r\n"
        "X-Amz-Meta-Two: 1\r\n"
        "X-Amz-Meta-Two: 2\r\n"
        "\r\n"
        "{\"a\":\"bcd\"}";
    SimpleRequestHead head;
    REQUIRE(parse_simple_head(bytes, head) == HeadParse::complete);
    CHECK(head.head_size == bytes.size() - 11);
    CHECK(head.content_length == 11);
    CHECK(head.keep_alive);
    CHECK_FALSE(head.expect_continue);
    CHECK(head.request.method == "POST");
    CHECK(head.request.target == "/000000000000/q?Action=SendMessage&a=b%20c");
    CHECK(head.request.path == "/000000000000/q");
    CHECK(head.request.query_param("a") == "b c");
    CHECK(head.request.headers.get("x-amz-target") == "AmazonSQS.SendMessage");  // trimmed
    CHECK(head.request.headers.get("Host") == "localhost:4566");
    CHECK(head.request.headers.contains("X-Empty"));
    CHECK(head.request.headers.entries().size() == 6);  // repeated names kept, in order
    CHECK(head.request.headers.entries()[4].second == "1");
    CHECK(head.request.headers.entries()[5].second == "2");
}

TEST_CASE("parse_simple_head: no body, Connection and Expect", "[http][unit]") {
    SimpleRequestHead get;
    REQUIRE(parse_simple_head("GET /b/k HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n", get) ==
            HeadParse::complete);
    CHECK(get.content_length == 0);
    CHECK_FALSE(get.keep_alive);

    SimpleRequestHead put;
    REQUIRE(parse_simple_head(
                "PUT /b/k HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 0\r\n\r\n", put) ==
            HeadParse::complete);
    CHECK(put.expect_continue);
    CHECK(put.keep_alive);
}

TEST_CASE("parse_simple_head waits for the blank line", "[http][unit]") {
    SimpleRequestHead head;
    CHECK(parse_simple_head("", head) == HeadParse::incomplete);
    CHECK(parse_simple_head("GET / HTTP/1.1\r\nHost: x\r\n", head) == HeadParse::incomplete);
    CHECK(parse_simple_head("GET / HTTP/1.1\r\nHost: x\r\n\r", head) == HeadParse::incomplete);
    // Searching on from where an earlier search stopped still finds an end that straddles it.
    const std::string whole = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    REQUIRE(parse_simple_head(whole, head, whole.size() - 4 - 3) == HeadParse::complete);
    CHECK(head.head_size == whole.size());
}

TEST_CASE("parse_simple_head heeds the first Expect header, as Beast's path does", "[http][unit]") {
    SimpleRequestHead head;
    REQUIRE(parse_simple_head("PUT /b/k HTTP/1.1\r\nExpect: 100-continue\r\nExpect: x\r\n\r\n",
                              head) == HeadParse::complete);
    CHECK(head.expect_continue);
}

TEST_CASE("parse_simple_head leaves everything unusual to Beast", "[http][unit]") {
    const char* heads[] = {
        "GET / HTTP/1.0\r\n\r\n",                                // another version
        "GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n",  // a chunked body
        "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 1 2\r\n\r\n",
        "GET / HTTP/1.1\r\nContent-Length: 1234567890123456789\r\n\r\n",  // 19 digits
        "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",                   // obs-fold
        "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
        "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
        "GET / HTTP/1.1\r\nX: caf\xc3\xa9\r\n\r\n",  // not ASCII
        "GET / HTTP/1.1\r\nX: a\x01z\r\n\r\n",
        "GET /caf\xc3\xa9 HTTP/1.1\r\n\r\n",
        "GET  / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1 \r\n\r\n",
        "G(T / HTTP/1.1\r\n\r\n",
        "\r\nGET / HTTP/1.1\r\n\r\n",
        "GET /\r\n\r\n",
    };
    for (const char* bytes : heads) {
        INFO(bytes);
        SimpleRequestHead head;
        CHECK(parse_simple_head(bytes, head) == HeadParse::not_simple);
    }
}
