#include "emulator/stack/stack_template.hpp"

#include <string>

#include "emulator/stack/json_path.hpp"

namespace awsemu::stack {
namespace {

const nlohmann::json& resolve(std::string_view reference, const ReferenceRoots& roots) {
    const std::size_t dot = reference.find('.');
    const std::string_view name = reference.substr(0, dot);
    const nlohmann::json* root = roots(name);
    if (root == nullptr) {
        throw StackError("${" + std::string(reference) + "}: nothing named '" + std::string(name) +
                         "' comes before it");
    }
    if (dot == std::string_view::npos) {
        return *root;
    }
    const nlohmann::json* value = nullptr;
    try {
        value = select_one(*root, reference.substr(dot + 1));
    } catch (const std::invalid_argument& error) {
        throw StackError("${" + std::string(reference) + "}: " + error.what());
    }
    if (value == nullptr) {
        throw StackError("${" + std::string(reference) + "} reaches nothing in what '" +
                         std::string(name) + "' answered");
    }
    return *value;
}

// The suffix that makes a whole-string reference text: "${db.Endpoint.Port|text}" is "5432".
constexpr std::string_view kAsText = "|text";

nlohmann::json expand_text(const std::string& text, const ReferenceRoots& roots) {
    if (text.starts_with("${") && text.find('}') == text.size() - 1 &&
        !text.ends_with(std::string(kAsText) + "}")) {
        return resolve(std::string_view(text).substr(2, text.size() - 3), roots);
    }
    std::string out;
    std::size_t at = 0;
    while (true) {
        const std::size_t open = text.find("${", at);
        if (open == std::string::npos) {
            break;
        }
        const std::size_t close = text.find('}', open);
        if (close == std::string::npos) {
            throw StackError("unclosed '${' in \"" + text + "\"");
        }
        out.append(text, at, open - at);
        std::string_view reference = std::string_view(text).substr(open + 2, close - open - 2);
        if (reference.ends_with(kAsText)) {
            reference.remove_suffix(kAsText.size());
        }
        out += as_text(resolve(reference, roots));
        at = close + 1;
    }
    out.append(text, at);
    return out;
}

}  // namespace

nlohmann::json expand(const nlohmann::json& value, const ReferenceRoots& roots) {
    if (value.is_string()) {
        return expand_text(value.get<std::string>(), roots);
    }
    if (value.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& element : value) {
            out.push_back(expand(element, roots));
        }
        return out;
    }
    if (value.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [key, member] : value.items()) {
            out[key] = expand(member, roots);
        }
        return out;
    }
    return value;
}

}  // namespace awsemu::stack
