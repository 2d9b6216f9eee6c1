#pragma once

#include <memory>
#include <string>

#include "emulator/protocol/xml_writer.hpp"
#include "emulator/runtime/scheduler.hpp"
#include "emulator/service.hpp"
#include "emulator/service_registry.hpp"
#include "services/s3/lifecycle_rules.hpp"
#include "services/s3/object_files.hpp"
#include "services/s3/s3_request.hpp"
#include "services/s3/s3_store.hpp"
#include "services/sns/sns_api.hpp"
#include "services/sqs/sqs_api.hpp"

namespace awsemu::s3 {

// One S3 request as the operations see it: who asks, and what it addresses.
struct S3Call {
    const RequestContext& ctx;
    const HttpRequest& request;
    S3Target target;

    std::optional<std::string> query(std::string_view name) const;
    bool has_query(std::string_view name) const { return request.has_query_param(name); }
    std::string_view header(std::string_view name) const { return request.headers.get(name); }
};

// Amazon S3 over REST-XML: routes a request by method, target and sub-resource to an operation
// (s3_service.cpp), whose handlers live by resource in s3_ops_*.cpp.
class S3Service {
  public:
    S3Service(Database& database, const Clock& clock, Scheduler& scheduler, std::string data_dir,
              std::shared_ptr<sqs::SqsApi> sqs, std::shared_ptr<sns::SnsApi> sns);

    HttpResponse handle(const RequestContext& ctx, const HttpRequest& request,
                        std::string& operation_name);
    // The operation `request` calls (PutObject, GetBucketCors, ...), without calling it.
    static std::string operation_name(const HttpRequest& request);
    std::shared_ptr<RequestBodySink> body_sink_for(
        const HttpRequest& head, const std::optional<auth::ChunkSigning>& signing);

    // Buckets (s3_ops_buckets.cpp)
    HttpResponse list_buckets(const S3Call& call);
    HttpResponse create_bucket(const S3Call& call);
    HttpResponse head_bucket(const S3Call& call);
    HttpResponse delete_bucket(const S3Call& call);
    HttpResponse get_bucket_location(const S3Call& call);
    HttpResponse get_bucket_versioning(const S3Call& call);
    HttpResponse put_bucket_versioning(const S3Call& call);
    HttpResponse get_bucket_config(const S3Call& call);
    HttpResponse put_bucket_config(const S3Call& call);
    HttpResponse delete_bucket_config(const S3Call& call);
    HttpResponse cors_preflight(const S3Call& call);
    // The CORS headers a bucket's rules give a request from `origin`, if a rule allows it.
    std::optional<HttpResponse> cors_answer(const std::string& bucket, const std::string& origin,
                                            const std::string& method,
                                            std::string_view requested_headers);
    // Objects (s3_ops_objects.cpp)
    HttpResponse put_object(const S3Call& call);
    HttpResponse get_object(const S3Call& call);
    HttpResponse delete_object(const S3Call& call);
    HttpResponse delete_objects(const S3Call& call);
    HttpResponse copy_object(const S3Call& call);
    HttpResponse get_object_tagging(const S3Call& call);
    HttpResponse put_object_tagging(const S3Call& call);
    HttpResponse delete_object_tagging(const S3Call& call);
    HttpResponse get_object_acl(const S3Call& call);
    HttpResponse put_object_acl(const S3Call& call);
    HttpResponse object_lock_setting(const S3Call& call);
    // A sub-resource S3 defines that awsemu does not emulate (s3_service.cpp).
    HttpResponse not_emulated(const S3Call& call);
    HttpResponse get_object_attributes(const S3Call& call);  // s3_ops_object_attributes.cpp
    // Listing (s3_ops_list.cpp)
    HttpResponse list_objects(const S3Call& call);
    HttpResponse list_object_versions(const S3Call& call);
    // Multipart uploads (s3_ops_multipart.cpp)
    HttpResponse create_multipart_upload(const S3Call& call);
    HttpResponse upload_part(const S3Call& call);
    HttpResponse upload_part_copy(const S3Call& call);
    HttpResponse complete_multipart_upload(const S3Call& call);
    HttpResponse abort_multipart_upload(const S3Call& call);
    HttpResponse list_parts(const S3Call& call);
    HttpResponse list_multipart_uploads(const S3Call& call);

    // Lifecycle rules (s3_lifecycle.cpp): a sweep now and at every emulated midnight UTC.
    void start_lifecycle();

