#include "emulator/http/http_message.hpp"

#include <algorithm>

#include "emulator/protocol/url_encoding.hpp"

namespace awsemu {

void Headers::set(std::string_view name, std::string value) {
    std::erase_if(entries_, [&](const Entry& e) { return ascii_iequals(e.first, name); });
    entries_.emplace_back(std::string(name), std::move(value));
}

std::optional<std::string_view> Headers::find(std::string_view name) const {
    for (const auto& [key, value] : entries_) {
        if (ascii_iequals(key, name)) {
            return value;
        }
    }
    return std::nullopt;
}

std::optional<std::string_view> HttpRequest::query_param(std::string_view name) const {
    for (const auto& [key, value] : query) {
        if (key == name) {
            return value;
        }
    }
    return std::nullopt;
}

void split_target(HttpRequest& request) {
    const auto question = request.target.find('?');
    request.path = request.target.substr(0, question);
    request.raw_query = question == std::string::npos ? "" : request.target.substr(question + 1);
    request.query = parse_form(request.raw_query);
}

}  // namespace awsemu
