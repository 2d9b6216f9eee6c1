#include "services/sts/sts_model.hpp"

#include <algorithm>
#include <cctype>

#include "emulator/auth/credentials.hpp"

namespace awsemu::sts {

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
    const auto name = resource.substr(resource.rfind('/') + 1);
    return RoleArn{std::string(arn.substr(0, colon)), std::string(name)};
}

bool is_valid_session_name(std::string_view name) {
    return name.size() >= 2 && name.size() <= 64 &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
                      std::string_view("_+=,.@-").find(c) != std::string_view::npos;
           });
}

}  // namespace awsemu::sts
