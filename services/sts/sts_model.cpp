#include "services/sts/sts_model.hpp"

#include <algorithm>
#include <cctype>

#include "emulator/auth/credentials.hpp"

namespace awsemu::sts {

namespace {

// IAM's [\w+=,.@-]
bool is_name_character(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("_+=,.@-").find(c) != std::string_view::npos;
}

}  // namespace

std::optional<RoleArn> parse_role_arn(std::string_view arn) {
    constexpr std::string_view kPrefix = "arn:aws:iam::";
    if (!arn.starts_with(kPrefix)) {
        return std::nullopt;
    }
    arn.remove_prefix(kPrefix.size());
    const auto colon = arn.find(':');
    if (colon == std::string_view::npos || !is_account_id(arn.substr(0, colon))) {
        return std::nullopt;
    }
    const std::string_view resource = arn.substr(colon + 1);
    if (!resource.starts_with("role/") || resource.size() == 5 || resource.back() == '/') {
        return std::nullopt;
    }
    // role/[path/]name: IAM's name characters, '/' between path segments.
    if (resource.size() > 5 + 576 || resource.find("//") != std::string_view::npos ||
        !std::all_of(resource.begin() + 5, resource.end(),
                     [](char c) { return c == '/' || is_name_character(c); })) {
        return std::nullopt;
    }
    const auto name = resource.substr(resource.rfind('/') + 1);
    return RoleArn{std::string(arn.substr(0, colon)), std::string(name)};
}

bool is_valid_session_name(std::string_view name) {
    return name.size() >= 2 && name.size() <= 64 &&
           std::all_of(name.begin(), name.end(), is_name_character);
}

}  // namespace awsemu::sts
