#include "services/sns/filter_policy.hpp"

#include <catch2/catch.hpp>

#include "tests/unit/aws_error_capture.hpp"

using namespace awsemu;
using namespace awsemu::sns;
using awsemu::testing::thrown_aws_error;
using nlohmann::json;

namespace {

bool attributes_match(const std::string& policy, const json& message) {
    return FilterPolicy::parse(policy, FilterPolicyScope::MessageAttributes).matches(message);
}

bool body_matches(const std::string& policy, const json& message) {
    return FilterPolicy::parse(policy, FilterPolicyScope::MessageBody).matches(message);
}

std::string refusal(const std::string& policy,
                    FilterPolicyScope scope = FilterPolicyScope::MessageAttributes) {
    const AwsError error = thrown_aws_error([&] { FilterPolicy::parse(policy, scope); });
    CHECK(error.spec().code == "InvalidParameter");
    return error.what();
}

}  // namespace

TEST_CASE("SNS filter policies: exact strings, numbers, booleans and null", "[sns][unit]") {
    CHECK(attributes_match(R"({"color": ["red", "blue"]})", {{"color", "blue"}}));
    CHECK_FALSE(attributes_match(R"({"color": ["red"]})", {{"color", "Red"}}));
    CHECK_FALSE(attributes_match(R"({"color": ["red"]})", json::object()));
    CHECK(attributes_match(R"({"n": [5]})", {{"n", 5.0}}));
    CHECK(attributes_match(R"({"n": [5]})", {{"n", 5.000001}}));   // five decimal places
    CHECK_FALSE(attributes_match(R"({"n": [5]})", {{"n", "5"}}));  // a String is not a number
    CHECK(body_matches(R"({"ok": [true], "gone": [null]})", {{"ok", true}, {"gone", nullptr}}));
    // Every key must match.
    CHECK_FALSE(attributes_match(R"({"a": ["x"], "b": ["y"]})", {{"a", "x"}, {"b", "z"}}));
    // An array value (String.Array) matches when one element does.
    CHECK(attributes_match(R"({"tags": ["b"]})", {{"tags", {"a", "b"}}}));
    CHECK_FALSE(attributes_match(R"({"a": ["x"]})", "not an object"));
}

TEST_CASE("SNS filter policies: prefix, suffix, equals-ignore-case, cidr", "[sns][unit]") {
    CHECK(attributes_match(R"({"k": [{"prefix": "ord"}]})", {{"k", "order"}}));
    CHECK_FALSE(attributes_match(R"({"k": [{"prefix": "ord"}]})", {{"k", "word"}}));
    CHECK(attributes_match(R"({"k": [{"suffix": ".png"}]})", {{"k", "a.png"}}));
    CHECK_FALSE(attributes_match(R"({"k": [{"suffix": ".png"}]})", {{"k", "a.jpg"}}));
    CHECK(attributes_match(R"({"k": [{"equals-ignore-case": "ReD"}]})", {{"k", "rEd"}}));
    CHECK(attributes_match(R"({"ip": [{"cidr": "10.0.0.0/8"}]})", {{"ip", "10.200.1.1"}}));
    CHECK_FALSE(attributes_match(R"({"ip": [{"cidr": "10.0.0.0/8"}]})", {{"ip", "11.0.0.1"}}));
    CHECK(attributes_match(R"({"ip": [{"cidr": "2001:db8::/32"}]})", {{"ip", "2001:db8::1"}}));
    CHECK_FALSE(attributes_match(R"({"ip": [{"cidr": "10.0.0.0/8"}]})", {{"ip", "nonsense"}}));
}

TEST_CASE("SNS filter policies: anything-but with values, lists and a prefix", "[sns][unit]") {
    CHECK(attributes_match(R"({"k": [{"anything-but": "red"}]})", {{"k", "blue"}}));
    CHECK_FALSE(attributes_match(R"({"k": [{"anything-but": "red"}]})", {{"k", "red"}}));
    CHECK_FALSE(attributes_match(R"({"k": [{"anything-but": ["a", "b"]}]})", {{"k", "b"}}));
    CHECK(attributes_match(R"({"k": [{"anything-but": [1, 2]}]})", {{"k", 3.0}}));
    CHECK_FALSE(attributes_match(R"({"k": [{"anything-but": {"prefix": "x"}}]})", {{"k", "xy"}}));
    CHECK(attributes_match(R"({"k": [{"anything-but": {"prefix": "x"}}]})", {{"k", "yx"}}));
    // Anything but needs the attribute to be there.
    CHECK_FALSE(attributes_match(R"({"k": [{"anything-but": "red"}]})", json::object()));
}

