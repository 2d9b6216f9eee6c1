#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

// Paths into JSON values, as stack files write them: dot-separated steps, each a member name,
// an array index, "[Key=value]" for the elements of an array whose member Key (itself a path)
// is value (compared as text), or "*" for every element of an array. A reference reads the
// first value a path reaches; a condition, all of them.
//   DBInstances.0.Endpoint.Port
//   load_balancers.[name=demo-alb].listeners.[port=80].url
//   services.*.deployments.0.rolloutState
//   TargetHealthDescriptions.[TargetHealth.State=healthy]
namespace awsemu::stack {

// Every value the path reaches; empty when it reaches none. Throws std::invalid_argument for a
// path that cannot be read ("a.[b").
std::vector<const nlohmann::json*> select_all(const nlohmann::json& root, std::string_view path);

// The first value the path reaches, or nullptr.
const nlohmann::json* select_one(const nlohmann::json& root, std::string_view path);

// A scalar as text: strings as they are, numbers and booleans as JSON writes them.
std::string as_text(const nlohmann::json& value);

}  // namespace awsemu::stack
