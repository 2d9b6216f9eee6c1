#pragma once

#include <functional>
#include <stdexcept>
#include <string_view>

#include <nlohmann/json.hpp>

// Values in a stack file may name what earlier steps answered: "${name.path}" stands for the
// value at `path` (json_path.hpp) in the document `name` stands for (a step's result, or
// "stack": the stack's own facts). A string that is exactly one reference becomes the value
// itself, type and all (an array stays an array), unless it ends in "|text"
// ("${db_up.DBInstances.0.Endpoint.Port|text}"); a reference inside longer text is spliced in as
// text.
namespace awsemu::stack {

// A stack file that cannot be run as written; the message says where and why.
class StackError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// The document a reference's first step names, or nullptr when it names none.
using ReferenceRoots = std::function<const nlohmann::json*(std::string_view name)>;

// `value` with every reference replaced; throws StackError for one that reaches nothing.
nlohmann::json expand(const nlohmann::json& value, const ReferenceRoots& roots);

}  // namespace awsemu::stack
