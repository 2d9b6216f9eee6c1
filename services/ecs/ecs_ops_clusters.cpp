// CreateCluster, DescribeClusters, ListClusters, DeleteCluster, UpdateCluster,
// UpdateClusterSettings, PutClusterCapacityProviders.
#include <algorithm>
#include <set>

#include "emulator/runtime/time_format.hpp"
#include "services/ecs/ecs_errors.hpp"
#include "services/ecs/ecs_input.hpp"
#include "services/ecs/ecs_service.hpp"

namespace awsemu::ecs {
namespace {

constexpr std::string_view kInvalidClusterName =
    "Cluster name must be 1-255 characters: letters, numbers, hyphens and underscores.";
constexpr std::string_view kStrategyNotAssociated =
    "The specified capacity provider strategy cannot contain a capacity provider that is not "
    "associated with the cluster. Associate the capacity provider with the cluster or specify "
    "a valid capacity provider and try again.";

struct Include {
    bool attachments = false;
    bool configurations = false;
    bool settings = false;
    bool statistics = false;
    bool tags = false;

    static Include all() { return {true, true, true, true, true}; }
};

Include include_param(const Params& params) {
    Include include;
    for (const auto& field : params.string_list("include")) {
        if (field == "ATTACHMENTS") {
            include.attachments = true;
        } else if (field == "CONFIGURATIONS") {
            include.configurations = true;
        } else if (field == "SETTINGS") {
            include.settings = true;
        } else if (field == "STATISTICS") {
            include.statistics = true;
        } else if (field == "TAGS") {
            include.tags = true;
        } else {
            throw AwsError(errors::InvalidParameterException,
                           "Invalid include value '" + field +
                               "'. Valid values: ATTACHMENTS, CONFIGURATIONS, SETTINGS, "
                               "STATISTICS, TAGS.");
        }
    }
    return include;
}

nlohmann::json statistics_json(const ClusterActivity& a) {
    // The names the model documents. awsemu runs every task the same way: they count as
    // Fargate tasks.
    const std::pair<const char*, std::int64_t> counts[] = {
        {"runningEC2TasksCount", 0},    {"runningFargateTasksCount", a.running_tasks},
        {"pendingEC2TasksCount", 0},    {"pendingFargateTasksCount", a.pending_tasks},
        {"activeEC2ServiceCount", 0},   {"activeFargateServiceCount", a.active_services},
        {"drainingEC2ServiceCount", 0}, {"drainingFargateServiceCount", a.draining_services},
    };
    nlohmann::json out = nlohmann::json::array();
    for (const auto& [name, value] : counts) {
        out.push_back({{"name", name}, {"value", std::to_string(value)}});
    }
    return out;
}

nlohmann::json cluster_json(EcsContext& ecs, const Scope& scope, const Cluster& cluster,
                            const Include& include) {
    const ClusterActivity activity =
        cluster.status == "ACTIVE" ? ecs.activity_of(scope, cluster) : ClusterActivity{};
    nlohmann::json out = {
        {"clusterArn", cluster.arn},
        {"clusterName", cluster.name},
        {"status", cluster.status},
        {"registeredContainerInstancesCount", activity.registered_container_instances},
        {"runningTasksCount", activity.running_tasks},
        {"pendingTasksCount", activity.pending_tasks},
        {"activeServicesCount", activity.active_services},
        {"statistics", include.statistics ? statistics_json(activity) : nlohmann::json::array()},
        {"tags",
         include.tags ? tags_json(ecs.store.tags_of(scope, cluster.arn)) : nlohmann::json::array()},
        {"capacityProviders", cluster.capacity_providers},
        {"defaultCapacityProviderStrategy", cluster.default_capacity_provider_strategy},
    };
    if (include.settings) {
        nlohmann::json settings = nlohmann::json::array();
        for (const auto& s : cluster.settings) {
            settings.push_back({{"name", s.name}, {"value", s.value}});
        }
        out["settings"] = std::move(settings);
    }
    if (include.configurations && cluster.configuration) {
        out["configuration"] = *cluster.configuration;
    }
    if (include.attachments) {
        out["attachments"] = nlohmann::json::array();
    }
    if (cluster.service_connect_defaults) {
        out["serviceConnectDefaults"] = *cluster.service_connect_defaults;
    }
    return out;
}

// Settings as the request names them, merged into `settings` by name.
void merge_settings_param(const nlohmann::json& list, std::vector<ClusterSetting>& settings) {
    if (!list.is_array()) {
        throw_wrong_type("settings", "a list");
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = "settings[" + std::to_string(i) + "]";
        expect_object(list[i], path);
        const std::string name = json_string(list[i], "name", path).value_or("");
        const std::string value = json_string(list[i], "value", path).value_or("");
        if (name != "containerInsights") {
            throw AwsError(
                errors::InvalidParameterException,
                "Invalid cluster setting name '" + name + "'. Valid values: containerInsights.");
        }
        if (value != "enabled" && value != "disabled" && value != "enhanced") {
            throw AwsError(errors::InvalidParameterException,
                           "Invalid value '" + value +
                               "' for setting containerInsights. Valid values: enabled, disabled, "
                               "enhanced.");
        }
        const auto it = std::find_if(settings.begin(), settings.end(),
                                     [&](const ClusterSetting& s) { return s.name == name; });
        if (it != settings.end()) {
            it->value = value;
        } else {
            settings.push_back({name, value});
        }
    }
}

std::vector<std::string> capacity_providers_param(const Params& params) {
    const auto providers = params.string_list("capacityProviders");
    std::set<std::string> seen;
    for (const auto& provider : providers) {
        if (!is_builtin_capacity_provider(provider)) {
            throw AwsError(errors::InvalidParameterException,
                           "The specified capacity provider '" + provider +
                               "' does not exist. Specify a valid capacity provider and try "
                               "again.");
        }
        if (!seen.insert(provider).second) {
            throw AwsError(errors::InvalidParameterException,
                           "The specified capacity providers contain duplicates.");
        }
    }
    return providers;
}

nlohmann::json strategy_param(const Params& params, const std::vector<std::string>& providers) {
    nlohmann::json out = nlohmann::json::array();
    const auto* list = params.optional_array("defaultCapacityProviderStrategy");
    if (list == nullptr) {
        return out;
    }
    int with_base = 0;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string path = "defaultCapacityProviderStrategy[" + std::to_string(i) + "]";
        const auto& item = (*list)[i];
        expect_object(item, path);
        const std::string provider = json_string(item, "capacityProvider", path).value_or("");
        const std::int64_t weight = json_int(item, "weight", path).value_or(0);
        const std::int64_t base = json_int(item, "base", path).value_or(0);
        if (std::find(providers.begin(), providers.end(), provider) == providers.end()) {
            throw AwsError(errors::InvalidParameterException, std::string(kStrategyNotAssociated));
        }
        if (weight < 0 || weight > 1000) {
            throw AwsError(errors::InvalidParameterException,
                           "The capacity provider strategy weight must be between 0 and 1000.");
        }
        if (base < 0 || base > 100000) {
            throw AwsError(errors::InvalidParameterException,
                           "The capacity provider strategy base must be between 0 and 100000.");
        }
        if (base > 0 && ++with_base > 1) {
            throw AwsError(errors::InvalidParameterException,
                           "Only one capacity provider in a strategy can have a base defined.");
        }
        out.push_back({{"capacityProvider", provider}, {"weight", weight}, {"base", base}});
    }
    return out;
}

std::optional<nlohmann::json> service_connect_param(const Params& params) {
    const auto* defaults = params.optional_object("serviceConnectDefaults");
    if (defaults == nullptr) {
        return std::nullopt;
    }
    const auto ns = json_string(*defaults, "namespace", "serviceConnectDefaults");
    if (!ns || ns->empty()) {
        throw AwsError(errors::InvalidParameterException,
                       "serviceConnectDefaults.namespace must not be empty.");
    }
    return nlohmann::json{{"namespace", *ns}};
}

nlohmann::json create_cluster(EcsContext& ecs, const RequestContext& context,
                              const Params& params) {
    const std::string name =
        params.optional_string("clusterName").value_or(std::string(kDefaultClusterName));
    if (!valid_cluster_name(name)) {
        throw AwsError(errors::InvalidParameterException, std::string(kInvalidClusterName));
    }
    const auto tags = tags_param(params.optional_array("tags"));
    Cluster cluster;
    cluster.name = name;
    cluster.arn = cluster_arn(context.scope, name);
    cluster.status = "ACTIVE";
    if (const auto* settings = params.optional_array("settings")) {
        merge_settings_param(*settings, cluster.settings);
    }
    if (cluster.settings.empty()) {
        cluster.settings.push_back(
            {"containerInsights",
             effective_account_setting(ecs, context.scope, principal_of(context),
                                       "containerInsights")});
    }
    if (const auto* configuration = params.optional_object("configuration")) {
        cluster.configuration = *configuration;
    }
    cluster.capacity_providers = capacity_providers_param(params);
    cluster.default_capacity_provider_strategy = strategy_param(params, cluster.capacity_providers);
    cluster.service_connect_defaults = service_connect_param(params);
    cluster.created_ms = to_epoch_ms(context.now());

    // Creating an ACTIVE cluster again answers it as it is.
    if (auto existing = ecs.store.find_cluster(context.scope, name);
        existing && existing->status == "ACTIVE") {
        return {{"cluster", cluster_json(ecs, context.scope, *existing, Include::all())}};
    }
    ecs.store.put_cluster(context.scope, cluster);
    ecs.store.delete_tags_of(context.scope, cluster.arn);
    ecs.store.put_tags(context.scope, cluster.arn, tags);
    return {{"cluster", cluster_json(ecs, context.scope, cluster, Include::all())}};
}

nlohmann::json describe_clusters(EcsContext& ecs, const RequestContext& context,
                                 const Params& params) {
    auto references = params.string_list("clusters");
    if (references.empty()) {
        references.emplace_back(kDefaultClusterName);
    }
    if (references.size() > 100) {
        throw AwsError(errors::InvalidParameterException,
                       "clusters can name at most 100 clusters.");
    }
    const Include include = include_param(params);
    nlohmann::json clusters = nlohmann::json::array();
    nlohmann::json failures = nlohmann::json::array();
    for (const auto& reference : references) {
        const auto name = cluster_name_of(reference);
        std::optional<Cluster> cluster;
        if (name) {
            cluster = ecs.store.find_cluster(context.scope, *name);
        }
        if (!cluster) {
            failures.push_back({{"arn", name ? cluster_arn(context.scope, *name) : reference},
                                {"reason", "MISSING"}});
            continue;
        }
        clusters.push_back(cluster_json(ecs, context.scope, *cluster, include));
    }
    return {{"clusters", std::move(clusters)}, {"failures", std::move(failures)}};
}

nlohmann::json list_clusters(EcsContext& ecs, const RequestContext& context, const Params& params) {
    const std::size_t limit = max_results_param(params);
    const std::string after = next_token_key(params).value_or("");
    auto clusters = ecs.store.list_active_clusters(context.scope, after, limit + 1);
    nlohmann::json out = nlohmann::json::object();
    if (auto token = cut_page(clusters, limit, [](const Cluster& c) { return c.name; })) {
        out["nextToken"] = std::move(*token);
    }
    nlohmann::json arns = nlohmann::json::array();
    for (const auto& c : clusters) {
        arns.push_back(c.arn);
    }
    out["clusterArns"] = std::move(arns);
    return out;
}

nlohmann::json delete_cluster(EcsContext& ecs, const RequestContext& context,
                              const Params& params) {
    Cluster cluster = ecs.require_cluster(context.scope, params.required_string("cluster"));
    const ClusterActivity activity = ecs.activity_of(context.scope, cluster);
    if (activity.active_services > 0 || activity.draining_services > 0) {
        throw AwsError(errors::ClusterContainsServicesException,
                       "The Cluster cannot be deleted while Services are active.");
    }
    if (activity.running_tasks > 0 || activity.pending_tasks > 0) {
        throw AwsError(errors::ClusterContainsTasksException,
                       "The Cluster cannot be deleted while Tasks are active.");
    }
    if (activity.registered_container_instances > 0) {
        throw AwsError(errors::ClusterContainsContainerInstancesException,
                       "The Cluster cannot be deleted while Container Instances are active or "
                       "draining.");
    }
    cluster.status = "INACTIVE";
    ecs.store.put_cluster(context.scope, cluster);
    return {{"cluster", cluster_json(ecs, context.scope, cluster, Include::all())}};
}

nlohmann::json update_cluster(EcsContext& ecs, const RequestContext& context,
                              const Params& params) {
    Cluster cluster = ecs.require_cluster(context.scope, params.required_string("cluster"));
    if (const auto* settings = params.optional_array("settings")) {
        merge_settings_param(*settings, cluster.settings);
    }
    if (const auto* configuration = params.optional_object("configuration")) {
        cluster.configuration = *configuration;
    }
    if (auto defaults = service_connect_param(params)) {
        cluster.service_connect_defaults = std::move(defaults);
    }
    ecs.store.put_cluster(context.scope, cluster);
    return {{"cluster", cluster_json(ecs, context.scope, cluster, Include::all())}};
}

nlohmann::json update_cluster_settings(EcsContext& ecs, const RequestContext& context,
                                       const Params& params) {
    const std::string reference = params.required_string("cluster");
    const auto& settings = params.required_array("settings");
    Cluster cluster = ecs.require_cluster(context.scope, reference);
    merge_settings_param(settings, cluster.settings);
    ecs.store.put_cluster(context.scope, cluster);
    return {{"cluster", cluster_json(ecs, context.scope, cluster, Include::all())}};
}

nlohmann::json put_cluster_capacity_providers(EcsContext& ecs, const RequestContext& context,
                                              const Params& params) {
    const std::string reference = params.required_string("cluster");
    params.required_array("capacityProviders");
    params.required_array("defaultCapacityProviderStrategy");
    Cluster cluster = ecs.require_cluster(context.scope, reference);
    cluster.capacity_providers = capacity_providers_param(params);
    cluster.default_capacity_provider_strategy = strategy_param(params, cluster.capacity_providers);
    ecs.store.put_cluster(context.scope, cluster);
    return {{"cluster", cluster_json(ecs, context.scope, cluster, Include::all())}};
}

}  // namespace

void add_cluster_operations(EcsOperations& operations, const std::shared_ptr<EcsContext>& ecs) {
    add_operation(operations, ecs, "CreateCluster", create_cluster);
    add_operation(operations, ecs, "DescribeClusters", describe_clusters);
    add_operation(operations, ecs, "ListClusters", list_clusters);
    add_operation(operations, ecs, "DeleteCluster", delete_cluster);
    add_operation(operations, ecs, "UpdateCluster", update_cluster);
    add_operation(operations, ecs, "UpdateClusterSettings", update_cluster_settings);
    add_operation(operations, ecs, "PutClusterCapacityProviders", put_cluster_capacity_providers);
}

}  // namespace awsemu::ecs
