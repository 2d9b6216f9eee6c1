#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emulator/service.hpp"
#include "emulator/store/database.hpp"
#include "services/ecs/service_record.hpp"

namespace awsemu::ecs {

// The SQL of ECS services: each stored whole (service_document) under its cluster and name.
// Callers run inside a transaction.
class ServiceStore {
  public:
    explicit ServiceStore(Database& database);

    void put(const Scope& scope, const ServiceRecord& service);
    std::optional<ServiceRecord> find(const Scope& scope, std::string_view cluster_arn,
                                      std::string_view name);
    // Service ARNs of a cluster (ACTIVE and DRAINING) by name after `after`, at most `limit`;
    // `launch_type` empty: any.
    std::vector<std::string> list_arns(const Scope& scope, std::string_view cluster_arn,
                                       std::string_view launch_type, std::string_view after,
                                       std::size_t limit);
    // (ACTIVE, DRAINING) services of a cluster.
    std::pair<std::int64_t, std::int64_t> active_and_draining(const Scope& scope,
                                                              std::string_view cluster_arn);
    // Every service of every scope that is not INACTIVE: the scheduler's work after a start.
    std::vector<std::pair<Scope, ServiceRecord>> all_live();
    // INACTIVE services are forgotten some time after they were deleted.
    void remove(const Scope& scope, std::string_view cluster_arn, std::string_view name);

  private:
    Database& database_;
};

}  // namespace awsemu::ecs
