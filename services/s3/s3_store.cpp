#include "services/s3/s3_store.hpp"

#include <functional>
#include <optional>
#include <string_view>

#include "emulator/protocol/json_input.hpp"
#include "emulator/protocol/json_output.hpp"

namespace awsemu::s3 {
namespace {

const std::vector<std::string> kMigrations = {
    R"(
    CREATE TABLE s3_buckets (
        name TEXT PRIMARY KEY,
        account_id TEXT NOT NULL,
        region TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        versioning TEXT NOT NULL DEFAULT ''
    ) WITHOUT ROWID;
    CREATE INDEX s3_buckets_by_account ON s3_buckets (account_id, name);
    CREATE TABLE s3_bucket_configs (
        bucket TEXT NOT NULL,
        kind TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (bucket, kind)
    ) WITHOUT ROWID;
    CREATE TABLE s3_objects (
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        version_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        is_latest INTEGER NOT NULL,
        delete_marker INTEGER NOT NULL,
        size INTEGER NOT NULL,
        etag TEXT NOT NULL,
        last_modified_ms INTEGER NOT NULL,
        file TEXT NOT NULL,
        metadata TEXT NOT NULL,
        tags TEXT NOT NULL,
        PRIMARY KEY (bucket, key, version_id)
    ) WITHOUT ROWID;
    CREATE INDEX s3_objects_latest ON s3_objects (bucket, is_latest, key);
    CREATE TABLE s3_uploads (
        upload_id TEXT PRIMARY KEY,
        bucket TEXT NOT NULL,
        key TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        metadata TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX s3_uploads_by_bucket ON s3_uploads (bucket, key);
    CREATE TABLE s3_parts (
        upload_id TEXT NOT NULL,
        part_number INTEGER NOT NULL,
        size INTEGER NOT NULL,
        etag TEXT NOT NULL,
        file TEXT NOT NULL,
        last_modified_ms INTEGER NOT NULL,
        checksum TEXT NOT NULL,
        PRIMARY KEY (upload_id, part_number)
    ) WITHOUT ROWID;
    )",
    // The bytes of objects small enough to skip a payload file (object_files.hpp; file is '').
    // A table of their own keeps the objects' rows small: in a WITHOUT ROWID table the whole
    // row is the b-tree's key, and kilobytes of body per row would make every look-up deep.
    R"(
    CREATE TABLE s3_bodies (id INTEGER PRIMARY KEY, body BLOB NOT NULL);
    ALTER TABLE s3_objects ADD COLUMN body_id INTEGER;
    )",
    // Where a body of more than kRowBodyLimit bytes is in the BodyPack (body_id is then NULL).
    "ALTER TABLE s3_objects ADD COLUMN body_at INTEGER",
    // Listings read the table in key order and skip older versions: in a bucket without them
    // that is one look-up per row fewer than through this index, and every PutObject of a new
    // key saved writing an index page besides the table's.
    "DROP INDEX s3_objects_latest",
};

// Bodies up to this size stay in s3_bodies: in a row they cost no overflow page, and in the
// pack each would take a whole block.
constexpr std::size_t kRowBodyLimit = 2048;

#define AWSEMU_S3_OBJECT_COLUMNS                                                              \
    "bucket, key, version_id, is_latest, delete_marker, size, etag, last_modified_ms, file, " \
    "metadata, tags, body_at"

// Only find_object reads a row's inline body (column 12), for the object it answers; a packed
// one the store reads from the pack.
ObjectVersion read_object(const Query& q, bool with_body = false) {
    ObjectVersion o;
    o.bucket = q.text(0);
    o.key = q.text(1);
    o.version_id = q.text(2);
    o.is_latest = q.integer(3) != 0;
    o.delete_marker = q.integer(4) != 0;
    o.size = q.integer(5);
    o.etag = q.text(6);
    o.last_modified_ms = q.integer(7);
    o.file = q.text(8);
    o.metadata = parse_json_input(q.text(9));
    o.tags = parse_json_input(q.text(10));
    if (const auto at = q.optional_integer(11)) {
        o.packed_at = static_cast<std::uint64_t>(*at);
    }
    if (with_body && !o.packed_at) {
        o.body = q.text(12);
    }
    return o;
}

Bucket read_bucket(const Query& q) {
    return Bucket{q.text(0), q.text(1), q.text(2), q.integer(3), q.text(4)};
}

Upload read_upload(const Query& q) {
    return Upload{q.text(0), q.text(1), q.text(2), q.integer(3), parse_json_input(q.text(4))};
}

}  // namespace

