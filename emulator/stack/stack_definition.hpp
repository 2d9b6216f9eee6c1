#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

// A stack file: the resources of an architecture as the AWS calls that make them, in order, and
// the waits for what takes time (a database to be available, a service to be stable). `awsemu
// up` runs one (fixtures/web-demo/stack.json is the default). Its shape:
//
//   {"name": "web-demo", "description": "...", "region": "us-east-1",
//    "steps": [
//      {"id": "vpc", "call": "ec2:CreateVpc", "input": {"CidrBlock": "10.0.0.0/16"}},
//      {"id": "assets", "request": "s3:PUT /demo-assets-${stack.account}"},
//      {"id": "db_up", "wait": "rds:DescribeDBInstances", "input": {...},
//       "until": {"DBInstances.0.DBInstanceStatus": "available"}, "timeout_seconds": 600},
//      ...],
//    "outputs": [{"name": "Load balancer", "value": "${status.load_balancers...url}"}]}
//
// A call's input is the operation's input as the service model names it (the JSON an SDK would
// send, whatever the service's wire protocol). A request is a raw HTTP request for services
// whose operations are HTTP requests (S3), with optional "headers" and "body". A wait repeats
// its call until every "until" path holds its value ("*" in a path: for every element), then
// fails unless every "expect" path holds too; it fails at once when a "fail_if" path holds its
// value (for any element); "once": true makes a wait that held count as done on this state
// directory, like a call (a one-shot task's exit). Any step's "hint" is said when it fails
// (where to look for why). A condition's path ending in "|count" compares
// the number of values it reaches ("TargetHealthDescriptions.[TargetHealth.State=healthy]|count":
// 2). Any string may refer to earlier results (stack_template.hpp).
namespace awsemu::stack {

struct Condition {
    std::string path;
    nlohmann::json value;  // may hold references
};

struct Step {
    enum class Kind { Call, Request, Wait };
    std::string id;
    Kind kind = Kind::Call;
    std::string service;                              // "ecs"
    std::string operation;                            // "CreateService"; for a request, its method
    std::string target;                               // a request's "/path?query"
    nlohmann::json input = nlohmann::json::object();  // a request's "headers" and "body"
    std::vector<Condition> until;
    std::vector<Condition> expect;
    std::vector<Condition> fail_if;  // a wait gives up at once when any of these holds
    std::chrono::seconds timeout{300};
    bool once = false;  // a wait that, once it held, is not asked again on this state directory
    std::string hint;   // said when the step fails: where to look, what to do
};

struct Output {
    std::string name;
    nlohmann::json value;
};

struct StackDefinition {
    std::string name;
    std::string description;
    std::string region = "us-east-1";
    std::vector<Step> steps;
    std::vector<Output> outputs;
    std::string directory;  // where the file is: "${stack.dir}"
    std::string digest;     // of the file's text: a state directory knows what it applied
};

// Throws StackError (stack_template.hpp) naming `source` and what is wrong.
StackDefinition parse_stack(std::string_view text, const std::string& source);
StackDefinition load_stack(const std::string& path);

}  // namespace awsemu::stack
