#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/runtime/clock.hpp"

// A bucket's LifecycleConfiguration as rules awsemu applies on the emulated clock: expiration
// of current versions (Days or Date), of expired delete markers, of noncurrent versions, and of
// incomplete multipart uploads. Transitions are accepted and stored, not applied (there is one
// storage tier here).
namespace awsemu::s3 {

struct LifecycleFilter {
    std::string prefix;
    std::vector<std::pair<std::string, std::string>> tags;  // every one must be on the object
    std::optional<std::int64_t> size_greater_than;
    std::optional<std::int64_t> size_less_than;

    // `tags`: the object's tags as stored, {"key": "value", ...}.
    bool matches(std::string_view key, std::int64_t size, const nlohmann::json& tags) const;
    // Whether the filter looks at anything but the key (AWS forbids ExpiredObjectDeleteMarker
    // with tag filters: delete markers carry no tags).
    bool has_tags() const { return !tags.empty(); }
};

struct LifecycleRule {
    std::string id;
    bool enabled = false;
    LifecycleFilter filter;
    std::optional<int> expiration_days;
    std::optional<TimePoint> expiration_date;
    bool expired_object_delete_marker = false;
    std::optional<int> noncurrent_days;
    std::optional<int> newer_noncurrent_versions;
    std::optional<int> abort_incomplete_upload_days;
};

// Parses and validates a PutBucketLifecycleConfiguration body; throws S3's errors
// (MalformedXML, InvalidArgument, InvalidRequest) with AWS's messages.
std::vector<LifecycleRule> parse_lifecycle_configuration(std::string_view document);

// The first midnight UTC after `t`.
TimePoint next_midnight_utc(TimePoint t);
// When an action of `days` days counted from `since` falls due: S3 adds the days and rounds up
// to the next midnight UTC.
TimePoint lifecycle_due(TimePoint since, int days);

}  // namespace awsemu::s3
