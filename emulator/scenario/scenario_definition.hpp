#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

// A chaos scenario (scenarios/*.json): a stack to bring up, load to drive at it, faults to
// inject at given moments, and what must hold of the load's outcome. `awsemu scenario FILE`
// runs one and says whether it held.
//
//   {"name": "zone-loss", "description": "...", "stack": "../fixtures/web-demo/stack.json",
//    "load": {"method": "POST", "url": "${status.load_balancers...url}/api/visits",
//             "requests_per_second": 20},
//    "duration_seconds": 30,
//    "faults": [{"at_seconds": 5, "lose_zone": "us-east-1a"},
//               {"at_seconds": 20, "restore_zone": "us-east-1a"}],
//
// A fault may also add a fault to the AWS API ({"at_seconds": 5, "add_fault": {"service":
// "sns", "operation": "Publish", "error": "ThrottlingException", "probability": 0.2}}, as
// POST /_awsemu/chaos/faults takes it) or remove them all ({"at_seconds": 15,
// "clear_faults": true}).
//    "expect": {"max_error_rate": 0.1, "max_outage_seconds": 5}}
//
// The load's URL may refer to the stack's results (stack_template.hpp). A request fails when
// it gets no answer or a status of 500 or more; an outage runs from the first failed request of
// a run to the next request that succeeded (load_report.hpp). Seconds are awsemu's clock's
// (--time-scale applies), counted from the moment the stack is ready.
namespace awsemu::scenario {

struct Fault {
    std::chrono::milliseconds at{0};
    std::string action;  // "lose_zone", "restore_zone", "add_fault", "clear_faults"
    std::string zone;
    nlohmann::json api_fault;  // add_fault's, checked
};

// Unset ones are not judged.
struct Expectations {
    std::optional<double> max_error_rate;
    std::optional<double> max_outage_seconds;
};

struct ScenarioDefinition {
    std::string name;
    std::string description;
    std::string stack_file;  // absolute, or relative to the working directory
    std::string method = "GET";
    nlohmann::json url;  // may hold references
    double requests_per_second = 10;
    std::chrono::milliseconds duration{30'000};
    std::vector<Fault> faults;  // in time order
    Expectations expect;
};

// Throws stack::StackError naming `source` and what is wrong.
ScenarioDefinition parse_scenario(std::string_view text, const std::string& source,
                                  const std::string& directory);
ScenarioDefinition load_scenario(const std::string& path);

// How many requests the load sends: its rate over its duration, at least one.
std::size_t request_count(const ScenarioDefinition& scenario);

}  // namespace awsemu::scenario
