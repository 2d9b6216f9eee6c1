// TagResource, UntagResource, ListTagsForResource: for any ECS ARN, through one tags table.
#include "services/ecs/ecs_errors.hpp"
#include "services/ecs/ecs_input.hpp"
#include "services/ecs/ecs_service.hpp"

namespace awsemu::ecs {
namespace {

constexpr std::string_view kResourceNotFound = "The specified resource could not be found.";

// The ARN a request names, once its resource is known to exist; throws as AWS answers.
std::string require_taggable(EcsContext& ecs, const Scope& scope, const std::string& text) {
    const auto arn = parse_ecs_arn(text);
    if (!arn) {
        throw AwsError(errors::InvalidParameterException, "The ARN provided is invalid.");
    }
    if (arn->region != scope.region || arn->account_id != scope.account_id) {
        throw AwsError(errors::ResourceNotFoundException, std::string(kResourceNotFound));
    }
    const auto& type = arn->resource_type;
    if (type == "cluster") {
        ecs.require_cluster(scope, text);
        return text;
    }
    if (type == "task-definition") {
        const auto td = ecs.store.find_task_definition(scope, text);
        if (!td || td->status == "DELETE_IN_PROGRESS") {
            throw AwsError(errors::ResourceNotFoundException, std::string(kResourceNotFound));
        }
        return text;
    }
    if (type == "capacity-provider") {
        if (arn->parts.size() != 1 || !is_builtin_capacity_provider(arn->parts[0])) {
            throw AwsError(errors::ResourceNotFoundException, std::string(kResourceNotFound));
        }
        return text;
    }
    if (type == "task" || type == "service" || type == "task-set" || type == "container-instance") {
        if (ecs.hooks.resource_exists) {
            if (const auto exists = ecs.hooks.resource_exists(scope, *arn); exists && !*exists) {
                throw AwsError(errors::ResourceNotFoundException, std::string(kResourceNotFound));
            }
        }
        return text;
    }
    throw AwsError(errors::InvalidParameterException, "The ARN provided is invalid.");
}

nlohmann::json tag_resource(EcsContext& ecs, const RequestContext& context, const Params& params) {
    const std::string arn = params.required_string("resourceArn");
    const auto tags = tags_param(&params.required_array("tags"));
    require_taggable(ecs, context.scope, arn);
    auto merged = ecs.store.tags_of(context.scope, arn);
    merge_tags(merged, tags);
    if (merged.size() > kMaxTags) {
        throw AwsError(errors::InvalidParameterException,
                       "Too many tags: at most 50 tags may be attached to a resource.");
    }
    ecs.store.put_tags(context.scope, arn, tags);
    return nlohmann::json::object();
}

nlohmann::json untag_resource(EcsContext& ecs, const RequestContext& context,
                              const Params& params) {
    const std::string arn = params.required_string("resourceArn");
    params.required_array("tagKeys");
    const auto keys = params.string_list("tagKeys");
    require_taggable(ecs, context.scope, arn);
    ecs.store.remove_tags(context.scope, arn, keys);
    return nlohmann::json::object();
}

nlohmann::json list_tags_for_resource(EcsContext& ecs, const RequestContext& context,
                                      const Params& params) {
    const std::string arn = params.required_string("resourceArn");
    require_taggable(ecs, context.scope, arn);
    return {{"tags", tags_json(ecs.store.tags_of(context.scope, arn))}};
}

}  // namespace

void add_tag_operations(EcsOperations& operations, const std::shared_ptr<EcsContext>& ecs) {
    add_operation(operations, ecs, "TagResource", tag_resource);
    add_operation(operations, ecs, "UntagResource", untag_resource);
    add_operation(operations, ecs, "ListTagsForResource", list_tags_for_resource);
}

}  // namespace awsemu::ecs