S3Store::S3Store(Database& database, const std::string& pack_path)
    : db_(database),
      buckets_(database),
      configs_(database),
      pack_(pack_path),
      flush_pack_before_commits_(db_.before_every_commit([this] { pack_.flush(); })) {
    auto transaction = db_.transaction();
    db_.migrate("s3", kMigrations);
    transaction.commit();
}

std::optional<PackedBody> ObjectVersion::packed_body() const {
    if (!packed_at) {
        return std::nullopt;
    }
    return PackedBody{*packed_at, static_cast<std::uint64_t>(size)};
}

std::vector<std::uint64_t> ObjectVersion::part_sizes() const {
    std::vector<std::uint64_t> sizes;
    const auto found = metadata.find("PartSizes");
    if (found != metadata.end() && found->is_array()) {
        for (const auto& size : *found) {
            sizes.push_back(size.get<std::uint64_t>());
        }
    }
    return sizes;
}

std::optional<Bucket> S3Store::find_bucket(const std::string& name) {
    if (const Bucket* cached = buckets_.find(name)) {
        return *cached;
    }
    auto q = db_.query(
        "SELECT name, account_id, region, created_ms, versioning FROM s3_buckets WHERE name = ?",
        name);
    if (!q.next()) {
        return std::nullopt;
    }
    Bucket bucket = read_bucket(q);
    buckets_.remember(name, bucket);
    return bucket;
}

void S3Store::insert_bucket(const Bucket& b) {
    buckets_.clear();
    db_.execute(
        "INSERT INTO s3_buckets (name, account_id, region, created_ms, versioning) "
        "VALUES (?, ?, ?, ?, ?)",
        b.name, b.account_id, b.region, b.created_ms, b.versioning);
}

void S3Store::delete_bucket(const std::string& name) {
    buckets_.clear();
    configs_.clear();
    db_.execute("DELETE FROM s3_bucket_configs WHERE bucket = ?", name);
    db_.execute("DELETE FROM s3_buckets WHERE name = ?", name);
}

std::vector<Bucket> S3Store::buckets_of(const std::string& account_id) {
    auto q = db_.query(
        "SELECT name, account_id, region, created_ms, versioning FROM s3_buckets "
        "WHERE account_id = ? ORDER BY name",
        account_id);
    std::vector<Bucket> buckets;
    while (q.next()) {
        buckets.push_back(read_bucket(q));
    }
    return buckets;
}

std::vector<std::pair<Bucket, std::string>> S3Store::buckets_with_config(const std::string& kind) {
    auto q = db_.query(
        "SELECT b.name, b.account_id, b.region, b.created_ms, b.versioning, c.document "
        "FROM s3_buckets b JOIN s3_bucket_configs c ON c.bucket = b.name WHERE c.kind = ? "
        "ORDER BY b.name",
        kind);
    std::vector<std::pair<Bucket, std::string>> buckets;
    while (q.next()) {
        buckets.emplace_back(read_bucket(q), q.text(5));
    }
    return buckets;
}

void S3Store::set_versioning(const std::string& bucket, const std::string& status) {
    buckets_.clear();
    db_.execute("UPDATE s3_buckets SET versioning = ? WHERE name = ?", status, bucket);
}

bool S3Store::bucket_has_objects(const std::string& bucket) {
    auto q = db_.query(
        "SELECT EXISTS (SELECT 1 FROM s3_objects WHERE bucket = ?) OR "
        "EXISTS (SELECT 1 FROM s3_uploads WHERE bucket = ?)",
        bucket, bucket);
    q.next();
    return q.integer(0) != 0;
}

std::optional<std::string> S3Store::config(const std::string& bucket, const std::string& kind) {
    const std::string cache_key = RowCache<Bucket>::key(bucket, kind);
    if (const auto* cached = configs_.find(cache_key)) {
        return *cached;
    }
    auto q = db_.query("SELECT document FROM s3_bucket_configs WHERE bucket = ? AND kind = ?",
                       bucket, kind);
    std::optional<std::string> document;
    if (q.next()) {
        document = q.text(0);
    }
    configs_.remember(cache_key, document);
    return document;
}

void S3Store::set_config(const std::string& bucket, const std::string& kind,
                         const std::string& doc) {
    configs_.clear();
    db_.execute(
        "INSERT OR REPLACE INTO s3_bucket_configs (bucket, kind, document) VALUES (?, ?, ?)",
        bucket, kind, doc);
}

