#include "services/ecs/service_store.hpp"

namespace awsemu::ecs {
namespace {

const std::vector<std::string> kServiceMigrations = {
    R"(
    CREATE TABLE ecs_services (
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        cluster_arn TEXT NOT NULL,
        name TEXT NOT NULL,
        arn TEXT NOT NULL,
        status TEXT NOT NULL,
        launch_type TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (account_id, region, cluster_arn, name)
    ) WITHOUT ROWID;
    )"};

}  // namespace

ServiceStore::ServiceStore(Database& database) : database_(database) {
    database_.migrate("ecs_services", kServiceMigrations);
}

void ServiceStore::put(const Scope& scope, const ServiceRecord& service) {
    database_.execute(
        "INSERT OR REPLACE INTO ecs_services (account_id, region, cluster_arn, name, arn, status, "
        "launch_type, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        scope.account_id, scope.region, service.cluster_arn, service.name, service.arn,
        service.status, service.launch_type, service_document(service).dump());
}

std::optional<ServiceRecord> ServiceStore::find(const Scope& scope, std::string_view cluster_arn,
                                                std::string_view name) {
    auto q = database_.query(
        "SELECT document FROM ecs_services WHERE account_id = ? AND region = ? AND cluster_arn = "
        "? AND name = ?",
        scope.account_id, scope.region, cluster_arn, name);
    if (!q.next()) {
        return std::nullopt;
    }
    return service_from_document(nlohmann::json::parse(q.text(0)));
}

std::vector<std::string> ServiceStore::list_arns(const Scope& scope, std::string_view cluster_arn,
                                                 std::string_view launch_type,
                                                 std::string_view after, std::size_t limit) {
    auto q = database_.query(
        "SELECT arn FROM ecs_services WHERE account_id = ? AND region = ? AND cluster_arn = ? AND "
        "status != 'INACTIVE' AND (?4 = '' OR launch_type = ?4) AND name > ?5 ORDER BY name "
        "LIMIT ?6",
        scope.account_id, scope.region, cluster_arn, launch_type, after,
        static_cast<std::int64_t>(limit));
    std::vector<std::string> arns;
    while (q.next()) {
        arns.push_back(q.text(0));
    }
    return arns;
}

std::pair<std::int64_t, std::int64_t> ServiceStore::active_and_draining(
    const Scope& scope, std::string_view cluster_arn) {
    auto q = database_.query(
        "SELECT COALESCE(SUM(status = 'ACTIVE'), 0), COALESCE(SUM(status = 'DRAINING'), 0) FROM "
        "ecs_services WHERE account_id = ? AND region = ? AND cluster_arn = ?",
        scope.account_id, scope.region, cluster_arn);
    q.next();
    return {q.integer(0), q.integer(1)};
}

std::vector<std::pair<Scope, ServiceRecord>> ServiceStore::all_live() {
    auto q = database_.query(
        "SELECT account_id, region, document FROM ecs_services WHERE status != 'INACTIVE'");
    std::vector<std::pair<Scope, ServiceRecord>> services;
    while (q.next()) {
        services.emplace_back(Scope{q.text(0), q.text(1)},
                              service_from_document(nlohmann::json::parse(q.text(2))));
    }
    return services;
}

void ServiceStore::remove(const Scope& scope, std::string_view cluster_arn, std::string_view name) {
    database_.execute(
        "DELETE FROM ecs_services WHERE account_id = ? AND region = ? AND cluster_arn = ? AND "
        "name = ?",
        scope.account_id, scope.region, cluster_arn, name);
}

}  // namespace awsemu::ecs
