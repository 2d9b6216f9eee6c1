#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace awsemu {

// Header names keep the case they arrived with; look-ups ignore case, as HTTP says.
class Headers {
  public:
    using Entry = std::pair<std::string, std::string>;

    void reserve(std::size_t count) { entries_.reserve(count); }
    void add(std::string name, std::string value) {
        entries_.emplace_back(std::move(name), std::move(value));
    }
    // Replaces every header of that name with one value.
    void set(std::string_view name, std::string value);
    std::optional<std::string_view> find(std::string_view name) const;
    std::string_view get(std::string_view name) const { return find(name).value_or(""); }
    bool contains(std::string_view name) const { return find(name).has_value(); }

    const std::vector<Entry>& entries() const { return entries_; }

  private:
    std::vector<Entry> entries_;
};

bool iequals(std::string_view a, std::string_view b);

// A request as every layer above the HTTP server sees it: no Beast types.
struct HttpRequest {
    std::string method;
    std::string target;     // as on the request line: "/path?query"
    std::string path;       // the part of target before '?', still percent-encoded
    std::string raw_query;  // the part after '?', still percent-encoded
    std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
    Headers headers;
    std::string body;
    std::string remote_address;

    std::optional<std::string_view> query_param(std::string_view name) const;
    bool has_query_param(std::string_view name) const { return query_param(name).has_value(); }
};

// Fills path, raw_query and query from target.
void split_target(HttpRequest& request);

struct HttpResponse {
    int status = 200;
    Headers headers;
    std::string body;
};

}  // namespace awsemu
