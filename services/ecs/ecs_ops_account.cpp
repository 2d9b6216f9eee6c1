// ListAccountSettings, PutAccountSetting, PutAccountSettingDefault, DeleteAccountSetting, and
// DescribeCapacityProviders (the account's FARGATE and FARGATE_SPOT).
#include <algorithm>

#include "emulator/protocol/page_token.hpp"
#include "services/ecs/ecs_errors.hpp"
#include "services/ecs/ecs_input.hpp"
#include "services/ecs/ecs_service.hpp"

namespace awsemu::ecs {
namespace {

nlohmann::json setting_json(const AccountSetting& s) {
    return {
        {"name", s.name}, {"value", s.value}, {"principalArn", s.principal_arn}, {"type", s.type}};
}

std::string setting_name_param(const Params& params) {
    const std::string name = params.required_string("name");
    if (!is_account_setting_name(name)) {
        throw AwsError(errors::InvalidParameterException, "Invalid setting name '" + name + "'.");
    }
    return name;
}

AccountSetting put_setting(EcsContext& ecs, const RequestContext& context, const Params& params,
                           const std::string& principal) {
    const std::string name = setting_name_param(params);
    const std::string value = params.required_string("value");
    if (const auto problem = account_setting_problem(name, value)) {
        throw AwsError(errors::InvalidParameterException, *problem);
    }
    AccountSetting setting{name, value, principal, "user"};
    ecs.store.put_account_setting(context.scope, setting);
    return setting;
}

nlohmann::json put_account_setting(EcsContext& ecs, const RequestContext& context,
                                   const Params& params) {
    const std::string principal =
        params.optional_string("principalArn").value_or(principal_of(context));
    return {{"setting", setting_json(put_setting(ecs, context, params, principal))}};
}

nlohmann::json put_account_setting_default(EcsContext& ecs, const RequestContext& context,
                                           const Params& params) {
    const AccountSetting setting =
        put_setting(ecs, context, params, account_root_arn(context.scope));
    return {{"setting", setting_json(setting)}};
}

nlohmann::json delete_account_setting(EcsContext& ecs, const RequestContext& context,
                                      const Params& params) {
    const std::string name = setting_name_param(params);
    const std::string principal =
        params.optional_string("principalArn").value_or(principal_of(context));
    auto existing = ecs.store.find_account_setting(context.scope, principal, name);
    ecs.store.delete_account_setting(context.scope, principal, name);
    AccountSetting answer = existing.value_or(AccountSetting{
        name, effective_account_setting(ecs, context.scope, principal, name), principal, "user"});
    return {{"setting", setting_json(answer)}};
}

nlohmann::json list_account_settings(EcsContext& ecs, const RequestContext& context,
                                     const Params& params) {
    const auto name = params.optional_string("name");
    if (name && !is_account_setting_name(*name)) {
        throw AwsError(errors::InvalidParameterException, "Invalid setting name '" + *name + "'.");
    }
    const auto value = params.optional_string("value");
    const std::string principal =
        params.optional_string("principalArn").value_or(principal_of(context));
    const bool effective = params.optional_bool("effectiveSettings").value_or(false);
    const std::size_t limit = max_results_param(params, 10);
    const std::string after = next_token_key(params).value_or("");

    std::vector<AccountSetting> settings;
    if (effective) {
        for (const auto setting_name : account_setting_names()) {
            const std::string n(setting_name);
            if (auto own = ecs.store.find_account_setting(context.scope, principal, n)) {
                settings.push_back(std::move(*own));
            } else {
                const std::string root = account_root_arn(context.scope);
                settings.push_back({n, effective_account_setting(ecs, context.scope, root, n), root,
                                    is_aws_managed_setting(n) ? "aws_managed" : "user"});
            }
        }
    } else {
        settings = ecs.store.account_settings(context.scope, principal);
    }
    // Paging follows the name order.
    std::sort(settings.begin(), settings.end(),
              [](const AccountSetting& a, const AccountSetting& b) { return a.name < b.name; });
    std::vector<AccountSetting> page;
    bool more = false;
    for (auto& s : settings) {
        if ((name && s.name != *name) || (value && s.value != *value) ||
            (!after.empty() && s.name <= after)) {
            continue;
        }
        if (page.size() == limit) {
            more = true;
            break;
        }
        page.push_back(std::move(s));
    }
    nlohmann::json out = nlohmann::json::object();
    nlohmann::json list = nlohmann::json::array();
    for (const auto& s : page) {
        list.push_back(setting_json(s));
    }
    out["settings"] = std::move(list);
    if (more && !page.empty()) {
        out["nextToken"] = encode_key_token(page.back().name);
    }
    return out;
}

nlohmann::json capacity_provider_json(EcsContext& ecs, const Scope& scope, std::string_view name,
                                      bool include_tags) {
    const std::string arn = capacity_provider_arn(scope, name);
    nlohmann::json out = {
        {"capacityProviderArn", arn}, {"name", name}, {"status", "ACTIVE"}, {"type", name}};
    out["tags"] = include_tags ? tags_json(ecs.store.tags_of(scope, arn)) : nlohmann::json::array();
    return out;
}

nlohmann::json describe_capacity_providers(EcsContext& ecs, const RequestContext& context,
                                           const Params& params) {
    auto requested = params.string_list("capacityProviders");
    bool include_tags = false;
    for (const auto& field : params.string_list("include")) {
        if (field != "TAGS") {
            throw AwsError(errors::InvalidParameterException,
                           "Invalid include value '" + field + "'. Valid values: TAGS.");
        }
        include_tags = true;
    }
    if (const auto cluster = params.optional_string("cluster")) {
        ecs.require_cluster(context.scope, *cluster);
    }
    max_results_param(params, 10);
    next_token_key(params);
    if (requested.empty()) {
        requested = {std::string(kFargate), std::string(kFargateSpot)};
    }
    nlohmann::json providers = nlohmann::json::array();
    nlohmann::json failures = nlohmann::json::array();
    for (const auto& reference : requested) {
        std::string name = reference;
        if (reference.starts_with("arn:")) {
            const auto arn = parse_ecs_arn(reference);
            name = arn && arn->resource_type == "capacity-provider" && arn->parts.size() == 1 &&
                           arn->region == context.scope.region &&
                           arn->account_id == context.scope.account_id
                       ? arn->parts[0]
                       : "";
        }
        if (!is_builtin_capacity_provider(name)) {
            failures.push_back({{"arn", reference.starts_with("arn:")
                                            ? reference
                                            : capacity_provider_arn(context.scope, reference)},
                                {"reason", "MISSING"}});
            continue;
        }
        providers.push_back(capacity_provider_json(ecs, context.scope, name, include_tags));
    }
    return {{"capacityProviders", std::move(providers)}, {"failures", std::move(failures)}};
}

}  // namespace

std::string effective_account_setting(EcsContext& ecs, const Scope& scope,
                                      std::string_view principal_arn, std::string_view name) {
    if (auto own = ecs.store.find_account_setting(scope, principal_arn, name)) {
        return own->value;
    }
    if (auto account = ecs.store.find_account_setting(scope, account_root_arn(scope), name)) {
        return account->value;
    }
    return account_setting_default(name);
}

void add_account_setting_operations(EcsOperations& operations,
                                    const std::shared_ptr<EcsContext>& ecs) {
    add_operation(operations, ecs, "ListAccountSettings", list_account_settings);
    add_operation(operations, ecs, "PutAccountSetting", put_account_setting);
    add_operation(operations, ecs, "PutAccountSettingDefault", put_account_setting_default);
    add_operation(operations, ecs, "DeleteAccountSetting", delete_account_setting);
}

void add_capacity_provider_operations(EcsOperations& operations,
                                      const std::shared_ptr<EcsContext>& ecs) {
    add_operation(operations, ecs, "DescribeCapacityProviders", describe_capacity_providers);
}

}  // namespace awsemu::ecs
