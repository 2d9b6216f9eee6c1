#include <algorithm>

#include "emulator/dispatcher.hpp"
#include "emulator/runtime/time_format.hpp"
#include "services/s3/lifecycle_rules.hpp"
#include "services/s3/s3_service.hpp"

// Lifecycle rules applied on the emulated clock. S3 runs lifecycle once a day, acting on what
// fell due by midnight UTC; awsemu sweeps every bucket that has rules at each emulated midnight
// UTC and once at start (what fell due while the server was down).
namespace awsemu::s3 {
namespace {

struct Expirations {
    std::vector<std::string> current;  // keys
    // Key and version id: delete markers with no version left behind them, noncurrent versions.
    std::vector<std::pair<std::string, std::string>> lone_markers;
    std::vector<std::pair<std::string, std::string>> noncurrent;
};

bool current_due(const LifecycleRule& rule, const ObjectVersion& object, TimePoint at) {
    const TimePoint created = from_epoch_ms(object.last_modified_ms);
    return (rule.expiration_days && at >= lifecycle_due(created, *rule.expiration_days)) ||
           (rule.expiration_date && at >= *rule.expiration_date);
}

// What the rules expire among one key's versions (newest first). A noncurrent version's days
// count from the moment it became noncurrent: when the next newer version was written.
void judge_key(const std::vector<LifecycleRule>& rules, const std::vector<ObjectVersion>& versions,
               TimePoint at, Expirations& out) {
    const ObjectVersion& latest = versions.front();
    for (const auto& rule : rules) {
        if (!rule.enabled) {
            continue;
        }
        if (!latest.delete_marker && rule.filter.matches(latest.key, latest.size, latest.tags) &&
            current_due(rule, latest, at)) {
            out.current.push_back(latest.key);
            break;
        }
        if (latest.delete_marker && versions.size() == 1 && rule.expired_object_delete_marker &&
            rule.filter.matches(latest.key, 0, nlohmann::json::object())) {
            out.lone_markers.emplace_back(latest.key, latest.version_id);
            break;
        }
    }
    for (std::size_t i = 1; i < versions.size(); ++i) {
        const ObjectVersion& version = versions[i];
        const TimePoint noncurrent_since = from_epoch_ms(versions[i - 1].last_modified_ms);
        const std::size_t newer_noncurrent = i - 1;
        const bool expires = std::any_of(rules.begin(), rules.end(), [&](const auto& rule) {
            return rule.enabled && rule.noncurrent_days &&
                   rule.filter.matches(version.key, version.size, version.tags) &&
                   at >= lifecycle_due(noncurrent_since, *rule.noncurrent_days) &&
                   newer_noncurrent >=
                       static_cast<std::size_t>(rule.newer_noncurrent_versions.value_or(0));
        });
        if (expires) {
            out.noncurrent.emplace_back(version.key, version.version_id);
        }
    }
}

}  // namespace

void S3Service::start_lifecycle() {
    scheduler_.post([this] { run_lifecycle(clock_.now()); });
    schedule_lifecycle();
}

void S3Service::schedule_lifecycle() {
    const TimePoint midnight = next_midnight_utc(clock_.now());
    scheduler_.at(midnight, [this, midnight] {
        // A scaled clock's timer may fire a hair before the moment it was set for.
        run_lifecycle(std::max(clock_.now(), midnight));
        schedule_lifecycle();
    });
}

void S3Service::run_lifecycle(TimePoint at) {
    auto transaction = db_.transaction();
    for (const auto& [bucket, document] : store_.buckets_with_config("lifecycle")) {
        try {
            apply_lifecycle(bucket, parse_lifecycle_configuration(document), at);
        } catch (const AwsError&) {
            // Stored before awsemu validated lifecycle rules; nothing to apply.
        }
    }
    transaction.commit();
}

void S3Service::apply_lifecycle(const Bucket& bucket, const std::vector<LifecycleRule>& rules,
                                TimePoint at) {
    Expirations due;
    store_.for_each_key_versions(bucket.name, [&](const std::vector<ObjectVersion>& versions) {
        judge_key(rules, versions, at, due);
    });
    // The events name S3 itself as the actor, as AWS's lifecycle events do.
    const RequestContext ctx{
        Scope{bucket.account_id, bucket.region}, new_request_id(), "", "", "", &clock_};
    HttpRequest request;
    request.remote_address = "s3.amazonaws.com";
    for (const auto& key : due.current) {
        const S3Call call{ctx, request, S3Target{bucket.name, key}};
        delete_current(call, bucket, "LifecycleExpiration:Delete",
                       "LifecycleExpiration:DeleteMarkerCreated");
    }
    due.noncurrent.insert(due.noncurrent.end(), due.lone_markers.begin(), due.lone_markers.end());
    for (const auto& [key, version_id] : due.noncurrent) {
        const S3Call call{ctx, request, S3Target{bucket.name, key}};
        if (const auto removed = store_.delete_version(bucket.name, key, version_id)) {
            discard_later(*removed);
            notify(call, bucket, "LifecycleExpiration:Delete", key, &*removed);
        }
    }
    for (const auto& upload : store_.uploads_of(bucket.name, "")) {
        const TimePoint started = from_epoch_ms(upload.created_ms);
        const bool abandoned = std::any_of(rules.begin(), rules.end(), [&](const auto& rule) {
            return rule.enabled && rule.abort_incomplete_upload_days &&
                   upload.key.starts_with(rule.filter.prefix) &&
                   at >= lifecycle_due(started, *rule.abort_incomplete_upload_days);
        });
        if (abandoned) {
            discard_upload(upload.upload_id);
        }
    }
}

}  // namespace awsemu::s3
