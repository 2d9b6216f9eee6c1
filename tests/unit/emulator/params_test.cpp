#include "emulator/params.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/aws_error_capture.hpp"

#include <string>

using namespace awsemu;
using nlohmann::json;

namespace {

constexpr ErrorSpec kValidationError{"ValidationError", 400};

using testing::thrown_aws_error;

Params params(json value) {
    return Params(std::move(value), ParamErrors{});
}

}  // namespace

TEST_CASE("Params of null is an empty structure", "[params][unit]") {
    const auto p = params(nullptr);
    CHECK(p.json() == json::object());
    CHECK_FALSE(p.has("Name"));
}

TEST_CASE("Params refuses input that is not a structure", "[params][unit]") {
    for (const json& value : {json::array({1}), json("text"), json(5)}) {
        INFO(value.dump());
        const auto error = thrown_aws_error([&] { params(value); });
        CHECK(error.spec().code == "SerializationException");
        CHECK(error.spec().http_status == 400);
    }
}

TEST_CASE("Params required_string answers the member", "[params][unit]") {
    CHECK(params({{"SecretId", "db"}}).required_string("SecretId") == "db");
    CHECK(params({{"SecretId", ""}}).required_string("SecretId").empty());
}

TEST_CASE("Params required_string of a missing or null member is AWS's validation error",
          "[params][unit]") {
    for (const json& value : {json::object(), json{{"SecretId", nullptr}}}) {
        INFO(value.dump());
        const auto error = thrown_aws_error([&] { params(value).required_string("SecretId"); });
        CHECK(error.spec().code == "ValidationException");
        CHECK(error.spec().http_status == 400);
        CHECK(std::string(error.what()) ==
              "1 validation error detected: Value null at 'secretId' failed to satisfy constraint: "
              "Member must not be null");
    }
}

TEST_CASE("Params reports a member of the wrong type as SerializationException", "[params][unit]") {
    const auto p = params(
        {{"Name", 5}, {"Count", "5"}, {"Flag", "true"}, {"List", "x"}, {"Obj", json::array()}});
    const auto name = thrown_aws_error([&] { p.required_string("Name"); });
    CHECK(name.spec().code == "SerializationException");
    CHECK(std::string(name.what()) == "Invalid type for parameter Name, expected a string.");
    CHECK(std::string(thrown_aws_error([&] { p.optional_int("Count"); }).what()) ==
          "Invalid type for parameter Count, expected an integer.");
    CHECK(std::string(thrown_aws_error([&] { p.optional_bool("Flag"); }).what()) ==
          "Invalid type for parameter Flag, expected a boolean.");
    CHECK(std::string(thrown_aws_error([&] { p.optional_array("List"); }).what()) ==
          "Invalid type for parameter List, expected a list.");
    CHECK(std::string(thrown_aws_error([&] { p.optional_object("Obj"); }).what()) ==
          "Invalid type for parameter Obj, expected a structure.");
}

TEST_CASE("Params optional getters answer nullopt or nullptr when absent", "[params][unit]") {
    const auto p = params({{"Other", 1}, {"Null", nullptr}});
    CHECK_FALSE(p.optional_string("Name").has_value());
    CHECK_FALSE(p.optional_int("Count").has_value());
    CHECK_FALSE(p.optional_bool("Flag").has_value());
    CHECK(p.optional_array("List") == nullptr);
    CHECK(p.optional_object("Obj") == nullptr);
    CHECK_FALSE(p.optional_string("Null").has_value());
    CHECK_FALSE(p.has("Null"));
    CHECK(p.has("Other"));
}

TEST_CASE("Params optional getters answer present values", "[params][unit]") {
    const auto p = params({{"Name", "n"},
                           {"Count", -7},
                           {"Big", 9007199254740993LL},
                           {"Flag", false},
                           {"List", {1, 2}},
                           {"Obj", {{"k", "v"}}}});
    CHECK(p.optional_string("Name") == std::optional<std::string>("n"));
    CHECK(p.optional_int("Count") == std::optional<std::int64_t>(-7));
    CHECK(p.optional_int("Big") == std::optional<std::int64_t>(9007199254740993LL));
    CHECK(p.optional_bool("Flag") == std::optional<bool>(false));
    REQUIRE(p.optional_array("List") != nullptr);
    CHECK(*p.optional_array("List") == json{1, 2});
    REQUIRE(p.optional_object("Obj") != nullptr);
    CHECK((*p.optional_object("Obj"))["k"] == "v");
}

TEST_CASE("Params optional_int refuses numbers with a fraction", "[params][unit]") {
    const auto error = thrown_aws_error([&] { params({{"Count", 1.5}}).optional_int("Count"); });
    CHECK(error.spec().code == "SerializationException");
}

TEST_CASE("Params required_array answers the list or the missing-member error", "[params][unit]") {
    CHECK(params({{"Ids", {"a"}}}).required_array("Ids") == json::array({"a"}));
    const auto error = thrown_aws_error([&] { params(json::object()).required_array("Ids"); });
    CHECK(error.spec().code == "ValidationException");
    CHECK(std::string(error.what()).find("'ids'") != std::string::npos);
}

TEST_CASE("Params uses the service's own error codes", "[params][unit]") {
    const Params p(json{{"Name", 1}}, ParamErrors{kValidationError, kValidationError});
    CHECK(thrown_aws_error([&] { p.required_string("RoleArn"); }).spec().code == "ValidationError");
    CHECK(thrown_aws_error([&] { p.required_string("Name"); }).spec().code == "ValidationError");
    CHECK(thrown_aws_error([&] {
              Params(json::array(), ParamErrors{kValidationError, kValidationError});
          })
              .spec()
              .code == "ValidationError");
}

TEST_CASE("Params reads maps and lists of strings, empty when absent", "[params][unit]") {
    const Params params(json{{"Attributes", {{"a", "1"}, {"b", "2"}}},
                             {"Names", {"x", "y"}},
                             {"BadMap", {{"a", 1}}},
                             {"BadList", {"x", 2}}},
                        ParamErrors{});
    CHECK(params.string_map("Attributes") ==
          std::map<std::string, std::string>{{"a", "1"}, {"b", "2"}});
    CHECK(params.string_list("Names") == std::vector<std::string>{"x", "y"});
    CHECK(params.string_map("Missing").empty());
    CHECK(params.string_list("Missing").empty());
    const AwsError map_error = thrown_aws_error([&] { params.string_map("BadMap"); });
    CHECK(std::string(map_error.what()) ==
          "Invalid type for parameter BadMap.a, expected a string.");
    const AwsError list_error = thrown_aws_error([&] { params.string_list("BadList"); });
    CHECK(std::string(list_error.what()) ==
          "Invalid type for parameter BadList, expected a list of strings.");
}
