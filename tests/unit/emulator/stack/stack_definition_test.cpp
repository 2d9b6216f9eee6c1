#include "emulator/stack/stack_definition.hpp"

#include <catch2/catch.hpp>

#include "emulator/stack/stack_template.hpp"

using awsemu::stack::parse_stack;
using awsemu::stack::StackError;
using awsemu::stack::Step;

namespace {

std::string failure(const std::string& text) {
    try {
        parse_stack(text, "stack.json");
    } catch (const StackError& error) {
        return error.what();
    }
    FAIL("expected a StackError for " << text);
    return "";
}

std::string with_steps(const std::string& steps) {
    return R"({"name": "s", "steps": )" + steps + "}";
}

}  // namespace

TEST_CASE("Stack file parses calls, requests and waits in order", "[stack][unit]") {
    const auto stack = parse_stack(R"({
      "name": "web", "description": "d", "region": "eu-west-1",
      "steps": [
        {"id": "q", "call": "sqs:CreateQueue", "input": {"QueueName": "q"}},
        {"id": "b", "request": "s3:PUT /bucket?versioning", "body": "<x/>",
         "headers": {"Content-Type": "application/xml"}},
        {"id": "w", "wait": "rds:DescribeDBInstances", "input": {},
         "until": {"DBInstances.0.DBInstanceStatus": "available"},
         "expect": {"DBInstances.0.MultiAZ": true}, "fail_if": {"DBInstances.0.DBInstanceStatus": "failed"},
         "timeout_seconds": 60}],
      "outputs": [{"name": "Queue", "value": "${q.QueueUrl}"}]})",
                                   "stack.json");
    CHECK(stack.name == "web");
    CHECK(stack.description == "d");
    CHECK(stack.region == "eu-west-1");
    REQUIRE(stack.steps.size() == 3);
    CHECK(stack.steps[0].kind == Step::Kind::Call);
    CHECK(stack.steps[0].service == "sqs");
    CHECK(stack.steps[0].operation == "CreateQueue");
    CHECK(stack.steps[0].input == nlohmann::json{{"QueueName", "q"}});
    CHECK(stack.steps[1].kind == Step::Kind::Request);
    CHECK(stack.steps[1].service == "s3");
    CHECK(stack.steps[1].operation == "PUT");
    CHECK(stack.steps[1].target == "/bucket?versioning");
    CHECK(stack.steps[1].input.at("body") == "<x/>");
    CHECK(stack.steps[1].input.at("headers").at("Content-Type") == "application/xml");
    CHECK(stack.steps[2].kind == Step::Kind::Wait);
    REQUIRE(stack.steps[2].until.size() == 1);
    CHECK(stack.steps[2].until[0].path == "DBInstances.0.DBInstanceStatus");
    CHECK(stack.steps[2].until[0].value == "available");
    CHECK(stack.steps[2].expect[0].value == true);
    CHECK(stack.steps[2].fail_if[0].value == "failed");
    CHECK(stack.steps[2].timeout == std::chrono::seconds(60));
    REQUIRE(stack.outputs.size() == 1);
    CHECK(stack.outputs[0].name == "Queue");
    CHECK(stack.region != parse_stack(with_steps(R"([{"id": "a", "call": "s:O"}])"), "x").region);
}

TEST_CASE("Stack file digest changes with its text", "[stack][unit]") {
    const auto a = parse_stack(with_steps(R"([{"id": "a", "call": "s:O"}])"), "x");
    const auto b = parse_stack(with_steps(R"([{"id": "a", "call": "s:P"}])"), "x");
    CHECK(a.digest.size() == 64);
    CHECK(a.digest != b.digest);
    CHECK(a.digest == parse_stack(with_steps(R"([{"id": "a", "call": "s:O"}])"), "x").digest);
}

TEST_CASE("Stack file errors name the file, the step and what is wrong", "[stack][unit]") {
    CHECK(failure("{").starts_with("stack.json is not JSON: "));
    CHECK(failure("[]") == "stack.json must hold a JSON object");
    CHECK(failure(R"({"steps": []})") == "stack.json: \"name\" must be a non-empty string");
    CHECK(failure(R"({"name": "s", "steps": []})") ==
          "stack.json: \"steps\" must be a non-empty array");
    CHECK(failure(with_steps(R"([{"call": "s:O"}])")) ==
          "stack.json: step 1: \"id\" must be a non-empty string");
    CHECK(failure(with_steps(R"([{"id": "a", "call": "s:O"}, {"id": "a", "call": "s:O"}])")) ==
          "stack.json: step 2 (a): the id is taken (ids are unique; stack and status are "
          "reserved)");
    CHECK(failure(with_steps(R"([{"id": "status", "call": "s:O"}])"))
              .ends_with("the id is taken (ids are unique; stack and status are reserved)"));
    CHECK(failure(with_steps(R"([{"id": "a", "call": "s:O", "wait": "s:O"}])")) ==
          "stack.json: step 1 (a): needs exactly one of \"call\", \"request\" and \"wait\"");
    CHECK(failure(with_steps(R"([{"id": "a", "call": "sqsCreateQueue"}])")) ==
          "stack.json: step 1 (a): \"sqsCreateQueue\" should read service:Operation");
    CHECK(failure(with_steps(R"([{"id": "a", "request": "s3:PUT bucket"}])")) ==
          "stack.json: step 1 (a): \"s3:PUT bucket\" should read service:METHOD /path");
    CHECK(failure(with_steps(R"([{"id": "a", "wait": "s:O"}])")) ==
          "stack.json: step 1 (a): a wait needs \"until\"");
    CHECK(failure(with_steps(R"([{"id": "a", "wait": "s:O", "until": {"x": 1},
                                   "timeout_seconds": 0}])")) ==
          "stack.json: step 1 (a): \"timeout_seconds\" must be a positive integer");
    CHECK(failure(with_steps(R"([{"id": "a", "wait": "s:O", "until": {"x.[y": 1}}])")) ==
          "stack.json: step 1 (a): unclosed '[' in path 'x.[y'");
    CHECK(failure(with_steps(R"([{"id": "a", "call": "s:O", "input": []}])")) ==
          "stack.json: step 1 (a): \"input\" must be an object, for calls and waits");
    CHECK(failure(with_steps(R"([{"id": "a", "wait": "s:O", "until": {"a..b": 1}}])")) ==
          "stack.json: step 1 (a): empty step in path 'a..b'");
    CHECK(failure(with_steps(R"([{"id": "a", "wait": "s:O", "until": {"x.[y]": 1}}])")) ==
          "stack.json: step 1 (a): selector '[y]' needs the form [Key=value]");
    CHECK(failure(with_steps(R"([{"id": "a", "wait": "s:O", "until": {"x": 1}, "once": 1}])")) ==
          "stack.json: step 1 (a): \"once\" must be true or false");
    CHECK(failure(with_steps(R"([{"id": "a", "request": "s3:PUT /b", "body": {"x": 1}}])")) ==
          "stack.json: step 1 (a): \"body\" must be a string");
    CHECK(failure(with_steps(R"([{"id": "a", "request": "s3:PUT /b", "headers": []}])")) ==
          "stack.json: step 1 (a): \"headers\" must be an object of name: value");
    CHECK(failure(R"({"name": "s", "region": 5, "steps": [{"id": "a", "call": "s:O"}]})") ==
          "stack.json: \"region\" must be a non-empty string");
    CHECK(failure(with_steps(R"([{"id": "a", "call": "s:O"}], "outputs": [{"name": "x"}])")) ==
          "stack.json: each output needs \"name\" and \"value\"");
}
