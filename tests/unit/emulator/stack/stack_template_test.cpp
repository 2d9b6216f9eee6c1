#include "emulator/stack/stack_template.hpp"

#include <catch2/catch.hpp>

using awsemu::stack::expand;
using awsemu::stack::StackError;
using nlohmann::json;

namespace {

const json kDb = json::parse(R"({"Endpoint": {"Port": 5432}, "Subnets": ["a", "b"]})");
const json kStack = json::parse(R"({"account": "000000000000"})");

const json* roots(std::string_view name) {
    if (name == "db") {
        return &kDb;
    }
    return name == "stack" ? &kStack : nullptr;
}

std::string failure(const json& value) {
    try {
        expand(value, roots);
    } catch (const StackError& error) {
        return error.what();
    }
    FAIL("expected a StackError");
    return "";
}

}  // namespace

TEST_CASE("Template whole-string references keep the value's type", "[stack][unit]") {
    CHECK(expand("${db.Endpoint.Port}", roots) == 5432);
    CHECK(expand("${db.Subnets}", roots) == json::array({"a", "b"}));
    CHECK(expand("${db}", roots) == kDb);
}

TEST_CASE("Template references in text are spliced in as text; |text makes a whole one text",
          "[stack][unit]") {
    CHECK(expand("postgres://h:${db.Endpoint.Port}/app", roots) == "postgres://h:5432/app");
    CHECK(expand("${db.Endpoint.Port|text}", roots) == "5432");
    CHECK(expand("s3://b-${stack.account}-${db.Endpoint.Port}", roots) ==
          "s3://b-000000000000-5432");
    CHECK(expand("no references", roots) == "no references");
    CHECK(expand("${db.Endpoint.Port}/users/{id}", roots) == "5432/users/{id}");
}

TEST_CASE("Template expands inside objects and arrays and leaves other values", "[stack][unit]") {
    const json input = json::parse(R"({"Port": "${db.Endpoint.Port}", "n": 3, "ok": true,
        "list": ["${db.Subnets.1}", {"deep": "x-${stack.account}"}]})");
    CHECK(expand(input, roots) == json::parse(R"({"Port": 5432, "n": 3, "ok": true,
        "list": ["b", {"deep": "x-000000000000"}]})"));
}

TEST_CASE("Template says which reference reaches nothing", "[stack][unit]") {
    CHECK(failure("${vpc.Vpc.VpcId}") == "${vpc.Vpc.VpcId}: nothing named 'vpc' comes before it");
    CHECK(failure("x-${db.Endpoint.Address}") ==
          "${db.Endpoint.Address} reaches nothing in what 'db' answered");
    CHECK(failure("${db.Subnets.[a}") == "${db.Subnets.[a}: unclosed '[' in path 'Subnets.[a'");
    CHECK(failure("open ${db.Endpoint") == "unclosed '${' in \"open ${db.Endpoint\"");
}