void S3Store::delete_config(const std::string& bucket, const std::string& kind) {
    configs_.clear();
    db_.execute("DELETE FROM s3_bucket_configs WHERE bucket = ? AND kind = ?", bucket, kind);
}

std::optional<ObjectVersion> S3Store::find_object(const std::string& bucket, const std::string& key,
                                                  const std::optional<std::string>& version_id) {
    auto q = version_id ? db_.query("SELECT " AWSEMU_S3_OBJECT_COLUMNS
                                    ", (SELECT body FROM s3_bodies WHERE id = body_id) "
                                    "FROM s3_objects WHERE bucket = ? AND key = ? "
                                    "AND version_id = ?",
                                    bucket, key, *version_id)
                        : db_.query("SELECT " AWSEMU_S3_OBJECT_COLUMNS
                                    ", (SELECT body FROM s3_bodies WHERE id = body_id) "
                                    "FROM s3_objects WHERE bucket = ? AND key = ? "
                                    "AND is_latest = 1",
                                    bucket, key);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_object(q, /*with_body=*/true);
}

std::string S3Store::body_of(const ObjectVersion& object) const {
    const auto packed = object.packed_body();
    return packed ? pack_.read(*packed) : object.body;
}

ObsoletePayloads S3Store::put_object(const Bucket& bucket, const ObjectVersion& o) {
    const bool versioned = !bucket.versioning.empty();
    // A bucket that never had versioning holds one version of a key, the "null" one, which a
    // write replaces: no other row can be the latest.
    if (versioned) {
        db_.execute(
            "UPDATE s3_objects SET is_latest = 0 WHERE bucket = ? AND key = ? AND is_latest = 1",
            o.bucket, o.key);
    }
    std::optional<std::int64_t> body_id;
    std::optional<std::int64_t> body_at;
    if (o.body.size() > kRowBodyLimit) {
        body_at = static_cast<std::int64_t>(pack_.append(o.body));
        if (!db_.in_transaction()) {
            pack_.flush();  // the row commits on its own
        }
    } else if (!o.body.empty()) {
        db_.execute("INSERT INTO s3_bodies (body) VALUES (?)", Blob{o.body});
        body_id = db_.last_insert_rowid();
    }
    // seq orders a key's versions. In a bucket that never had versioning a key has one, so 1
    // will do, and spares a look-up of the largest; versions written once versioning is on
    // still come after it.
    std::int64_t seq = 1;
    if (versioned) {
        auto q = db_.query(
            "SELECT coalesce(max(seq), 0) + 1 FROM s3_objects WHERE bucket = ? "
            "AND key = ?",
            o.bucket, o.key);
        q.next();
        seq = q.integer(0);
    }
    const std::string metadata = to_json_text(o.metadata);
    const std::string tags = to_json_text(o.tags);
    const auto write_row = [&](std::string_view sql) {
        return db_.execute(sql, o.bucket, o.key, o.version_id, seq, o.delete_marker, o.size, o.etag,
                           o.last_modified_ms, o.file, metadata, tags, body_id, body_at);
    };
#define AWSEMU_S3_OBJECT_ROW                                                                \
    "INTO s3_objects (bucket, key, version_id, seq, is_latest, delete_marker, size, etag, " \
    "last_modified_ms, file, metadata, tags, body_id, body_at) "                            \
    "VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    // Most writes add a row (a new key, or a new version): one statement, no look-up first.
    if (write_row("INSERT " AWSEMU_S3_OBJECT_ROW " ON CONFLICT DO NOTHING") == 1) {
        return {};
    }
    // The version is there already (a key's "null" version): the new row replaces it, and
    // its payload goes once that is committed.
    ObsoletePayloads replaced;
    {
        auto q = db_.query(
            "SELECT file, body_id, body_at, size FROM s3_objects WHERE bucket = ? AND key = ? "
            "AND version_id = ?",
            o.bucket, o.key, o.version_id);
        if (q.next()) {
            if (!q.text(0).empty()) {
                replaced.files.push_back(q.text(0));
            }
            if (const auto old_body_id = q.optional_integer(1)) {
                db_.execute("DELETE FROM s3_bodies WHERE id = ?", *old_body_id);
            }
            if (const auto at = q.optional_integer(2)) {
                replaced.bodies.push_back(PackedBody{static_cast<std::uint64_t>(*at),
                                                     static_cast<std::uint64_t>(q.integer(3))});
            }
        }
    }
    write_row("INSERT OR REPLACE " AWSEMU_S3_OBJECT_ROW);
#undef AWSEMU_S3_OBJECT_ROW
    return replaced;
}

