#include "emulator/stack/stack_definition.hpp"

#include <filesystem>
#include <set>

#include "emulator/auth/crypto.hpp"
#include "emulator/stack/json_path.hpp"
#include "emulator/stack/stack_template.hpp"
#include "emulator/text_file.hpp"

namespace awsemu::stack {
namespace {

using Ordered = nlohmann::ordered_json;

std::string text_member(const Ordered& object, const char* name, const std::string& where) {
    const auto it = object.find(name);
    if (it == object.end() || !it->is_string() || it->get<std::string>().empty()) {
        throw StackError(where + ": \"" + name + "\" must be a non-empty string");
    }
    return it->get<std::string>();
}

// "service:Operation" for calls and waits.
void split_operation(const std::string& text, Step& step, const std::string& where) {
    const std::size_t colon = text.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
        throw StackError(where + ": \"" + text + "\" should read service:Operation");
    }
    step.service = text.substr(0, colon);
    step.operation = text.substr(colon + 1);
}

// "service:METHOD /path?query" for requests.
void split_request(const std::string& text, Step& step, const std::string& where) {
    const std::size_t colon = text.find(':');
    const std::size_t space = text.find(' ', colon == std::string::npos ? 0 : colon);
    if (colon == std::string::npos || space == std::string::npos || text.size() <= space + 1 ||
        text[space + 1] != '/') {
        throw StackError(where + ": \"" + text + "\" should read service:METHOD /path");
    }
    step.service = text.substr(0, colon);
    step.operation = text.substr(colon + 1, space - colon - 1);
    step.target = text.substr(space + 1);
}

std::vector<Condition> conditions(const Ordered& step, const char* name, const std::string& where) {
    std::vector<Condition> out;
    const auto it = step.find(name);
    if (it == step.end()) {
        return out;
    }
    if (!it->is_object() || it->empty()) {
        throw StackError(where + ": \"" + name + "\" must be an object of path: value");
    }
    for (const auto& [path, value] : it->items()) {
        try {
            // Reads the path (without a "|count"): a malformed one throws.
            select_all(nlohmann::json(), std::string_view(path).substr(0, path.rfind("|count")));
        } catch (const std::invalid_argument& error) {
            throw StackError(where + ": " + error.what());
        }
        out.push_back({path, nlohmann::json::parse(value.dump())});
    }
    return out;
}

Step parse_step(const Ordered& json, std::size_t index, const std::set<std::string>& earlier) {
    std::string where = "step " + std::to_string(index + 1);
    if (!json.is_object()) {
        throw StackError(where + " must be an object");
    }
    Step step;
    step.id = text_member(json, "id", where);
    where += " (" + step.id + ")";
    if (earlier.contains(step.id) || step.id == "stack" || step.id == "status") {
        throw StackError(where +
                         ": the id is taken (ids are unique; stack and status are "
                         "reserved)");
    }
    const int kinds = json.contains("call") + json.contains("request") + json.contains("wait");
    if (kinds != 1) {
        throw StackError(where + ": needs exactly one of \"call\", \"request\" and \"wait\"");
    }
    if (json.contains("call")) {
        split_operation(text_member(json, "call", where), step, where);
    } else if (json.contains("wait")) {
        step.kind = Step::Kind::Wait;
        split_operation(text_member(json, "wait", where), step, where);
        step.until = conditions(json, "until", where);
        step.expect = conditions(json, "expect", where);
        step.fail_if = conditions(json, "fail_if", where);
        if (step.until.empty()) {
            throw StackError(where + ": a wait needs \"until\"");
        }
        if (const auto once = json.find("once"); once != json.end()) {
            if (!once->is_boolean()) {
                throw StackError(where + ": \"once\" must be true or false");
            }
            step.once = once->get<bool>();
        }
        if (const auto timeout = json.find("timeout_seconds"); timeout != json.end()) {
            if (!timeout->is_number_integer() || timeout->get<long>() <= 0) {
                throw StackError(where + ": \"timeout_seconds\" must be a positive integer");
            }
            step.timeout = std::chrono::seconds(timeout->get<long>());
        }
    } else {
        step.kind = Step::Kind::Request;
        split_request(text_member(json, "request", where), step, where);
    }
    if (json.contains("hint")) {
        step.hint = text_member(json, "hint", where);
    }
    if (const auto input = json.find("input"); input != json.end()) {
        if (!input->is_object() || step.kind == Step::Kind::Request) {
            throw StackError(where + ": \"input\" must be an object, for calls and waits");
        }
        step.input = nlohmann::json::parse(input->dump());
    }
    if (step.kind == Step::Kind::Request) {
        if (const auto headers = json.find("headers"); headers != json.end()) {
            if (!headers->is_object()) {
                throw StackError(where + ": \"headers\" must be an object of name: value");
            }
            step.input["headers"] = nlohmann::json::parse(headers->dump());
        }
        if (const auto body = json.find("body"); body != json.end()) {
            if (!body->is_string()) {
                throw StackError(where + ": \"body\" must be a string");
            }
            step.input["body"] = body->get<std::string>();
        }
    }
    return step;
}

}  // namespace

StackDefinition parse_stack(std::string_view text, const std::string& source) {
    Ordered json;
    try {
        json = Ordered::parse(text);
    } catch (const nlohmann::json::parse_error& error) {
        throw StackError(source + " is not JSON: " + error.what());
    }
    if (!json.is_object()) {
        throw StackError(source + " must hold a JSON object");
    }
    StackDefinition stack;
    stack.name = text_member(json, "name", source);
    if (json.contains("description")) {
        stack.description = text_member(json, "description", source);
    }
    if (json.contains("region")) {
        stack.region = text_member(json, "region", source);
    }
    const auto steps = json.find("steps");
    if (steps == json.end() || !steps->is_array() || steps->empty()) {
        throw StackError(source + ": \"steps\" must be a non-empty array");
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < steps->size(); ++i) {
        try {
            stack.steps.push_back(parse_step((*steps)[i], i, ids));
        } catch (const StackError& error) {
            throw StackError(source + ": " + error.what());
        }
        ids.insert(stack.steps.back().id);
    }
    if (const auto outputs = json.find("outputs"); outputs != json.end()) {
        if (!outputs->is_array()) {
            throw StackError(source + ": \"outputs\" must be an array of {name, value}");
        }
        for (const auto& output : *outputs) {
            if (!output.is_object() || !output.contains("value")) {
                throw StackError(source + ": each output needs \"name\" and \"value\"");
            }
            stack.outputs.push_back({text_member(output, "name", source + ": an output"),
                                     nlohmann::json::parse(output.at("value").dump())});
        }
    }
    stack.digest = auth::sha256_hex(text);
    return stack;
}

StackDefinition load_stack(const std::string& path) {
    const auto text = read_text_file(path);
    if (!text) {
        throw StackError("cannot read the stack file " + path);
    }
    StackDefinition stack = parse_stack(*text, path);
    stack.directory = std::filesystem::absolute(path).parent_path().string();
    return stack;
}

}  // namespace awsemu::stack
