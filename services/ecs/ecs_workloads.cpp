#include "services/ecs/ecs_workloads.hpp"

#include "emulator/chaos/zone_outages.hpp"
#include "services/ecs/ecs_arns.hpp"
#include "services/ecs/ecs_service.hpp"
#include "services/ecs/ecs_tasks.hpp"
#include "services/ecs/service_scheduler.hpp"
#include "services/ecs/task_environment.hpp"
#include "services/elbv2/elbv2_api.hpp"

namespace awsemu::ecs {
namespace {

HttpResponse json_document(const std::optional<nlohmann::json>& document) {
    HttpResponse response;
    response.headers.add("Content-Type", "application/json");
    if (!document) {
        response.status = 404;
        response.body = R"({"message":"no such task or container is running"})";
    } else {
        response.body = document->dump();
    }
    return response;
}

}  // namespace

void add_workloads(ServiceDefinition& definition, const std::shared_ptr<EcsContext>& ecs,
                   ServiceEnvironment& environment) {
    ImageMap image_map;
    if (!environment.image_map_path.empty()) {
        image_map = ImageMap::load(environment.image_map_path);
    }
    auto tasks = std::make_shared<EcsTasks>(environment, std::move(image_map));
    auto scheduler = std::make_shared<ServiceScheduler>(environment, *ecs, *tasks);
    tasks->on_task_changed = [scheduler = scheduler.get()](const Scope& scope, const Task& task) {
        scheduler->task_changed(scope, task);
    };
    if (const auto elbv2 = elbv2::elbv2_api(environment)) {
        elbv2->watch_health([weak = std::weak_ptr<ServiceScheduler>(scheduler)] {
            if (const auto services = weak.lock()) {
                services->poke_load_balanced();
            }
        });
    }
    add_task_operations(definition.operations, ecs, tasks);
    add_service_operations(definition.operations, ecs, scheduler);

    ecs->hooks.cluster_activity = [tasks, scheduler](const Scope& scope, const Cluster& cluster) {
        ClusterActivity activity;
        std::tie(activity.pending_tasks, activity.running_tasks) =
            tasks->store.pending_and_running(scope, cluster.arn);
        std::tie(activity.active_services, activity.draining_services) =
            scheduler->store.active_and_draining(scope, cluster.arn);
        return activity;
    };
    ecs->hooks.resource_exists = [tasks, scheduler](const Scope& scope,
                                                    const EcsArn& arn) -> std::optional<bool> {
        if (arn.resource_type == "task" && !arn.parts.empty()) {
            return tasks->store.find(scope, arn.parts.back()).has_value();
        }
        if (arn.resource_type == "service" && arn.parts.size() == 2) {
            const auto service =
                scheduler->store.find(scope, cluster_arn(scope, arn.parts[0]), arn.parts[1]);
            return service && service->status != "INACTIVE";
        }
        return std::nullopt;
    };
    definition.public_documents = [tasks](std::string_view path) -> std::optional<HttpResponse> {
        const auto document = parse_document_path(path);
        if (!document) {
            return std::nullopt;
        }
        if (document->kind == "credentials") {
            return json_document(
                tasks->runtime.role_credentials(document->scope, document->task_id));
        }
        if (document->rest.ends_with("stats")) {
            return json_document(nlohmann::json::object());
        }
        return json_document(tasks->runtime.metadata(
            document->scope, document->task_id, document->container, document->rest == "task"));
    };

    definition.before_reset = [tasks, scheduler] {
        tasks->forget_all();
        scheduler->forget_all();
    };

    // The tasks live as long as the operations that hold them, so as long as the registry.
    environment.credentials.add_source(tasks.get());

    if (ZoneOutages* zones = environment.zones) {
        tasks->placement.zone_available = [zones](const std::string& zone) {
            return zones->available(zone);
        };
        zones->on_change([tasks = std::weak_ptr<EcsTasks>(tasks),
                          services = std::weak_ptr<ServiceScheduler>(scheduler),
                          &clock = environment.clock](const std::string& zone, bool available) {
            if (const auto self = tasks.lock(); self && !available) {
                self->availability_zone_lost(zone, clock.now());
            }
            // Back: services short of tasks (none could be placed while every zone of their
            // subnets was down) place them now.
            if (const auto self = services.lock(); self && available) {
                self->resume_all();
            }
        });
    }

    // Nothing of a previous run is running now: standalone tasks are reported stopped, and
    // services start their tasks again once the server runs.
    tasks->stop_orphaned_tasks(environment.clock.now());
    tasks->schedule_purge();
    environment.scheduler.post([scheduler] { scheduler->resume_all(); });
}

}  // namespace awsemu::ecs