TEST_CASE("SNS filter policies: numeric ranges and exists", "[sns][unit]") {
    const std::string range = R"({"n": [{"numeric": [">", 0, "<=", 100]}]})";
    CHECK(attributes_match(range, {{"n", 100.0}}));
    CHECK_FALSE(attributes_match(range, {{"n", 0.0}}));
    CHECK_FALSE(attributes_match(range, {{"n", "50"}}));
    CHECK(attributes_match(R"({"n": [{"numeric": ["=", 3.5]}]})", {{"n", 3.5}}));
    CHECK(attributes_match(R"({"n": [{"numeric": ["<", -1]}]})", {{"n", -2.0}}));
    CHECK(attributes_match(R"({"k": [{"exists": true}]})", {{"k", "x"}}));
    CHECK_FALSE(attributes_match(R"({"k": [{"exists": true}]})", json::object()));
    CHECK(attributes_match(R"({"k": [{"exists": false}]})", json::object()));
    CHECK_FALSE(attributes_match(R"({"k": [{"exists": false}]})", {{"k", "x"}}));
}

TEST_CASE("SNS filter policies: $or and nested message-body policies", "[sns][unit]") {
    const std::string either = R"({"a": ["1"], "$or": [{"b": ["2"]}, {"c": ["3"]}]})";
    CHECK(attributes_match(either, {{"a", "1"}, {"c", "3"}}));
    CHECK_FALSE(attributes_match(either, {{"a", "1"}, {"c", "4"}}));
    CHECK_FALSE(attributes_match(either, {{"a", "0"}, {"b", "2"}}));
    const std::string nested = R"({"order": {"total": [{"numeric": [">", 10]}]}})";
    CHECK(body_matches(nested, {{"order", {{"total", 11}}}}));
    CHECK_FALSE(body_matches(nested, {{"order", {{"total", 9}}}}));
    CHECK_FALSE(body_matches(nested, {{"order", "flat"}}));
    // An array of objects matches when one object does.
    CHECK(body_matches(R"({"items": {"sku": ["b"]}})",
                       {{"items", json::array({{{"sku", "a"}}, {{"sku", "b"}}})}}));
}

TEST_CASE("SNS filter policies are refused with AWS's messages", "[sns][unit]") {
    CHECK(refusal("{") == "Invalid parameter: FilterPolicy: failed to parse JSON.");
    CHECK(refusal(R"({"a": []})") ==
          "Invalid parameter: FilterPolicy: Empty arrays are not allowed");
    CHECK(refusal(R"({"a": [{"nope": 1}]})") ==
          "Invalid parameter: FilterPolicy: Unrecognized match type nope");
    CHECK(refusal(R"({"a": [{"prefix": "x", "suffix": "y"}]})") ==
          "Invalid parameter: FilterPolicy: Only one key allowed in match expression");
    CHECK(refusal(R"({"a": [{"numeric": [">", 1e10]}]})") ==
          "Invalid parameter: FilterPolicy: Value of > must be between -1.0E9 and 1.0E9 "
          "(inclusive)");
    CHECK(refusal(R"({"a": [{"numeric": [">", 1, ">", 2]}]})") ==
          "Invalid parameter: FilterPolicy: Bad numeric range operator: >");
    CHECK(refusal(R"({"a": [{"numeric": ["<>", 1]}]})") ==
          "Invalid parameter: FilterPolicy: Unrecognized numeric range operator: <>");
    CHECK(refusal(R"({"a": [{"anything-but": [true]}]})") ==
          "Invalid parameter: FilterPolicy: Inside anything but list, start|null|boolean is not "
          "supported.");
    CHECK(refusal(R"({"a": [{"anything-but": {"prefix": 1}}]})") ==
          "Invalid parameter: FilterPolicy: prefix match pattern must be a string");
    CHECK(refusal(R"({"a": [{"cidr": "10.0.0.0/33"}]})") ==
          "Invalid parameter: FilterPolicy: Malformed CIDR, mask bits must be an integer");
    CHECK(refusal(R"({"a": "x"})") ==
          "Invalid parameter: FilterPolicy: \"a\" must be an object "
          "or an array");
    CHECK(refusal(R"({"$or": [{"a": ["x"]}]})") ==
          "Invalid parameter: FilterPolicy: $or must be an array of at least two objects");
    CHECK(refusal(R"({"a": ["1"], "b": ["1"], "c": ["1"], "d": ["1"], "e": ["1"], "f": ["1"]})") ==
          "Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys");
    json wide = json::object();
    wide["a"] = json::array();
    wide["b"] = json::array();
    for (int i = 0; i < 13; ++i) {
        wide["a"].push_back(i);
        wide["b"].push_back(i);
    }
    CHECK(refusal(wide.dump()) == "Invalid parameter: FilterPolicy: Filter policy is too complex");
    // Nesting is for the message body only.
    CHECK(refusal(R"({"a": {"b": ["x"]}})") ==
          "Invalid parameter: Filter policy scope MessageAttributes does not support nested "
          "filter policy");
    CHECK_NOTHROW(FilterPolicy::parse(R"({"a": {"b": ["x"]}})", FilterPolicyScope::MessageBody));
}