  private:
    Bucket require_bucket(const S3Call& call);
    ObjectVersion require_object(const S3Call& call, const Bucket& bucket);
    // Whether the bucket's ownership is BucketOwnerEnforced (no ACLs but the owner's).
    bool acls_disabled(const Bucket& bucket);
    // require_object, and not a delete marker: a current one is NoSuchKey, one named by its
    // version id MethodNotAllowed, both saying it is a delete marker (as GET and HEAD answer).
    ObjectVersion require_live_object(const S3Call& call, const Bucket& bucket);
    // The multipart upload ?uploadId names, for this bucket and key; NoSuchUpload otherwise.
    Upload require_upload(const S3Call& call);
    // The spool the body streamed into, or one filled from the buffered body.
    std::shared_ptr<ObjectSpool> spool_of(const S3Call& call);
    std::string new_version_id(const Bucket& bucket) const;
    std::string file_path(const std::string& file) const;
    // The paths of a payload's files (an object's or part's file column).
    std::vector<std::string> file_paths(const std::string& names) const;
    // Payloads (file columns: one file or several; packed bodies) to delete or release once
    // the request's writes are committed.
    void discard_later(ObsoletePayloads payloads);
    // The payloads of a version the request removed.
    void discard_later(const ObjectVersion& removed);
    // A new payload file holding bytes [offset, offset + length) of the object's payload.
    std::string copy_range_of(const ObjectVersion& object, std::uint64_t offset,
                              std::uint64_t length, Md5Hasher& md5);

    // Deletes call.target.key's current version as DeleteObject without a version id does: gone
    // in an unversioned bucket, else hidden behind a new delete marker, which it answers.
    std::optional<ObjectVersion> delete_current(const S3Call& call, const Bucket& bucket,
                                                std::string_view removed_event,
                                                std::string_view marker_event);
    // Removes a multipart upload, its parts and their files.
    void discard_upload(const std::string& upload_id);
    void schedule_lifecycle();
    void run_lifecycle(TimePoint at);
    void apply_lifecycle(const Bucket& bucket, const std::vector<LifecycleRule>& rules,
                         TimePoint at);

    // Event notifications (s3_notifications.cpp): "ObjectCreated:Put", "ObjectRemoved:Delete", ...
    void notify(const S3Call& call, const Bucket& bucket, std::string_view event,
                const std::string& key, const ObjectVersion* object);
    // Checks a NotificationConfiguration's destinations and sends each s3:TestEvent.
    void check_notification_configuration(const S3Call& call, const Bucket& bucket,
                                          const std::string& document);

    Database& db_;
    S3Store store_;
    const Clock& clock_;
    Scheduler& scheduler_;
    std::string data_dir_;
    std::string payload_dir_;
    std::shared_ptr<sqs::SqsApi> sqs_;  // null when SQS is not registered
    std::shared_ptr<sns::SnsApi> sns_;  // null when SNS is not registered
    std::uint64_t sequencer_ = 0;
};

void register_service(ServiceRegistry& registry, ServiceEnvironment& environment);

// Shared by the s3_ops_*.cpp files.
inline constexpr std::string_view kXmlns = "http://s3.amazonaws.com/doc/2006-03-01/";
HttpResponse xml_response(std::string body, int status = 200);
HttpResponse empty_response(int status);
// S3's canonical user id for an account, and the <Owner> element.
std::string canonical_user_id(const std::string& account_id);
void write_owner(XmlWriter& xml, const std::string& account_id, std::string_view element = "Owner");
std::string xml_timestamp(std::int64_t ms);
// S3's answer to a feature awsemu does not emulate (501 NotImplemented, in AWS's words).
AwsError not_implemented();
// Content headers, user metadata and storage class of a PUT (or a REPLACE copy, or a
// multipart upload's creation).
nlohmann::json object_metadata_from(const HttpRequest& request);
// x-amz-copy-source: "/bucket/key?versionId=..." or "bucket/key", percent-encoded.
struct CopySource {
    std::string bucket;
    std::string key;
    std::optional<std::string> version_id;
};
CopySource parse_copy_source(std::string_view header);
// A tag set (object or bucket) as S3 accepts it: keys of 1 to 128 characters that do not start
// with the reserved "aws:", values of at most 256, no key twice. The callers check the count.
nlohmann::json checked_tags(const std::vector<std::pair<std::string, std::string>>& pairs);
// "a=1&b=2" (x-amz-tagging) -> {"a": "1", "b": "2"}, checked as PutObjectTagging checks a
// tag set.
nlohmann::json tags_from_header(std::string_view header);
// x-amz-copy-source-if-(none-)match / -if-(un)modified-since: PreconditionFailed unless they
// hold for the copy's source.
void check_copy_source_conditions(const S3Call& call, const ObjectVersion& original);
// A version id S3 could have issued: "null" or one of ours.
bool valid_version_id(std::string_view id);
// PutObject and UploadPart need a Content-Length (or a chunked body): MissingContentLength.
void require_content_length(const S3Call& call);
// The AccessControlPolicy a canned ACL ("private", "public-read", ...) stands for.
std::string canned_acl_document(const std::string& account_id, std::string_view canned);
// The ACL every bucket and object has: its owner with FULL_CONTROL.
HttpResponse owner_full_control_acl(const std::string& account_id);
std::string quoted_etag(const std::string& hex);
// The reverse: an ETag without its quotes.
std::string etag_hex(const std::string& quoted);
// The request's XML body; MalformedXML when it is not XML.
std::string body_text(const S3Call& call);

}  // namespace awsemu::s3
