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

std::vector<std::string> header_list(std::string_view value) {
    std::vector<std::string> items;
    std::size_t start = 0;
    while (true) {
        const auto comma = value.find(',', start);
        std::string item(value.substr(start, comma - start));
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        items.push_back(std::move(item));
        if (comma == std::string_view::npos) {
            return items;
        }
        start = comma + 1;
    }
}

}  // namespace awsemu