TEST_CASE("SNS filter policies: anything-but takes values or a prefix, nothing else",
          "[sns][unit]") {
    for (const std::string op : {"suffix", "equals-ignore-case", "exists", "wildcard"}) {
        CHECK(refusal(R"({"a": [{"anything-but": {")" + op + R"(": "x"}}]})") ==
              "Invalid parameter: FilterPolicy: Unsupported anything-but pattern: " + op);
    }
}

TEST_CASE("SNS filter policies: numeric expressions are refused as AWS's parser refuses them",
          "[sns][unit]") {
    const auto numeric = [](const std::string& range) {
        return refusal(R"({"a": [{"numeric": )" + range + "}]}");
    };
    const std::string prefix = "Invalid parameter: FilterPolicy: ";
    CHECK(numeric("[]") == prefix + "Invalid member in numeric match: ]");
    CHECK(numeric(R"([1, "<="])") == prefix + "Invalid member in numeric match: 1");
    CHECK(numeric(R"([{}, 1])") == prefix + "Invalid member in numeric match: {");
    CHECK(numeric(R"("x")") == prefix + "Value of numeric must be an array.");
    CHECK(numeric(R"([">="])") == prefix + "Value of >= must be numeric");
    CHECK(numeric(R"(["=", "5"])") == prefix + "Value of equals must be numeric");
    CHECK(numeric(R"(["<", 5, ">", 1])") == prefix + "Too many elements in numeric expression");
    CHECK(numeric(R"(["=", 5, "<", 9])") == prefix + "Too many elements in numeric expression");
    CHECK(numeric(R"([">", 20, 30])") == prefix + "Bad value in numeric range: 30");
    CHECK(numeric(R"([">", 20, "<="])") == prefix + "Value of <= must be numeric");
    CHECK(numeric(R"([">", 3, "<", 1])") == prefix + "Bottom must be less than top");
    CHECK(numeric(R"([">", 20, "<", 30, "<", 50])") ==
          prefix + "Too many terms in numeric range expression");
}

TEST_CASE("SNS filter policies: combinations count as AWS documents them", "[sns][unit]") {
    const auto body = [](const std::string& policy) {
        return FilterPolicy::parse(policy, FilterPolicyScope::MessageBody);
    };
    // AWS's example: a 4-value array under three keys, a 3-value array under two: 3x4x2x3 = 72.
    CHECK_NOTHROW(
        body(R"({"key_a": {"key_b": {"key_c": [1, 2, 3, 4]}}, "key_d": {"key_e": [1, 2, 3]}})"));
    // 51 values are 51 combinations at the top and 153 under three keys.
    json values = json::array();
    for (int i = 0; i < 51; ++i) {
        values.push_back(i);
    }
    CHECK_NOTHROW(body(json{{"a", values}}.dump()));
    CHECK(refusal(json{{"a", {{"b", {{"c", values}}}}}}.dump(), FilterPolicyScope::MessageBody) ==
          "Invalid parameter: FilterPolicy: Filter policy is too complex");
    // Only top-level keys count toward the five.
    CHECK_NOTHROW(body(R"({"a": ["1"], "b": ["1"], "c": ["1"], "d": ["1"],
                           "e": {"f": ["1"], "g": ["1"], "h": ["1"]}})"));
}

TEST_CASE("SNS filter policies are refused with the caller's prefix", "[sns][unit]") {
    const AwsError error = thrown_aws_error([] {
        FilterPolicy::parse(R"({"a": []})", FilterPolicyScope::MessageAttributes,
                            "Attributes Reason: ");
    });
    CHECK(std::string(error.what()) ==
          "Invalid parameter: Attributes Reason: FilterPolicy: Empty arrays are not allowed");
}

TEST_CASE("SNS message attributes as filters see them", "[sns][unit]") {
    CHECK(filterable_value("String", "x") == json("x"));
    CHECK(filterable_value("Number", "2.5") == json(2.5));
    CHECK(filterable_value("String.Array", R"(["a", 1])") == json::array({"a", 1}));
    CHECK_FALSE(filterable_value("Binary", "bytes").has_value());
    CHECK_FALSE(filterable_value("Number", "abc").has_value());
    CHECK(filterable_value("Number", "-0.5e3") == json(-500.0));
    // JSON numbers only: no spaces, signs, bare points, hex, infinities or NaN.
    for (const char* text :
         {" 5", "5 ", "+5", ".5", "5.", "05", "0x1p3", "inf", "nan", "1e400", ""}) {
        CHECK_FALSE(filterable_value("Number", text).has_value());
    }
}
