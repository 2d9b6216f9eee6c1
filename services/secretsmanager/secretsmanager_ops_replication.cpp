// Replication to other regions of the same account: a replica is a read-only copy of the
// secret (same name, same ARN suffix, the replica region in its ARN) whose versions, labels,
// tags and settings follow the primary's on every change; reads work on it, writes answer
// InvalidRequestException until StopReplicationToReplica promotes it to a standalone secret.
#include <algorithm>

#include "services/secretsmanager/secretsmanager_errors.hpp"
#include "services/secretsmanager/secretsmanager_input.hpp"
#include "services/secretsmanager/secretsmanager_service.hpp"

namespace awsemu::secretsmanager {
namespace {

constexpr std::string_view kDefaultReplicaKey = "alias/aws/secretsmanager";

struct ReplicaRequest {
    std::string region;
    std::optional<std::string> kms_key_id;
};

// ^([a-z]+-)+\d+$ by hand: libstdc++'s std::regex recurses once per character, so a long
// client-sent value could exhaust the stack.
bool is_region_name(std::string_view region) {
    const auto digits = region.find_last_not_of("0123456789");
    if (digits == std::string_view::npos || digits + 1 == region.size() || region[digits] != '-') {
        return false;
    }
    bool letter_seen = false;
    for (const char c : region.substr(0, digits + 1)) {
        if (c >= 'a' && c <= 'z') {
            letter_seen = true;
        } else if (c == '-' && letter_seen) {
            letter_seen = false;
        } else {
            return false;
        }
    }
    return true;
}

std::vector<ReplicaRequest> replica_requests(const nlohmann::json& list) {
    if (!list.is_array()) {
        throw_wrong_type("AddReplicaRegions", "a list");
    }
    std::vector<ReplicaRequest> requests;
    ConstraintCheck check;
    if (list.empty()) {
        check.add(
            "Value at 'addReplicaRegions' failed to satisfy constraint: Member must have "
            "length greater than or equal to 1");
    }
    std::size_t index = 0;
    for (const auto& item : list) {
        ++index;
        if (!item.is_object()) {
            throw_wrong_type("AddReplicaRegions", "a structure");
        }
        const std::string path = "addReplicaRegions." + std::to_string(index) + ".member";
        ReplicaRequest request;
        if (const auto region = item.find("Region"); region != item.end() && !region->is_null()) {
            if (!region->is_string()) {
                throw_wrong_type("Region", "a string");
            }
            request.region = region->get<std::string>();
        }
        if (const auto key = item.find("KmsKeyId"); key != item.end() && !key->is_null()) {
            if (!key->is_string()) {
                throw_wrong_type("KmsKeyId", "a string");
            }
            request.kms_key_id = key->get<std::string>();
        }
        check.length(path + ".region", request.region, 1, 128);
        check.pattern(path + ".region", request.region, "^([a-z]+-)+\\d+$",
                      is_region_name(request.region));
        check.length(path + ".kmsKeyId", request.kms_key_id, 0, 2048);
        requests.push_back(std::move(request));
    }
    check.check();
    return requests;
}

}  // namespace

nlohmann::json SecretsManagerService::replicate_to(const RequestContext& context, Secret& secret,
                                                   const nlohmann::json& regions,
                                                   bool force_overwrite) {
    const Scope& scope = context.scope;
    const auto requests = replica_requests(regions);
    for (const auto& request : requests) {
        if (request.region == scope.region) {
            throw AwsError(errors::InvalidParameterException, "Invalid replica region.");
        }
    }
    const std::int64_t now = to_epoch_ms(context.now());
    for (const auto& request : requests) {
        const Scope there{scope.account_id, request.region};
        store_.purge_expired(there, now);
        ReplicaStatus status{request.region,
                             request.kms_key_id.value_or(std::string(kDefaultReplicaKey)), "InSync",
                             "Replication succeeded"};
        const auto existing = store_.find_by_name(there, secret.name);
        const bool ours = existing && existing->primary_region == scope.region &&
                          existing->arn == arn_in_region(secret.arn, request.region);
        if (existing && !ours && !force_overwrite) {
            status.status = "Failed";
            status.status_message = "Replication failed: Secret name " + secret.name +
                                    " already exists in region " + request.region + ".";
        } else {
            if (existing && !ours) {
                store_.delete_secret(there, secret.name);
            }
            if (!ours) {
                Secret replica;
                replica.name = secret.name;
                replica.arn = arn_in_region(secret.arn, request.region);
                replica.kms_key_id = request.kms_key_id;
                replica.created_ms = now;
                replica.last_changed_ms = now;
                replica.primary_region = scope.region;
                store_.insert_secret(there, replica);
            }
            store_.copy_secret_contents(scope, there, secret.name);
        }
        store_.upsert_replica(scope, secret.name, status);
    }
    return replication_status_json(scope, secret);
}

nlohmann::json SecretsManagerService::replicate_secret_to_regions(const RequestContext& context,
                                                                  const Params& params) {
    const std::string secret_id = secret_id_param(params);
    const auto& regions = params.required_array("AddReplicaRegions");
    const bool force = params.optional_bool("ForceOverwriteReplicaSecret").value_or(false);
    Secret secret = require_secret(context, secret_id, Access::Write);
    auto statuses = replicate_to(context, secret, regions, force);
    return {{"ARN", secret.arn}, {"ReplicationStatus", std::move(statuses)}};
}

nlohmann::json SecretsManagerService::remove_regions_from_replication(const RequestContext& context,
                                                                      const Params& params) {
    const std::string secret_id = secret_id_param(params);
    const auto regions =
        string_list_param(params.required_array("RemoveReplicaRegions"), "RemoveReplicaRegions");
    if (regions.empty()) {
        throw AwsError(errors::ValidationException,
                       "1 validation error detected: Value at 'removeReplicaRegions' failed to "
                       "satisfy constraint: Member must have length greater than or equal to 1");
    }
    const Secret secret = require_secret(context, secret_id, Access::Write);
    const Scope& scope = context.scope;
    for (const auto& replica : store_.replicas(scope, secret.name)) {
        if (std::find(regions.begin(), regions.end(), replica.region) == regions.end()) {
            continue;
        }
        const Scope there{scope.account_id, replica.region};
        const auto copy = store_.find_by_name(there, secret.name);
        if (copy && copy->primary_region == scope.region) {
            store_.delete_secret(there, secret.name);
        }
        store_.delete_replica(scope, secret.name, replica.region);
    }
    return {{"ARN", secret.arn}, {"ReplicationStatus", replication_status_json(scope, secret)}};
}

nlohmann::json SecretsManagerService::stop_replication_to_replica(const RequestContext& context,
                                                                  const Params& params) {
    Secret secret = require_secret(context, secret_id_param(params), Access::Read);
    if (!secret.is_replica()) {
        throw AwsError(errors::InvalidRequestException,
                       "StopReplicationToReplica can only be called on a replica secret.");
    }
    const Scope primary{context.scope.account_id, *secret.primary_region};
    store_.delete_replica(primary, secret.name, context.scope.region);
    secret.primary_region.reset();
    secret.last_changed_ms = to_epoch_ms(context.now());
    store_.update_secret(context.scope, secret);
    return {{"ARN", secret.arn}};
}

}  // namespace awsemu::secretsmanager
