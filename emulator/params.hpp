#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/protocol/aws_error.hpp"
#include "emulator/protocol/common_errors.hpp"

namespace awsemu {

// How a service reports parameters that are missing or of the wrong type; AWS's services differ.
struct ParamErrors {
    ErrorSpec missing = errors::ValidationException;
    ErrorSpec wrong_type = errors::SerializationException;
    // Query-heritage services (SQS) say "The request must contain the parameter X." instead of
    // the JSON framework's validation message.
    bool query_style_missing = false;
};

// An operation's decoded input: a JSON object, whatever protocol it came in.
class Params {
  public:
    Params(nlohmann::json value, ParamErrors errors);

    const nlohmann::json& json() const { return value_; }
    bool has(std::string_view name) const;

    std::string required_string(std::string_view name) const;
    std::optional<std::string> optional_string(std::string_view name) const;
    std::optional<std::int64_t> optional_int(std::string_view name) const;
    std::optional<bool> optional_bool(std::string_view name) const;
    // The member when it is an array; nullptr when absent.
    const nlohmann::json* optional_array(std::string_view name) const;
    const nlohmann::json* optional_object(std::string_view name) const;
    const nlohmann::json& required_array(std::string_view name) const;
    // A map of strings (Attributes, tags); empty when absent.
    std::map<std::string, std::string> string_map(std::string_view name) const;
    // A list of strings (AttributeNames, TagKeys, ...); empty when absent.
    std::vector<std::string> string_list(std::string_view name) const;

  private:
    const nlohmann::json* member(std::string_view name) const;
    [[noreturn]] void throw_wrong_type(std::string_view name, std::string_view expected) const;
    [[noreturn]] void throw_missing(std::string_view name) const;

    nlohmann::json value_;
    ParamErrors errors_;
};

}  // namespace awsemu
