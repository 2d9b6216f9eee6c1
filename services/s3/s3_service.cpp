#include "services/s3/s3_service.hpp"

#include <array>

#include "emulator/auth/crypto.hpp"
#include "emulator/protocol/utf8.hpp"
#include "emulator/runtime/time_format.hpp"
#include "services/s3/s3_errors.hpp"

namespace awsemu::s3 {
namespace {

enum class Level { Service, Bucket, Object };

// One row of the route table: the first row whose method, level, sub-resource and header
// match names the operation. Rows go from the most specific to the least, as MinIO's do.
struct S3Route {
    std::string_view method;  // "*": any
    Level level;
    std::string_view query;   // a sub-resource or parameter that must be present, or ""
    std::string_view header;  // a header that must be present, or ""
    std::string_view operation;
    HttpResponse (S3Service::*handler)(const S3Call&);
};

// Bucket sub-resources awsemu keeps as documents (get/put/delete the stored XML).
constexpr std::array<std::string_view, 13> kConfigKinds = {
    "tagging",           "policy",  "cors",         "lifecycle",
    "encryption",        "website", "notification", "publicAccessBlock",
    "ownershipControls", "logging", "accelerate",   "requestPayment",
    "replication"};

// Sub-resources S3's model defines that awsemu does not emulate. Each gets a row answering
// NotImplemented whatever the method: without one, a DELETE ?metrics reached DeleteBucket and a
// PUT ?renameObject PutObject.
constexpr std::array<std::string_view, 11> kUnemulatedBucketParts = {"abac",
                                                                     "analytics",
                                                                     "intelligent-tiering",
                                                                     "inventory",
                                                                     "metadataTable",
                                                                     "metadataConfiguration",
                                                                     "metadataInventoryTable",
                                                                     "metadataJournalTable",
                                                                     "metrics",
                                                                     "policyStatus",
                                                                     "session"};
constexpr std::array<std::string_view, 5> kUnemulatedObjectParts = {"encryption", "renameObject",
                                                                    "restore", "select", "torrent"};

using S = S3Service;
const std::vector<S3Route>& routes() {
    static const std::vector<S3Route> kRoutes = [] {
        std::vector<S3Route> r = {
            {"GET", Level::Service, "", "", "ListBuckets", &S::list_buckets},
            {"OPTIONS", Level::Bucket, "", "", "PreflightRequest", &S::cors_preflight},
            {"OPTIONS", Level::Object, "", "", "PreflightRequest", &S::cors_preflight},
            // Objects. Every sub-resource S3 defines for objects has a row, so that none of
            // them falls through to PutObject or GetObject (a PUT ?legal-hold would overwrite
            // the object with its XML).
            {"PUT", Level::Object, "tagging", "", "PutObjectTagging", &S::put_object_tagging},
            {"PUT", Level::Object, "legal-hold", "", "PutObjectLegalHold", &S::object_lock_setting},
            {"GET", Level::Object, "legal-hold", "", "GetObjectLegalHold", &S::object_lock_setting},
            {"PUT", Level::Object, "retention", "", "PutObjectRetention", &S::object_lock_setting},
            {"GET", Level::Object, "retention", "", "GetObjectRetention", &S::object_lock_setting},
            {"GET", Level::Object, "attributes", "", "GetObjectAttributes",
             &S::get_object_attributes},
        };
        for (const auto part : kUnemulatedObjectParts) {
            r.push_back({"*", Level::Object, part, "", "NotImplemented", &S::not_emulated});
        }
        for (const auto part : kUnemulatedBucketParts) {
            r.push_back({"*", Level::Bucket, part, "", "NotImplemented", &S::not_emulated});
        }
        r.insert(
            r.end(),
            {
                {"PUT", Level::Object, "acl", "", "PutObjectAcl", &S::put_object_acl},
                {"PUT", Level::Object, "uploadId", "x-amz-copy-source", "UploadPartCopy",
                 &S::upload_part_copy},
                {"PUT", Level::Object, "uploadId", "", "UploadPart", &S::upload_part},
                {"PUT", Level::Object, "", "x-amz-copy-source", "CopyObject", &S::copy_object},
                {"PUT", Level::Object, "", "", "PutObject", &S::put_object},
                {"GET", Level::Object, "tagging", "", "GetObjectTagging", &S::get_object_tagging},
                {"GET", Level::Object, "acl", "", "GetObjectAcl", &S::get_object_acl},
                {"GET", Level::Object, "uploadId", "", "ListParts", &S::list_parts},
                {"GET", Level::Object, "", "", "GetObject", &S::get_object},
                {"HEAD", Level::Object, "", "", "HeadObject", &S::get_object},
                {"DELETE", Level::Object, "tagging", "", "DeleteObjectTagging",
                 &S::delete_object_tagging},
                {"DELETE", Level::Object, "uploadId", "", "AbortMultipartUpload",
                 &S::abort_multipart_upload},
                {"DELETE", Level::Object, "", "", "DeleteObject", &S::delete_object},
                {"POST", Level::Object, "uploads", "", "CreateMultipartUpload",
                 &S::create_multipart_upload},
                {"POST", Level::Object, "uploadId", "", "CompleteMultipartUpload",
                 &S::complete_multipart_upload},
                // Buckets
                {"PUT", Level::Bucket, "versioning", "", "PutBucketVersioning",
                 &S::put_bucket_versioning},
                {"GET", Level::Bucket, "versioning", "", "GetBucketVersioning",
                 &S::get_bucket_versioning},
                {"GET", Level::Bucket, "location", "", "GetBucketLocation",
                 &S::get_bucket_location},
                {"GET", Level::Bucket, "versions", "", "ListObjectVersions",
                 &S::list_object_versions},
                {"GET", Level::Bucket, "uploads", "", "ListMultipartUploads",
                 &S::list_multipart_uploads},
                {"POST", Level::Bucket, "delete", "", "DeleteObjects", &S::delete_objects},
            });
        for (const auto kind : kConfigKinds) {
            r.push_back(
                {"PUT", Level::Bucket, kind, "", "PutBucketConfiguration", &S::put_bucket_config});
            r.push_back(
                {"GET", Level::Bucket, kind, "", "GetBucketConfiguration", &S::get_bucket_config});
            r.push_back({"DELETE", Level::Bucket, kind, "", "DeleteBucketConfiguration",
                         &S::delete_bucket_config});
        }
        for (const auto kind : {"acl", "object-lock", "ownershipControls"}) {
            r.push_back(
                {"GET", Level::Bucket, kind, "", "GetBucketConfiguration", &S::get_bucket_config});
            r.push_back(
                {"PUT", Level::Bucket, kind, "", "PutBucketConfiguration", &S::put_bucket_config});
        }
        r.insert(r.end(), {
                              {"PUT", Level::Bucket, "", "", "CreateBucket", &S::create_bucket},
                              {"HEAD", Level::Bucket, "", "", "HeadBucket", &S::head_bucket},
                              {"DELETE", Level::Bucket, "", "", "DeleteBucket", &S::delete_bucket},
                              {"GET", Level::Bucket, "", "", "ListObjects", &S::list_objects},
                          });
        return r;
    }();
    return kRoutes;
}

// The name the log and the operation see for a configuration route: "GetBucketCors", ...
std::string config_operation_name(std::string_view generic, std::string_view kind) {
    std::string name(generic.substr(0, generic.find("Configuration")));
    std::string suffix;
    bool upper = true;
    for (const char c : kind) {
        if (c == '-') {
            upper = true;
            continue;
        }
        suffix += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
        upper = false;
    }
    return name + suffix;
}

}  // namespace

std::optional<std::string> S3Call::query(std::string_view name) const {
    if (const auto value = request.query_param(name)) {
        return std::string(*value);
    }
    return std::nullopt;
}

S3Service::S3Service(Database& database, const Clock& clock, Scheduler& scheduler,
                     std::string data_dir, std::shared_ptr<sqs::SqsApi> sqs,
                     std::shared_ptr<sns::SnsApi> sns)
    : db_(database),
      store_(database, data_dir + "/s3-bodies.pack"),
      clock_(clock),
      scheduler_(scheduler),
      data_dir_(std::move(data_dir)),
      payload_dir_(payload_dir(data_dir_)),
      sqs_(std::move(sqs)),
      sns_(std::move(sns)) {
    auto transaction = db_.transaction();
    remove_unreferenced_files(data_dir_, store_.referenced_files());
    store_.release_unreferenced_bodies();
    transaction.commit();
}

namespace {

Level level_of(const S3Target& target) {
    return target.bucket.empty() ? Level::Service
           : target.key.empty()  ? Level::Bucket
                                 : Level::Object;
}

// The route a request takes, by method, level, sub-resource and header; null for none.
const S3Route* route_for(const HttpRequest& request, Level level) {
    for (const auto& route : routes()) {
        if ((route.method == request.method || route.method == "*") && route.level == level &&
            (route.query.empty() || request.has_query_param(route.query)) &&
            (route.header.empty() || request.headers.contains(route.header))) {
            return &route;
        }
    }
    return nullptr;
}

std::string name_of(const S3Route& route) {
    return route.operation.ends_with("Configuration")
               ? config_operation_name(route.operation, route.query)
               : std::string(route.operation);
}

}  // namespace

std::string S3Service::operation_name(const HttpRequest& request) {
    const S3Route* route = route_for(request, level_of(target_of(request)));
    return route != nullptr ? name_of(*route) : request.method;
}

HttpResponse S3Service::not_emulated(const S3Call& call) {
    require_bucket(call);
    throw not_implemented();
}

HttpResponse S3Service::handle(const RequestContext& ctx, const HttpRequest& request,
                               std::string& operation_name) {
    const S3Call call{ctx, request, target_of(request)};
    // S3's keys are UTF-8; bytes that are not cannot be listed in XML either.
    if (!valid_utf8(call.target.key)) {
        operation_name = request.method;
        throw AwsError(errors::InvalidURI, "Couldn't parse the specified URI.")
            .with("URI", request.target);
    }
    const Level level = level_of(call.target);
    const S3Route* route = route_for(request, level);
    if (route == nullptr) {
        operation_name = request.method;
        throw AwsError(errors::MethodNotAllowed,
                       "The specified method is not allowed against this resource.")
            .with("Method", request.method)
            .with("ResourceType", level == Level::Object ? "OBJECT" : "BUCKET");
    }
    operation_name = name_of(*route);
    HttpResponse response = (this->*route->handler)(call);
    // A browser's actual request from an allowed origin carries the CORS headers too.
    if (const auto origin = request.headers.find("Origin");
        origin && request.method != "OPTIONS" && level != Level::Service) {
        if (const auto cors = cors_answer(call.target.bucket, std::string(*origin),
                                          request.method == "HEAD" ? "HEAD" : request.method, {})) {
            for (const auto& [name, value] : cors->headers.entries()) {
                response.headers.add(name, value);
            }
        }
    }
    return response;
}

std::shared_ptr<RequestBodySink> S3Service::body_sink_for(
    const HttpRequest& head, const std::optional<auth::ChunkSigning>& signing) {
    if (head.method != "PUT" || head.headers.contains("x-amz-copy-source") ||
        head.has_query_param("tagging") || head.has_query_param("acl")) {
        return nullptr;
    }
    if (target_of(head).key.empty()) {
        return nullptr;  // bucket sub-resources have small XML bodies
    }
    // A completed upload keeps its parts' files as its payload: parts never stay inline.
    return std::make_shared<ObjectSpool>(payload_dir_, head, signing,
                                         !head.has_query_param("uploadId"));
}

Bucket S3Service::require_bucket(const S3Call& call) {
    auto bucket = store_.find_bucket(call.target.bucket);
    if (!bucket) {
        throw AwsError(errors::NoSuchBucket, "The specified bucket does not exist")
            .with("BucketName", call.target.bucket);
    }
    return std::move(*bucket);
}

ObjectVersion S3Service::require_object(const S3Call& call, const Bucket& bucket) {
    const auto version_id = call.query("versionId");
    if (version_id && !valid_version_id(*version_id)) {
        throw AwsError(errors::InvalidArgument, "Invalid version id specified")
            .with("ArgumentName", "versionId")
            .with("ArgumentValue", *version_id);
    }
    auto object = store_.find_object(bucket.name, call.target.key, version_id);
    if (!object) {
        if (version_id) {
            throw AwsError(errors::NoSuchVersion, "The specified version does not exist.")
                .with("Key", call.target.key)
                .with("VersionId", *version_id);
        }
        throw AwsError(errors::NoSuchKey, "The specified key does not exist.")
            .with("Key", call.target.key);
    }
    return std::move(*object);
}

ObjectVersion S3Service::require_live_object(const S3Call& call, const Bucket& bucket) {
    ObjectVersion object = require_object(call, bucket);
    if (!object.delete_marker) {
        return object;
    }
    if (call.query("versionId")) {
        throw AwsError(errors::MethodNotAllowed,
                       "The specified method is not allowed against this resource.")
            .with("Method", call.request.method)
            .with("ResourceType", "DeleteMarker")
            .with_header("x-amz-delete-marker", "true")
            .with_header("x-amz-version-id", object.version_id);
    }
    throw AwsError(errors::NoSuchKey, "The specified key does not exist.")
        .with("Key", call.target.key)
        .with_header("x-amz-delete-marker", "true")
        .with_header("x-amz-version-id", object.version_id);
}

std::shared_ptr<ObjectSpool> S3Service::spool_of(const S3Call& call) {
    if (auto spool = std::dynamic_pointer_cast<ObjectSpool>(call.request.body_sink)) {
        return spool;
    }
    // The body did not stream (a handler called without the HTTP server, in unit tests).
    auto spool = std::make_shared<ObjectSpool>(payload_dir_, call.request, std::nullopt,
                                               !call.has_query("uploadId"));
    spool->write(call.request.body);
    spool->finish();
    return spool;
}

std::string S3Service::new_version_id(const Bucket& bucket) const {
    if (bucket.versioning != "Enabled") {
        return "null";
    }
    // AWS's version ids are 32 URL-safe characters.
    std::string id = auth::base64_encode(auth::random_bytes(24));
    for (char& c : id) {
        c = c == '+' ? '.' : c == '/' ? '_' : c;
    }
    return id;
}

std::string S3Service::file_path(const std::string& file) const {
    return payload_dir_ + "/" + file;
}

std::vector<std::string> S3Service::file_paths(const std::string& names) const {
    std::vector<std::string> paths = payload_files(names);
    for (auto& path : paths) {
        path = file_path(path);
    }
    return paths;
}

void S3Service::discard_later(ObsoletePayloads payloads) {
    std::vector<std::string> files;
    for (const auto& names : payloads.files) {
        for (auto& file : payload_files(names)) {  // inline payloads have none
            files.push_back(std::move(file));
        }
    }
    if (files.empty() && payloads.bodies.empty()) {
        return;
    }
    // Only once the rows that named them are gone for good: a request (or batch) rolled back
    // names them again. A crash before leaves files and blocks the clean-up at start removes.
    db_.once_committed([this, files = std::move(files), bodies = std::move(payloads.bodies)] {
        for (const auto& file : files) {
            std::error_code ignored;
            std::filesystem::remove(file_path(file), ignored);
        }
        for (const auto& body : bodies) {
            store_.release(body);
        }
    });
}

void S3Service::discard_later(const ObjectVersion& removed) {
    ObsoletePayloads payloads{{removed.file}, {}};
    if (const auto packed = removed.packed_body()) {
        payloads.bodies.push_back(*packed);
    }
    discard_later(std::move(payloads));
}

HttpResponse xml_response(std::string body, int status) {
    HttpResponse response;
    response.status = status;
    response.headers.add("Content-Type", "application/xml");
    response.body = std::move(body);
    return response;
}

HttpResponse empty_response(int status) {
    HttpResponse response;
    response.status = status;
    return response;
}

std::string canonical_user_id(const std::string& account_id) {
    return auth::sha256_hex("awsemu-canonical-user:" + account_id);
}

void write_owner(XmlWriter& xml, const std::string& account_id, std::string_view element) {
    xml.open(element)
        .element("ID", canonical_user_id(account_id))
        .element("DisplayName", "awsemu")
        .close(element);
}

std::string canned_acl_document(const std::string& account_id, std::string_view canned) {
    constexpr std::string_view kAllUsers = "http://acs.amazonaws.com/groups/global/AllUsers";
    constexpr std::string_view kAuthenticated =
        "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
    XmlWriter xml;
    xml.open("AccessControlPolicy", kXmlns);
    write_owner(xml, account_id);
    xml.open("AccessControlList");
    const auto grant = [&xml](std::string_view type, std::string_view id_element,
                              const std::string& id, std::string_view permission) {
        xml.open("Grant")
            .open("Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"" +
                  std::string(type) + "\"")
            .element(id_element, id);
        if (type == "CanonicalUser") {
            xml.element("DisplayName", "awsemu");
        }
        xml.close("Grantee").element("Permission", permission).close("Grant");
    };
    grant("CanonicalUser", "ID", canonical_user_id(account_id), "FULL_CONTROL");
    if (canned == "public-read" || canned == "public-read-write") {
        grant("Group", "URI", std::string(kAllUsers), "READ");
    }
    if (canned == "public-read-write") {
        grant("Group", "URI", std::string(kAllUsers), "WRITE");
    }
    if (canned == "authenticated-read") {
        grant("Group", "URI", std::string(kAuthenticated), "READ");
    }
    xml.close("AccessControlList").close("AccessControlPolicy");
    return xml.release();
}

HttpResponse owner_full_control_acl(const std::string& account_id) {
    return xml_response(canned_acl_document(account_id, "private"));
}

bool valid_version_id(std::string_view id) {
    return id == "null" || (id.size() == 32 && std::all_of(id.begin(), id.end(), [](char c) {
                                return std::isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                                       c == '_' || c == '-';
                            }));
}

AwsError not_implemented() {
    return AwsError(errors::NotImplemented,
                    "A header you provided implies functionality that is not implemented");
}

std::string xml_timestamp(std::int64_t ms) {
    // Whole seconds, as S3 keeps them: "...:08.000Z", the time HEAD's Last-Modified gives.
    return format_iso8601_millis(from_epoch_ms(ms / 1000 * 1000));
}

std::string quoted_etag(const std::string& hex) {
    return "\"" + hex + "\"";
}

std::string etag_hex(const std::string& quoted) {
    return quoted.size() >= 2 && quoted.front() == '"' ? quoted.substr(1, quoted.size() - 2)
                                                       : quoted;
}

std::string body_text(const S3Call& call) {
    return call.request.body;
}

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment) {
    auto service = std::make_shared<S3Service>(
        environment.database, environment.clock, environment.scheduler, environment.data_dir,
        sqs::sqs_api(environment), sns::sns_api(environment));
    ServiceDefinition definition;
    definition.name = "s3";
    definition.signing_name = "s3";
    definition.protocol = Protocol::RestXml;
    definition.raw_handler = [service](const RequestContext& ctx, const HttpRequest& request,
                                       std::string& operation_name) {
        return service->handle(ctx, request, operation_name);
    };
    definition.raw_operation_name = [](const HttpRequest& request) {
        return S3Service::operation_name(request);
    };
    service->start_lifecycle();
    definition.body_sink_factory = [service](const HttpRequest& head,
                                             const std::optional<auth::ChunkSigning>& signing) {
        return service->body_sink_for(head, signing);
    };
    registry.add(std::move(definition));
}

}  // namespace awsemu::s3
