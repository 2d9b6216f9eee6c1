#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "emulator/service.hpp"
#include "emulator/store/database.hpp"
#include "emulator/store/row_cache.hpp"
#include "services/s3/body_pack.hpp"

namespace awsemu::s3 {

struct Bucket {
    std::string name;
    std::string account_id;
    std::string region;
    std::int64_t created_ms = 0;
    std::string versioning;  // "", "Enabled" or "Suspended"
};

// One version of an object (or a delete marker). Non-versioned buckets keep one "null" version.
struct ObjectVersion {
    std::string bucket;
    std::string key;
    std::string version_id = "null";
    bool is_latest = true;
    bool delete_marker = false;
    std::int64_t size = 0;
    std::string etag;  // quoted, as on the wire
    std::int64_t last_modified_ms = 0;
    std::string file;  // payload file name under the data directory; empty for markers
    // The bytes when they are inline (file empty) in a row; read by find_object only.
    std::string body;
    std::optional<std::uint64_t> packed_at;  // where an inline body is in the BodyPack instead
    nlohmann::json metadata = nlohmann::json::object();  // content headers, user metadata, ...
    nlohmann::json tags = nlohmann::json::object();

    // A multipart object's part sizes, in the order of its payload files; empty for any other.
    std::vector<std::uint64_t> part_sizes() const;
    // Its body's place in the BodyPack, when it is there.
    std::optional<PackedBody> packed_body() const;
};

// What no row names any more once the current transaction commits: the caller deletes the
// payload files and releases the packed bodies then, not before (a rollback names them again).
struct ObsoletePayloads {
    std::vector<std::string> files;
    std::vector<PackedBody> bodies;
};

struct Upload {
    std::string upload_id;
    std::string bucket;
    std::string key;
    std::int64_t created_ms = 0;
    nlohmann::json metadata = nlohmann::json::object();
};

struct Part {
    int number = 0;
    std::int64_t size = 0;
    std::string etag;  // quoted
    std::string file;
    std::int64_t last_modified_ms = 0;
    nlohmann::json checksum = nlohmann::json::object();
};

// All of S3's SQL. Bucket names are one namespace across accounts and regions, as on AWS, so
// buckets are keyed by name (and carry their account and region); everything else by bucket.
class S3Store {
  public:
    // `pack_path`: the BodyPack of the state directory's small bodies.
    S3Store(Database& database, const std::string& pack_path);

    std::optional<Bucket> find_bucket(const std::string& name);
    void insert_bucket(const Bucket& bucket);
    void delete_bucket(const std::string& name);
    std::vector<Bucket> buckets_of(const std::string& account_id);
    // Buckets with a configuration of `kind`, each with the document.
    std::vector<std::pair<Bucket, std::string>> buckets_with_config(const std::string& kind);
    void set_versioning(const std::string& bucket, const std::string& status);
    bool bucket_has_objects(const std::string& bucket);

    std::optional<std::string> config(const std::string& bucket, const std::string& kind);
    void set_config(const std::string& bucket, const std::string& kind, const std::string& doc);
    void delete_config(const std::string& bucket, const std::string& kind);

    // The latest version, or the given one; includes delete markers. A body in the pack is
    // not read: body_of() reads it.
    std::optional<ObjectVersion> find_object(const std::string& bucket, const std::string& key,
                                             const std::optional<std::string>& version_id);
    // Stores a new latest version (its inline body into a row or the pack); answers the
    // payloads of the version it replaced (the "null" version in an unversioned or suspended
    // bucket).
    ObsoletePayloads put_object(const Bucket& bucket, const ObjectVersion& object);
    // An inline body (in a row or the pack) of a version find_object answered.
    std::string body_of(const ObjectVersion& object) const;
    // Removes one version; answers it (its payloads, which the caller discards after commit).
    std::optional<ObjectVersion> delete_version(const std::string& bucket, const std::string& key,
                                                const std::string& version_id);
    void set_tags(const ObjectVersion& object, const nlohmann::json& tags);
    // Latest, non-deleted objects with keys after `after` (in key order), starting with prefix.
    std::vector<ObjectVersion> list_latest(const std::string& bucket, const std::string& prefix,
                                           const std::string& after, int limit);
    // Every version and marker, keys in order and newest first within a key: those of keys
    // after `after_key` that start with `prefix`, preceded, with `after_version`, by the
    // versions of `after_key` older than that one (a page that ended inside a key), or by all
    // of them when that version is gone (deleted since): some may come again, none is lost.
    std::vector<ObjectVersion> list_versions(const std::string& bucket, const std::string& prefix,
                                             const std::string& after_key,
                                             const std::optional<std::string>& after_version,
                                             int limit);

    // Every key's versions and markers, newest first, one key at a time in key order. `visit`
    // must not write to the bucket's objects: the rows are read as it runs.
    void for_each_key_versions(const std::string& bucket,
                               const std::function<void(std::vector<ObjectVersion>&)>& visit);

    void insert_upload(const Upload& upload);
    std::optional<Upload> find_upload(const std::string& upload_id);
    void delete_upload(const std::string& upload_id);
    std::vector<Upload> uploads_of(const std::string& bucket, const std::string& prefix);
    // Answers the file of a part it replaced, if any.
    std::optional<std::string> put_part(const std::string& upload_id, const Part& part);
    std::vector<Part> parts_of(const std::string& upload_id);

    // Every payload file some row refers to, for the clean-up at start.
    std::vector<std::string> referenced_files();
    // Gives a packed body's blocks back (after the commit that stopped naming it).
    void release(const PackedBody& body);
    // At start: releases the pack's blocks no row names (left by a crash).
    void release_unreferenced_bodies();

  private:
    Database& db_;
    // Every object request reads its bucket, and every write its notification configuration.
    RowCache<Bucket> buckets_;                      // by name
    RowCache<std::optional<std::string>> configs_;  // by bucket and kind; absent ones too
    BodyPack pack_;
    std::shared_ptr<void> flush_pack_before_commits_;  // after pack_: goes first
};

}  // namespace awsemu::s3
