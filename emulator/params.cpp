#include "emulator/params.hpp"

namespace awsemu {

Params::Params(nlohmann::json value, ParamErrors errors)
    : value_(std::move(value)), errors_(errors) {
    if (value_.is_null()) {
        value_ = nlohmann::json::object();
    }
    if (!value_.is_object()) {
        throw AwsError(errors_.wrong_type, "Start of structure or map found where not expected.");
    }
}

const nlohmann::json* Params::member(std::string_view name) const {
    const auto it = value_.find(name);
    if (it == value_.end() || it->is_null()) {
        return nullptr;
    }
    return &*it;
}

bool Params::has(std::string_view name) const {
    return member(name) != nullptr;
}

void Params::throw_wrong_type(std::string_view name, std::string_view expected) const {
    throw AwsError(errors_.wrong_type, "Invalid type for parameter " + std::string(name) +
                                           ", expected " + std::string(expected) + ".");
}

void Params::throw_missing(std::string_view name) const {
    if (errors_.query_style_missing) {
        throw AwsError(errors_.missing,
                       "The request must contain the parameter " + std::string(name) + ".");
    }
    // AWS's own validation message, member name in lower camel case as its framework prints it.
    std::string field(name);
    if (!field.empty()) {
        field[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(field[0])));
    }
    throw AwsError(errors_.missing, "1 validation error detected: Value null at '" + field +
                                        "' failed to satisfy constraint: Member must not be null");
}

std::string Params::required_string(std::string_view name) const {
    auto value = optional_string(name);
    if (!value) {
        throw_missing(name);
    }
    return std::move(*value);
}

std::optional<std::string> Params::optional_string(std::string_view name) const {
    const auto* m = member(name);
    if (m == nullptr) {
        return std::nullopt;
    }
    if (!m->is_string()) {
        throw_wrong_type(name, "a string");
    }
    return m->get<std::string>();
}

std::optional<std::int64_t> Params::optional_int(std::string_view name) const {
    const auto* m = member(name);
    if (m == nullptr) {
        return std::nullopt;
    }
    if (!m->is_number_integer()) {
        throw_wrong_type(name, "an integer");
    }
    return m->get<std::int64_t>();
}

std::optional<bool> Params::optional_bool(std::string_view name) const {
    const auto* m = member(name);
    if (m == nullptr) {
        return std::nullopt;
    }
    if (!m->is_boolean()) {
        throw_wrong_type(name, "a boolean");
    }
    return m->get<bool>();
}

const nlohmann::json* Params::optional_array(std::string_view name) const {
    const auto* m = member(name);
    if (m != nullptr && !m->is_array()) {
        throw_wrong_type(name, "a list");
    }
    return m;
}

const nlohmann::json* Params::optional_object(std::string_view name) const {
    const auto* m = member(name);
    if (m != nullptr && !m->is_object()) {
        throw_wrong_type(name, "a structure");
    }
    return m;
}

const nlohmann::json& Params::required_array(std::string_view name) const {
    const auto* m = optional_array(name);
    if (m == nullptr) {
        throw_missing(name);
    }
    return *m;
}

std::map<std::string, std::string> Params::string_map(std::string_view name) const {
    std::map<std::string, std::string> map;
    const nlohmann::json* object = optional_object(name);
    if (object == nullptr) {
        return map;
    }
    for (const auto& [key, value] : object->items()) {
        if (!value.is_string()) {
            throw_wrong_type(std::string(name) + "." + key, "a string");
        }
        map[key] = value.get<std::string>();
    }
    return map;
}

std::vector<std::string> Params::string_list(std::string_view name) const {
    std::vector<std::string> list;
    const nlohmann::json* array = optional_array(name);
    if (array == nullptr) {
        return list;
    }
    for (const auto& value : *array) {
        if (!value.is_string()) {
            throw_wrong_type(name, "a list of strings");
        }
        list.push_back(value.get<std::string>());
    }
    return list;
}

}  // namespace awsemu