std::optional<ObjectVersion> S3Store::delete_version(const std::string& bucket,
                                                     const std::string& key,
                                                     const std::string& version_id) {
    auto existing = find_object(bucket, key, version_id);
    if (!existing) {
        return std::nullopt;
    }
    db_.execute(
        "DELETE FROM s3_bodies WHERE id = (SELECT body_id FROM s3_objects WHERE bucket = ? AND "
        "key = ? AND version_id = ?)",
        bucket, key, version_id);
    db_.execute("DELETE FROM s3_objects WHERE bucket = ? AND key = ? AND version_id = ?", bucket,
                key, version_id);
    if (existing->is_latest) {
        // The newest remaining version becomes the latest.
        db_.execute(
            "UPDATE s3_objects SET is_latest = 1 WHERE bucket = ? AND key = ? AND seq = "
            "(SELECT max(seq) FROM s3_objects WHERE bucket = ? AND key = ?)",
            bucket, key, bucket, key);
    }
    return existing;
}

void S3Store::set_tags(const ObjectVersion& o, const nlohmann::json& tags) {
    db_.execute("UPDATE s3_objects SET tags = ? WHERE bucket = ? AND key = ? AND version_id = ?",
                to_json_text(tags), o.bucket, o.key, o.version_id);
}

namespace {

// The keys a listing reads, as bounds on the primary key's order: those past `after` that start
// with `prefix`. (Checking the prefix row by row instead would read from `after` to the bucket's
// end whatever the prefix.) `before` unset: no key is too large.
struct KeyRange {
    std::string from;
    bool from_included = false;
    std::optional<std::string> before;
};

KeyRange key_range(const std::string& prefix, const std::string& after) {
    KeyRange range;
    if (after < prefix) {
        range.from = prefix;
        range.from_included = true;
    } else {
        range.from = after;
    }
    // The least string above every key that starts with the prefix: its last byte that is not
    // 0xff, one higher. (Keys compare as bytes: SQLite's BINARY collation.)
    std::string limit = prefix;
    while (!limit.empty() && static_cast<unsigned char>(limit.back()) == 0xff) {
        limit.pop_back();
    }
    if (!limit.empty()) {
        limit.back() = static_cast<char>(static_cast<unsigned char>(limit.back()) + 1);
        range.before = std::move(limit);
    }
    return range;
}

// Runs `select` + " WHERE bucket = ? AND " + `terms` + the range's terms + `order`, with the
// bucket, the range's bounds and the limit bound.
Query query_range(Database& db, std::string_view select, std::string_view terms,
                  const KeyRange& range, std::string_view order, const std::string& bucket,
                  int limit) {
    std::string sql = std::string(select) + " WHERE bucket = ? AND " + std::string(terms) +
                      (range.from_included ? "key >= ?" : "key > ?") +
                      (range.before ? " AND key < ? " : " ") + std::string(order) + " LIMIT ?";
    return range.before ? db.query(sql, bucket, range.from, *range.before, limit)
                        : db.query(sql, bucket, range.from, limit);
}

}  // namespace

std::vector<ObjectVersion> S3Store::list_latest(const std::string& bucket,
                                                const std::string& prefix, const std::string& after,
                                                int limit) {
    auto q = query_range(db_, "SELECT " AWSEMU_S3_OBJECT_COLUMNS " FROM s3_objects",
                         "is_latest = 1 AND delete_marker = 0 AND ", key_range(prefix, after),
                         "ORDER BY key", bucket, limit);
    std::vector<ObjectVersion> objects;
    while (q.next()) {
        objects.push_back(read_object(q));
    }
    return objects;
}

std::vector<ObjectVersion> S3Store::list_versions(const std::string& bucket,
                                                  const std::string& prefix,
                                                  const std::string& after_key,
                                                  const std::optional<std::string>& after_version,
                                                  int limit) {
    std::vector<ObjectVersion> objects;
    if (after_version && after_key.starts_with(prefix)) {
        auto q = db_.query("SELECT " AWSEMU_S3_OBJECT_COLUMNS
                           " FROM s3_objects WHERE bucket = ? AND key = ? AND seq < coalesce("
                           "(SELECT seq FROM s3_objects WHERE bucket = ? AND key = ? AND "
                           "version_id = ?), 9223372036854775807) ORDER BY seq DESC LIMIT ?",
                           bucket, after_key, bucket, after_key, *after_version, limit);
        while (q.next()) {
            objects.push_back(read_object(q));
        }
    }
    const int rest = limit - static_cast<int>(objects.size());
    if (rest > 0) {
        auto q = query_range(db_, "SELECT " AWSEMU_S3_OBJECT_COLUMNS " FROM s3_objects", "",
                             key_range(prefix, after_key), "ORDER BY key, seq DESC", bucket, rest);
        while (q.next()) {
            objects.push_back(read_object(q));
        }
    }
    return objects;
}

