// RegisterTaskDefinition, DescribeTaskDefinition, DeregisterTaskDefinition,
// DeleteTaskDefinitions, ListTaskDefinitions, ListTaskDefinitionFamilies.
#include <algorithm>

#include "emulator/runtime/time_format.hpp"
#include "services/ecs/ecs_errors.hpp"
#include "services/ecs/ecs_input.hpp"
#include "services/ecs/ecs_service.hpp"
#include "services/ecs/task_definition_registration.hpp"

namespace awsemu::ecs {
namespace {

constexpr std::string_view kTaskDefinitionMissing =
    "The specified task definition does not exist. Specify a valid account, family, revision "
    "and try again.";
constexpr std::string_view kTaskDefinitionStillActive =
    "The specified task definition is still in ACTIVE status. Please deregister the target and "
    "try again.";
constexpr std::string_view kRevisionRequired =
    "The specified task definition identifier is invalid. Specify a valid name or ARN and try "
    "again.";

bool wants_tags(const Params& params) {
    const auto include = params.string_list("include");
    for (const auto& field : include) {
        if (field != "TAGS") {
            throw AwsError(errors::InvalidParameterException,
                           "Invalid include value '" + field + "'. Valid values: TAGS.");
        }
    }
    return std::find(include.begin(), include.end(), "TAGS") != include.end();
}

nlohmann::json register_task_definition(EcsContext& ecs, const RequestContext& context,
                                        const Params& params) {
    const nlohmann::json& request = params.json();
    const auto family = params.optional_string("family");
    if (!family || family->empty()) {
        throw AwsError(errors::ClientException, "Family can not be blank.");
    }
    validate_registration(request);
    const auto tags = tags_param(json_member(request, "tags"));

    RegistrationFacts facts;
    facts.revision = ecs.store.next_revision(context.scope, *family);
    facts.arn = task_definition_arn(context.scope, *family, facts.revision);
    facts.registered_ms = to_epoch_ms(context.now());
    facts.registered_by = principal_of(context);
    const TaskDefinition td = task_definition_from_json(describe_registration(request, facts));
    ecs.store.insert_task_definition(context.scope, td);
    ecs.store.put_tags(context.scope, td.arn, tags);

    nlohmann::json out = {{"taskDefinition", td.json}};
    if (!tags.empty()) {
        out["tags"] = tags_json(tags);
    }
    return out;
}

nlohmann::json describe_task_definition(EcsContext& ecs, const RequestContext& context,
                                        const Params& params) {
    const std::string reference = params.required_string("taskDefinition");
    const bool include_tags = wants_tags(params);
    const TaskDefinition td = ecs.require_task_definition(context.scope, reference);
    nlohmann::json out = {{"taskDefinition", td.json}};
    if (include_tags) {
        out["tags"] = tags_json(ecs.store.tags_of(context.scope, td.arn));
    }
    return out;
}

// A family:revision or ARN reference that must name a revision.
TaskDefinitionRef revision_ref(std::string_view reference) {
    const auto ref = parse_task_definition_ref(reference);
    if (!ref || !ref->revision) {
        throw AwsError(errors::ClientException, std::string(kRevisionRequired));
    }
    return *ref;
}

nlohmann::json deregister_task_definition(EcsContext& ecs, const RequestContext& context,
                                          const Params& params) {
    const std::string reference = params.required_string("taskDefinition");
    const TaskDefinitionRef ref = revision_ref(reference);
    auto td = ecs.store.find_task_definition(context.scope, reference);
    if (!td) {
        throw AwsError(errors::ClientException, std::string(kTaskDefinitionMissing));
    }
    if (td->status == "DELETE_IN_PROGRESS") {
        throw AwsError(errors::ClientException,
                       "The specified task definition is being deleted and cannot be "
                       "deregistered.");
    }
    if (td->status == "ACTIVE") {
        ecs.store.set_task_definition_status(context.scope, ref.family, *ref.revision, "INACTIVE",
                                             to_epoch_ms(context.now()));
        td = ecs.store.find_task_definition(context.scope, ref.family, *ref.revision);
    }
    return {{"taskDefinition", td->json}};
}

nlohmann::json delete_task_definitions(EcsContext& ecs, const RequestContext& context,
                                       const Params& params) {
    const auto& list = params.required_array("taskDefinitions");
    const auto references = params.string_list("taskDefinitions");
    if (list.empty() || list.size() > 10) {
        throw AwsError(errors::InvalidParameterException,
                       "taskDefinitions must name between 1 and 10 task definitions.");
    }
    nlohmann::json deleted = nlohmann::json::array();
    nlohmann::json failures = nlohmann::json::array();
    const std::int64_t now = to_epoch_ms(context.now());
    for (const auto& reference : references) {
        const auto ref = parse_task_definition_ref(reference);
        if (!ref || !ref->revision) {
            failures.push_back({{"arn", reference}, {"reason", std::string(kRevisionRequired)}});
            continue;
        }
        const std::string arn = task_definition_arn(context.scope, ref->family, *ref->revision);
        auto td = ecs.store.find_task_definition(context.scope, reference);
        if (!td) {
            failures.push_back({{"arn", arn}, {"reason", std::string(kTaskDefinitionMissing)}});
            continue;
        }
        if (td->status == "ACTIVE") {
            failures.push_back({{"arn", arn}, {"reason", std::string(kTaskDefinitionStillActive)}});
            continue;
        }
        if (td->status == "INACTIVE") {
            ecs.store.set_task_definition_status(context.scope, ref->family, *ref->revision,
                                                 "DELETE_IN_PROGRESS", now);
            td = ecs.store.find_task_definition(context.scope, ref->family, *ref->revision);
        }
        deleted.push_back(td->json);
    }
    return {{"taskDefinitions", std::move(deleted)}, {"failures", std::move(failures)}};
}

std::optional<TaskDefinitionKey> task_definition_token(const Params& params) {
    const auto key = next_token_key(params);
    if (!key) {
        return std::nullopt;
    }
    const auto colon = key->rfind(':');
    const auto ref = parse_task_definition_ref(*key);
    if (colon == std::string::npos || !ref || !ref->revision) {
        throw AwsError(errors::InvalidParameterException, "Invalid nextToken.");
    }
    return TaskDefinitionKey{ref->family, *ref->revision};
}

nlohmann::json list_task_definitions(EcsContext& ecs, const RequestContext& context,
                                     const Params& params) {
    const std::string family = params.optional_string("familyPrefix").value_or("");
    const std::string status = params.optional_string("status").value_or("ACTIVE");
    if (status != "ACTIVE" && status != "INACTIVE" && status != "DELETE_IN_PROGRESS") {
        throw AwsError(
            errors::InvalidParameterException,
            "Invalid status '" + status + "'. Valid values: ACTIVE, INACTIVE, DELETE_IN_PROGRESS.");
    }
    const std::string sort = params.optional_string("sort").value_or("ASC");
    if (sort != "ASC" && sort != "DESC") {
        throw AwsError(errors::InvalidParameterException,
                       "Invalid sort '" + sort + "'. Valid values: ASC, DESC.");
    }
    const std::size_t limit = max_results_param(params);
    const auto after = task_definition_token(params);
    auto keys = ecs.store.list_task_definitions(context.scope, family, status, sort == "ASC", after,
                                                limit + 1);
    nlohmann::json out = nlohmann::json::object();
    if (auto token = cut_page(keys, limit, [](const TaskDefinitionKey& k) {
            return k.family + ":" + std::to_string(k.revision);
        })) {
        out["nextToken"] = std::move(*token);
    }
    nlohmann::json arns = nlohmann::json::array();
    for (const auto& key : keys) {
        arns.push_back(task_definition_arn(context.scope, key.family, key.revision));
    }
    out["taskDefinitionArns"] = std::move(arns);
    return out;
}

nlohmann::json list_task_definition_families(EcsContext& ecs, const RequestContext& context,
                                             const Params& params) {
    const std::string prefix = params.optional_string("familyPrefix").value_or("");
    const std::string status = params.optional_string("status").value_or("ALL");
    if (status != "ACTIVE" && status != "INACTIVE" && status != "ALL") {
        throw AwsError(errors::InvalidParameterException,
                       "Invalid status '" + status + "'. Valid values: ACTIVE, INACTIVE, ALL.");
    }
    const std::size_t limit = max_results_param(params);
    const std::string after = next_token_key(params).value_or("");
    auto families = ecs.store.list_families(context.scope, prefix, status, after, limit + 1);
    nlohmann::json out = nlohmann::json::object();
    if (auto token = cut_page(families, limit, [](const std::string& f) { return f; })) {
        out["nextToken"] = std::move(*token);
    }
    out["families"] = families;
    return out;
}

}  // namespace

void add_task_definition_operations(EcsOperations& operations,
                                    const std::shared_ptr<EcsContext>& ecs) {
    add_operation(operations, ecs, "RegisterTaskDefinition", register_task_definition);
    add_operation(operations, ecs, "DescribeTaskDefinition", describe_task_definition);
    add_operation(operations, ecs, "DeregisterTaskDefinition", deregister_task_definition);
    add_operation(operations, ecs, "DeleteTaskDefinitions", delete_task_definitions);
    add_operation(operations, ecs, "ListTaskDefinitions", list_task_definitions);
    add_operation(operations, ecs, "ListTaskDefinitionFamilies", list_task_definition_families);
}

}  // namespace awsemu::ecs
