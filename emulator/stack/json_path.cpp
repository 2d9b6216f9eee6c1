#include "emulator/stack/json_path.hpp"

#include <charconv>
#include <stdexcept>
#include <string>

namespace awsemu::stack {
namespace {

// The path's steps: "[...]" steps may hold dots ("[DNSName=a.b]").
std::vector<std::string_view> split_steps(std::string_view path) {
    std::vector<std::string_view> steps;
    std::size_t at = 0;
    while (at < path.size()) {
        std::size_t end;
        if (path[at] == '[') {
            end = path.find(']', at);
            if (end == std::string_view::npos) {
                throw std::invalid_argument("unclosed '[' in path '" + std::string(path) + "'");
            }
            ++end;
        } else {
            end = path.find('.', at);
            if (end == std::string_view::npos) {
                end = path.size();
            }
        }
        if (end == at) {
            throw std::invalid_argument("empty step in path '" + std::string(path) + "'");
        }
        const std::string_view step = path.substr(at, end - at);
        if (step.front() == '[' && (step.find('=') == std::string_view::npos || step[1] == '=')) {
            throw std::invalid_argument("selector '" + std::string(step) +
                                        "' needs the form [Key=value]");
        }
        steps.push_back(step);
        if (end < path.size() && path[end] != '.') {
            throw std::invalid_argument("expected '.' after ']' in path '" + std::string(path) +
                                        "'");
        }
        at = end + 1;
    }
    if (steps.empty() || path.back() == '.') {
        throw std::invalid_argument("empty step in path '" + std::string(path) + "'");
    }
    return steps;
}

void walk(const nlohmann::json& value, const std::vector<std::string_view>& steps,
          std::size_t index, std::vector<const nlohmann::json*>& found) {
    if (index == steps.size()) {
        found.push_back(&value);
        return;
    }
    const std::string_view step = steps[index];
    if (step == "*") {
        if (value.is_array()) {
            for (const auto& element : value) {
                walk(element, steps, index + 1, found);
            }
        }
        return;
    }
    if (step.front() == '[') {
        const std::string_view selector = step.substr(1, step.size() - 2);
        const std::size_t equals = selector.find('=');
        if (equals == std::string_view::npos || equals == 0) {
            throw std::invalid_argument("selector '" + std::string(step) +
                                        "' needs the form [Key=value]");
        }
        const std::string_view key = selector.substr(0, equals);
        const std::string_view wanted = selector.substr(equals + 1);
        if (value.is_array()) {
            for (const auto& element : value) {
                const nlohmann::json* member = select_one(element, key);
                if (member != nullptr && as_text(*member) == wanted) {
                    walk(element, steps, index + 1, found);
                }
            }
        }
        return;
    }
    if (value.is_array()) {
        std::size_t position = 0;
        const auto [end, error] = std::from_chars(step.data(), step.data() + step.size(), position);
        if (error == std::errc() && end == step.data() + step.size() && position < value.size()) {
            walk(value[position], steps, index + 1, found);
        }
        return;
    }
    if (value.is_object()) {
        const auto member = value.find(std::string(step));
        if (member != value.end()) {
            walk(*member, steps, index + 1, found);
        }
    }
}

}  // namespace

std::vector<const nlohmann::json*> select_all(const nlohmann::json& root, std::string_view path) {
    std::vector<const nlohmann::json*> found;
    walk(root, split_steps(path), 0, found);
    return found;
}

const nlohmann::json* select_one(const nlohmann::json& root, std::string_view path) {
    const auto found = select_all(root, path);
    return found.empty() ? nullptr : found.front();
}

std::string as_text(const nlohmann::json& value) {
    return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace awsemu::stack