void S3Store::for_each_key_versions(const std::string& bucket,
                                    const std::function<void(std::vector<ObjectVersion>&)>& visit) {
    auto q = db_.query("SELECT " AWSEMU_S3_OBJECT_COLUMNS
                       " FROM s3_objects WHERE bucket = ? ORDER BY key, seq DESC",
                       bucket);
    std::vector<ObjectVersion> versions;
    while (q.next()) {
        ObjectVersion version = read_object(q);
        if (!versions.empty() && versions.front().key != version.key) {
            visit(versions);
            versions.clear();
        }
        versions.push_back(std::move(version));
    }
    if (!versions.empty()) {
        visit(versions);
    }
}

void S3Store::insert_upload(const Upload& u) {
    db_.execute(
        "INSERT INTO s3_uploads (upload_id, bucket, key, created_ms, metadata) "
        "VALUES (?, ?, ?, ?, ?)",
        u.upload_id, u.bucket, u.key, u.created_ms, to_json_text(u.metadata));
}

std::optional<Upload> S3Store::find_upload(const std::string& upload_id) {
    auto q = db_.query(
        "SELECT upload_id, bucket, key, created_ms, metadata FROM s3_uploads "
        "WHERE upload_id = ?",
        upload_id);
    if (!q.next()) {
        return std::nullopt;
    }
    return read_upload(q);
}

void S3Store::delete_upload(const std::string& upload_id) {
    db_.execute("DELETE FROM s3_parts WHERE upload_id = ?", upload_id);
    db_.execute("DELETE FROM s3_uploads WHERE upload_id = ?", upload_id);
}

std::vector<Upload> S3Store::uploads_of(const std::string& bucket, const std::string& prefix) {
    auto q = query_range(db_, "SELECT upload_id, bucket, key, created_ms, metadata FROM s3_uploads",
                         "", key_range(prefix, ""), "ORDER BY key, created_ms, upload_id", bucket,
                         -1);  // no limit
    std::vector<Upload> uploads;
    while (q.next()) {
        uploads.push_back(read_upload(q));
    }
    return uploads;
}

std::optional<std::string> S3Store::put_part(const std::string& upload_id, const Part& p) {
    std::optional<std::string> replaced;
    {
        auto q = db_.query("SELECT file FROM s3_parts WHERE upload_id = ? AND part_number = ?",
                           upload_id, p.number);
        if (q.next()) {
            replaced = q.text(0);
        }
    }
    db_.execute(
        "INSERT OR REPLACE INTO s3_parts (upload_id, part_number, size, etag, file, "
        "last_modified_ms, checksum) VALUES (?, ?, ?, ?, ?, ?, ?)",
        upload_id, p.number, p.size, p.etag, p.file, p.last_modified_ms, to_json_text(p.checksum));
    return replaced;
}

std::vector<Part> S3Store::parts_of(const std::string& upload_id) {
    auto q = db_.query(
        "SELECT part_number, size, etag, file, last_modified_ms, checksum FROM s3_parts "
        "WHERE upload_id = ? ORDER BY part_number",
        upload_id);
    std::vector<Part> parts;
    while (q.next()) {
        parts.push_back(Part{static_cast<int>(q.integer(0)), q.integer(1), q.text(2), q.text(3),
                             q.integer(4), parse_json_input(q.text(5))});
    }
    return parts;
}

void S3Store::release(const PackedBody& body) {
    pack_.release(body);
}

void S3Store::release_unreferenced_bodies() {
    auto q = db_.query(
        "SELECT body_at, size FROM s3_objects WHERE body_at IS NOT NULL ORDER BY body_at");
    std::vector<PackedBody> live;
    while (q.next()) {
        live.push_back(PackedBody{static_cast<std::uint64_t>(q.integer(0)),
                                  static_cast<std::uint64_t>(q.integer(1))});
    }
    pack_.keep_only(live);
}

std::vector<std::string> S3Store::referenced_files() {
    auto q =
        db_.query("SELECT file FROM s3_objects WHERE file != '' UNION SELECT file FROM s3_parts");
    std::vector<std::string> files;
    while (q.next()) {
        files.push_back(q.text(0));
    }
    return files;
}

}  // namespace awsemu::s3
