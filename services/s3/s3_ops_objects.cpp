#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

#include "emulator/ascii.hpp"
#include "emulator/auth/crypto.hpp"
#include "emulator/protocol/rest_xml_codec.hpp"
#include "emulator/protocol/url_encoding.hpp"
#include "emulator/protocol/utf8.hpp"
#include "emulator/runtime/time_format.hpp"
#include "services/s3/s3_errors.hpp"
#include "services/s3/s3_service.hpp"

namespace awsemu::s3 {
namespace {

constexpr std::array<std::string_view, 8> kStorageClasses = {
    "STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
    "GLACIER",  "DEEP_ARCHIVE",       "GLACIER_IR"};

constexpr std::size_t kMaxUserMetadata = 2048;
constexpr std::size_t kMaxKeyLength = 1024;

// The content headers an object keeps and returns, as they were given.
constexpr std::array<std::string_view, 6> kContentHeaders = {
    "Content-Type",     "Content-Encoding", "Content-Disposition",
    "Content-Language", "Cache-Control",    "Expires"};

}  // namespace

void require_content_length(const S3Call& call) {
    if (!call.request.headers.contains("Content-Length") &&
        call.header("Transfer-Encoding").find("chunked") == std::string_view::npos) {
        throw AwsError(errors::MissingContentLength,
                       "You must provide the Content-Length HTTP header.");
    }
}

nlohmann::json object_metadata_from(const HttpRequest& request) {
    nlohmann::json metadata = nlohmann::json::object();
    nlohmann::json user = nlohmann::json::object();
    std::size_t user_size = 0;
    for (const auto& [name, value] : request.headers.entries()) {
        for (const auto header : kContentHeaders) {
            if (ascii_iequals(name, header)) {
                std::string kept = value;
                if (header == "Content-Encoding") {
                    // aws-chunked is how the body travelled, not what it is.
                    std::string rest;
                    for (const auto& part : header_list(kept)) {
                        if (!part.empty() && part != "aws-chunked") {
                            rest += (rest.empty() ? "" : ",") + part;
                        }
                    }
                    kept = rest;
                }
                if (!kept.empty()) {
                    metadata[std::string(header)] = kept;
                }
            }
        }
        static constexpr std::string_view kUserPrefix = "x-amz-meta-";
        const std::string_view name_view = name;
        if (name_view.size() >= kUserPrefix.size() &&
            ascii_iequals(name_view.substr(0, kUserPrefix.size()), kUserPrefix)) {
            const std::string user_name = ascii_lower(name_view.substr(kUserPrefix.size()));
            user_size += user_name.size() + value.size();
            user[user_name] = value;
        }
        if (ascii_iequals(name, "x-amz-website-redirect-location")) {
            metadata["WebsiteRedirectLocation"] = value;
        }
    }
    if (user_size > kMaxUserMetadata) {
        throw AwsError(errors::MetadataTooLarge,
                       "Your metadata headers exceed the maximum allowed metadata size")
            .with("Size", std::to_string(user_size))
            .with("MaxSizeAllowed", std::to_string(kMaxUserMetadata));
    }
    if (!metadata.contains("Content-Type")) {
        metadata["Content-Type"] = "binary/octet-stream";
    }
    metadata["user"] = std::move(user);
    const std::string storage_class(request.headers.get("x-amz-storage-class"));
    if (!storage_class.empty()) {
        if (std::find(kStorageClasses.begin(), kStorageClasses.end(), storage_class) ==
            kStorageClasses.end()) {
            throw AwsError(errors::InvalidStorageClass,
                           "The storage class you specified is not valid");
        }
        metadata["StorageClass"] = storage_class;
    }
    return metadata;
}

CopySource parse_copy_source(std::string_view header) {
    CopySource parsed;
    std::string source(header);
    if (const auto question = source.find('?'); question != std::string::npos) {
        for (const auto& [name, value] : parse_form(source.substr(question + 1))) {
            if (name == "versionId") {
                parsed.version_id = value;
            }
        }
        source.resize(question);
    }
    source = percent_decode(source, false);
    if (source.starts_with('/')) {
        source.erase(0, 1);
    }
    const auto slash = source.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == source.size()) {
        throw AwsError(errors::InvalidArgument,
                       "Copy Source must mention the source bucket and "
                       "key: sourcebucket/sourcekey");
    }
    parsed.bucket = source.substr(0, slash);
    parsed.key = source.substr(slash + 1);
    return parsed;
}

nlohmann::json checked_tags(const std::vector<std::pair<std::string, std::string>>& pairs) {
    nlohmann::json tags = nlohmann::json::object();
    for (const auto& [key, value] : pairs) {
        if (key.empty() || utf8_length(key) > 128) {
            throw AwsError(errors::InvalidTag, "The TagKey you have provided is invalid");
        }
        if (key.starts_with("aws:")) {
            throw AwsError(errors::InvalidTag, "Your TagKey cannot be prefixed with aws:");
        }
        if (utf8_length(value) > 256) {
            throw AwsError(errors::InvalidTag, "The TagValue you have provided is invalid");
        }
        if (tags.contains(key)) {
            throw AwsError(errors::InvalidTag, "Cannot provide multiple Tags with the same key");
        }
        tags[key] = value;
    }
    return tags;
}

namespace {

// An object's tag set: the rules of every tag set, and at most 10 tags.
nlohmann::json checked_object_tags(const std::vector<std::pair<std::string, std::string>>& pairs) {
    nlohmann::json tags = checked_tags(pairs);
    if (tags.size() > 10) {
        throw AwsError(errors::BadRequest, "Object tags cannot be greater than 10");
    }
    return tags;
}

}  // namespace

nlohmann::json tags_from_header(std::string_view header) {
    return checked_object_tags(parse_form(header));
}

namespace {

bool etag_matches(std::string_view condition, const std::string& etag) {
    if (condition == "*") {
        return true;
    }
    const auto candidates = header_list(condition);
    return std::any_of(candidates.begin(), candidates.end(), [&](const std::string& candidate) {
        return etag_hex(candidate) == etag_hex(etag);
    });
}

// Whether a request carries no credentials: no Authorization header, no presigned
// parameters (SigV4's X-Amz-Credential or SigV2's AWSAccessKeyId).
bool anonymous(const HttpRequest& request) {
    return !request.headers.contains("Authorization") &&
           !request.has_query_param("X-Amz-Credential") &&
           !request.has_query_param("AWSAccessKeyId");
}

// The object's headers as GET and HEAD answer them.
void add_object_headers(HttpResponse& response, const ObjectVersion& object,
                        bool versioned_bucket) {
    const auto& metadata = object.metadata;
    for (const auto header : kContentHeaders) {
        if (metadata.contains(header)) {
            response.headers.add(std::string(header), metadata[std::string(header)]);
        }
    }
    response.headers.add("ETag", object.etag);
    response.headers.add("Last-Modified", format_http_date(from_epoch_ms(object.last_modified_ms)));
    response.headers.add("Accept-Ranges", "bytes");
    response.headers.add("x-amz-server-side-encryption", "AES256");
    if (metadata.contains("user")) {
        for (const auto& [name, value] : metadata["user"].items()) {
            response.headers.add("x-amz-meta-" + name, value.get<std::string>());
        }
    }
    if (metadata.contains("WebsiteRedirectLocation")) {
        response.headers.add("x-amz-website-redirect-location",
                             metadata["WebsiteRedirectLocation"].get<std::string>());
    }
    if (metadata.contains("StorageClass") && metadata["StorageClass"] != "STANDARD") {
        response.headers.add("x-amz-storage-class", metadata["StorageClass"]);
    }
    if (versioned_bucket || object.version_id != "null") {
        response.headers.add("x-amz-version-id", object.version_id);
    }
    if (!object.tags.empty()) {
        response.headers.add("x-amz-tagging-count", std::to_string(object.tags.size()));
    }
    if (metadata.contains("PartsCount")) {
        response.headers.add("x-amz-mp-parts-count",
                             std::to_string(metadata["PartsCount"].get<int>()));
    }
}

void add_checksum_headers(HttpResponse& response, const nlohmann::json& metadata) {
    if (metadata.contains("ChecksumAlgorithm") && metadata.contains("ChecksumValue")) {
        const auto algorithm =
            parse_checksum_algorithm(metadata["ChecksumAlgorithm"].get<std::string>());
        if (algorithm) {
            response.headers.add(std::string(checksum_header_name(*algorithm)),
                                 metadata["ChecksumValue"].get<std::string>());
            response.headers.add("x-amz-checksum-type",
                                 metadata.value("ChecksumType", std::string("FULL_OBJECT")));
        }
    }
}

struct ByteRange {
    std::uint64_t first;
    std::uint64_t last;
};

// "bytes=a-b", "bytes=a-", "bytes=-n"; nullopt for anything else (S3 then sends the whole
// object); throws InvalidRange when the range lies outside the object.
std::optional<ByteRange> parse_range(std::string_view header, std::uint64_t size) {
    if (!header.starts_with("bytes=") || header.find(',') != std::string_view::npos) {
        return std::nullopt;
    }
    const std::string_view spec = header.substr(6);
    const auto dash = spec.find('-');
    if (dash == std::string_view::npos) {
        return std::nullopt;
    }
    const auto number = [](std::string_view text) -> std::optional<std::uint64_t> {
        std::uint64_t value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
            return std::nullopt;
        }
        return value;
    };
    const auto first = number(spec.substr(0, dash));
    const auto last = number(spec.substr(dash + 1));
    const auto unsatisfiable = [&] {
        return AwsError(errors::InvalidRange, "The requested range is not satisfiable")
            .with("RangeRequested", std::string(header))
            .with("ActualObjectSize", std::to_string(size));
    };
    if (!first && last) {  // the last n bytes
        if (*last == 0 || size == 0) {
            throw unsatisfiable();
        }
        return ByteRange{size - std::min(*last, size), size - 1};
    }
    if (!first || (last && *last < *first)) {
        return std::nullopt;
    }
    if (*first >= size) {
        throw unsatisfiable();
    }
    return ByteRange{*first, last ? std::min(*last, size - 1) : size - 1};
}

// GET ?partNumber=N: the bytes of part N of a multipart object (part 1 of any other object is
// all of it).
ByteRange part_range(const ObjectVersion& object, const std::string& text) {
    const int number = std::atoi(text.c_str());
    const auto sizes = object.metadata.value("PartSizes", nlohmann::json::array());
    const int count = sizes.empty() ? 1 : static_cast<int>(sizes.size());
    if (number < 1 || number > count) {
        throw AwsError(errors::InvalidPartNumber, "The requested partnumber is not satisfiable")
            .with("PartNumberRequested", text)
            .with("ActualPartCount", std::to_string(count));
    }
    if (sizes.empty()) {
        return {0, object.size == 0 ? 0 : static_cast<std::uint64_t>(object.size) - 1};
    }
    std::uint64_t first = 0;
    for (int i = 0; i + 1 < number; ++i) {
        first += sizes[static_cast<std::size_t>(i)].get<std::uint64_t>();
    }
    return {first, first + sizes[static_cast<std::size_t>(number - 1)].get<std::uint64_t>() - 1};
}

}  // namespace

void check_copy_source_conditions(const S3Call& call, const ObjectVersion& original) {
    const auto& headers = call.request.headers;
    const TimePoint modified = from_epoch_ms(original.last_modified_ms / 1000 * 1000);
    const auto fail_condition = [](const char* condition) {
        return AwsError(errors::PreconditionFailed,
                        "At least one of the pre-conditions you specified did not hold")
            .with("Condition", condition);
    };
    if (const auto match = headers.find("x-amz-copy-source-if-match");
        match && !etag_matches(*match, original.etag)) {
        throw fail_condition("x-amz-copy-source-If-Match");
    }
    if (const auto none = headers.find("x-amz-copy-source-if-none-match");
        none && etag_matches(*none, original.etag)) {
        throw fail_condition("x-amz-copy-source-If-None-Match");
    }
    // As for GET: a passing If-Match outweighs If-Unmodified-Since, and If-None-Match
    // If-Modified-Since.
    if (const auto since = headers.find("x-amz-copy-source-if-unmodified-since");
        since && !headers.contains("x-amz-copy-source-if-match")) {
        const auto when = parse_http_date(*since);
        if (when && modified > *when) {
            throw fail_condition("x-amz-copy-source-If-Unmodified-Since");
        }
    }
    if (const auto since = headers.find("x-amz-copy-source-if-modified-since");
        since && !headers.contains("x-amz-copy-source-if-none-match")) {
        const auto when = parse_http_date(*since);
        if (when && modified <= *when) {
            throw fail_condition("x-amz-copy-source-If-Modified-Since");
        }
    }
}

HttpResponse S3Service::put_object(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    if (call.target.key.size() > kMaxKeyLength) {
        throw AwsError(errors::KeyTooLongError, "Your key is too long")
            .with("Size", std::to_string(call.target.key.size()))
            .with("MaxSizeAllowed", std::to_string(kMaxKeyLength));
    }
    require_content_length(call);
    const auto spool = spool_of(call);
    spool->verify();
    const auto none_match = call.request.headers.find("If-None-Match");
    const auto match = call.request.headers.find("If-Match");
    const auto latest = none_match || match
                            ? store_.find_object(bucket.name, call.target.key, std::nullopt)
                            : std::nullopt;
    const bool exists = latest && !latest->delete_marker;
    if (none_match) {
        // A conditional write only asks whether the key exists.
        if (*none_match != "*") {
            throw not_implemented().with("Header", "If-None-Match");
        }
        if (exists) {
            throw AwsError(errors::PreconditionFailed,
                           "At least one of the pre-conditions you specified did not hold")
                .with("Condition", "If-None-Match");
        }
    }
    if (match) {
        if (!exists) {
            throw AwsError(errors::NoSuchKey, "The specified key does not exist.")
                .with("Key", call.target.key);
        }
        if (!etag_matches(*match, latest->etag)) {
            throw AwsError(errors::PreconditionFailed,
                           "At least one of the pre-conditions you specified did not hold")
                .with("Condition", "If-Match");
        }
    }
    ObjectVersion object;
    object.bucket = bucket.name;
    object.key = call.target.key;
    object.version_id = new_version_id(bucket);
    object.size = spool->size();
    object.etag = quoted_etag(spool->md5_hex());
    object.last_modified_ms = to_epoch_ms(call.ctx.now());
    object.metadata = object_metadata_from(call.request);
    if (const auto& checksum = spool->checksum()) {
        object.metadata["ChecksumAlgorithm"] = std::string(checksum_name(checksum->algorithm()));
        object.metadata["ChecksumValue"] = checksum->base64();
        object.metadata["ChecksumType"] = "FULL_OBJECT";
    }
    object.tags = tags_from_header(call.header("x-amz-tagging"));
    object.file = spool->claim();
    object.body = spool->take_inline_body();
    discard_later(store_.put_object(bucket, object));
    notify(call, bucket, "ObjectCreated:Put", object.key, &object);

    HttpResponse response;
    response.headers.add("ETag", object.etag);
    response.headers.add("x-amz-server-side-encryption", "AES256");
    if (bucket.versioning == "Enabled") {
        response.headers.add("x-amz-version-id", object.version_id);
    }
    add_checksum_headers(response, object.metadata);
    return response;
}

HttpResponse S3Service::get_object(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    const ObjectVersion object = require_live_object(call, bucket);
    const std::string storage_class = object.metadata.value("StorageClass", std::string());
    if ((storage_class == "GLACIER" || storage_class == "DEEP_ARCHIVE") &&
        call.request.method == "GET") {
        throw AwsError(errors::InvalidObjectState,
                       "The operation is not valid for the object's storage class")
            .with("StorageClass", storage_class);
    }
    // Preconditions, in RFC 7232's order, as S3 evaluates them.
    const auto& headers = call.request.headers;
    const TimePoint modified = from_epoch_ms(object.last_modified_ms / 1000 * 1000);
    bool if_match_passed = false;
    if (const auto match = headers.find("If-Match")) {
        if (!etag_matches(*match, object.etag)) {
            throw AwsError(errors::PreconditionFailed,
                           "At least one of the pre-conditions you specified did not hold")
                .with("Condition", "If-Match");
        }
        if_match_passed = true;
    }
    if (const auto since = headers.find("If-Unmodified-Since"); since && !if_match_passed) {
        const auto when = parse_http_date(*since);
        if (when && modified > *when) {
            throw AwsError(errors::PreconditionFailed,
                           "At least one of the pre-conditions you specified did not hold")
                .with("Condition", "If-Unmodified-Since");
        }
    }
    bool not_modified = false;
    bool none_match_checked = false;
    if (const auto none_match = headers.find("If-None-Match")) {
        none_match_checked = true;
        not_modified = etag_matches(*none_match, object.etag);
    }
    if (const auto since = headers.find("If-Modified-Since"); since && !none_match_checked) {
        const auto when = parse_http_date(*since);
        not_modified = when && modified <= *when;
    }
    if (not_modified) {
        HttpResponse response = empty_response(304);
        response.headers.add("ETag", object.etag);
        response.headers.add("Last-Modified",
                             format_http_date(from_epoch_ms(object.last_modified_ms)));
        return response;
    }

    HttpResponse response;
    add_object_headers(response, object, !bucket.versioning.empty());
    // response-* parameters override what GET answers.
    static constexpr std::pair<std::string_view, std::string_view> kOverrides[] = {
        {"response-content-type", "Content-Type"},
        {"response-content-language", "Content-Language"},
        {"response-expires", "Expires"},
        {"response-cache-control", "Cache-Control"},
        {"response-content-disposition", "Content-Disposition"},
        {"response-content-encoding", "Content-Encoding"}};
    for (const auto& [parameter, header] : kOverrides) {
        if (const auto value = call.query(parameter)) {
            if (anonymous(call.request)) {
                throw AwsError(errors::InvalidRequest,
                               "Request specific response headers cannot be used for anonymous "
                               "GET requests.");
            }
            response.headers.set(header, *value);
        }
    }
    const auto size = static_cast<std::uint64_t>(object.size);
    std::optional<ByteRange> range;
    const auto range_header = headers.find("Range");
    const auto part_number = call.query("partNumber");
    if (range_header && part_number) {
        throw AwsError(errors::InvalidRequest,
                       "Cannot specify both Range header and partNumber query parameter");
    }
    if (range_header) {
        range = parse_range(*range_header, size);
    }
    if (part_number) {
        range = part_range(object, *part_number);
    }
    if (!range && call.header("x-amz-checksum-mode") == "ENABLED") {
        // Checksums describe the whole object: a range answers none, as on AWS.
        add_checksum_headers(response, object.metadata);
    }
    if (range) {
        response.status = 206;
        response.headers.add("Content-Range", "bytes " + std::to_string(range->first) + "-" +
                                                  std::to_string(range->last) + "/" +
                                                  std::to_string(size));
    }
    const std::uint64_t offset = range ? range->first : 0;
    const std::uint64_t length = range ? range->last - range->first + 1 : size;
    if (call.request.method == "HEAD") {
        response.body_source = std::make_shared<AnnouncedBody>(length);  // no body read
    } else if (object.file.empty()) {
        response.body = store_.body_of(object).substr(offset, length);
    } else {
        response.body_source = std::make_shared<FileSource>(file_paths(object.file), offset, length,
                                                            object.part_sizes());
    }
    return response;
}

HttpResponse S3Service::delete_object(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    HttpResponse response = empty_response(204);
    if (const auto version_id = call.query("versionId")) {
        if (!valid_version_id(*version_id)) {
            throw AwsError(errors::InvalidArgument, "Invalid version id specified")
                .with("ArgumentName", "versionId")
                .with("ArgumentValue", *version_id);
        }
        if (const auto removed = store_.delete_version(bucket.name, call.target.key, *version_id)) {
            if (removed->delete_marker) {
                response.headers.add("x-amz-delete-marker", "true");
            }
            discard_later(*removed);
            notify(call, bucket, "ObjectRemoved:Delete", call.target.key, &*removed);
        }
        response.headers.add("x-amz-version-id", *version_id);
        return response;
    }
    if (const auto marker = delete_current(call, bucket, "ObjectRemoved:Delete",
                                           "ObjectRemoved:DeleteMarkerCreated")) {
        response.headers.add("x-amz-delete-marker", "true");
        response.headers.add("x-amz-version-id", marker->version_id);
    }
    return response;
}

std::optional<ObjectVersion> S3Service::delete_current(const S3Call& call, const Bucket& bucket,
                                                       std::string_view removed_event,
                                                       std::string_view marker_event) {
    if (bucket.versioning.empty()) {
        if (const auto removed = store_.delete_version(bucket.name, call.target.key, "null")) {
            discard_later(*removed);
            notify(call, bucket, removed_event, call.target.key, nullptr);
        }
        return std::nullopt;
    }
    // Versioned: a delete marker becomes the latest version.
    ObjectVersion marker;
    marker.bucket = bucket.name;
    marker.key = call.target.key;
    marker.version_id = new_version_id(bucket);
    marker.delete_marker = true;
    marker.last_modified_ms = to_epoch_ms(call.ctx.now());
    discard_later(store_.put_object(bucket, marker));
    notify(call, bucket, marker_event, call.target.key, &marker);
    return marker;
}

HttpResponse S3Service::delete_objects(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    const auto document = parse_xml_body(body_text(call));
    const auto root = document.child("Delete");
    if (!root) {
        throw AwsError(errors::MalformedXML,
                       "The XML you provided was not well-formed or did not validate against our "
                       "published schema");
    }
    const bool quiet = std::string_view(root.child_value("Quiet")) == "true";
    if (!root.child("Object") ||
        std::any_of(root.children("Object").begin(), root.children("Object").end(),
                    [](const pugi::xml_node& entry) { return !entry.child("Key"); })) {
        throw AwsError(errors::MalformedXML,
                       "The XML you provided was not well-formed or did not validate against our "
                       "published schema");
    }
    XmlWriter xml;
    xml.open("DeleteResult", kXmlns);
    int count = 0;
    for (const auto entry : root.children("Object")) {
        if (++count > 1000) {
            throw AwsError(errors::MalformedXML,
                           "The XML you provided was not well-formed or did not validate "
                           "against our published schema");
        }
        const std::string key = entry.child_value("Key");
        const std::string version_id = entry.child_value("VersionId");
        HttpRequest single;
        single.method = "DELETE";
        if (!version_id.empty()) {
            single.query.emplace_back("versionId", version_id);
        }
        const S3Call one{call.ctx, single, S3Target{bucket.name, key}};
        try {
            if (key.empty()) {
                throw AwsError(errors::InvalidArgument, "Invalid key");
            }
            if (!version_id.empty() && !valid_version_id(version_id)) {
                throw AwsError(errors::NoSuchVersion, "The specified version does not exist.");
            }
            const HttpResponse answer = delete_object(one);
            if (!quiet) {
                xml.open("Deleted").element("Key", key);
                if (!version_id.empty()) {
                    xml.element("VersionId", version_id);
                }
                if (answer.headers.get("x-amz-delete-marker") == "true") {
                    xml.element("DeleteMarker", "true")
                        .element("DeleteMarkerVersionId", answer.headers.get("x-amz-version-id"));
                }
                xml.close("Deleted");
            }
        } catch (const AwsError& error) {
            xml.open("Error").element("Key", key);
            if (!version_id.empty()) {
                xml.element("VersionId", version_id);
            }
            xml.element("Code", error.spec().code).element("Message", error.what()).close("Error");
        }
    }
    xml.close("DeleteResult");
    return xml_response(xml.release());
}

namespace {

// x-amz-metadata-directive or x-amz-tagging-directive: COPY (the default) or REPLACE.
std::string directive(const S3Call& call, std::string_view header, std::string_view what) {
    const std::string value(call.header(header));
    if (!value.empty() && value != "COPY" && value != "REPLACE") {
        throw AwsError(errors::InvalidArgument, "Unknown " + std::string(what) + " directive.")
            .with("ArgumentName", std::string(header))
            .with("ArgumentValue", value);
    }
    return value;
}

}  // namespace

HttpResponse S3Service::copy_object(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    const CopySource source = parse_copy_source(call.header("x-amz-copy-source"));
    const auto& source_version = source.version_id;
    HttpRequest source_request;
    if (source_version) {
        source_request.query.emplace_back("versionId", *source_version);
    }
    const S3Call source_call{call.ctx, source_request, S3Target{source.bucket, source.key}};
    const Bucket source_bucket = require_bucket(source_call);
    const ObjectVersion original = require_object(source_call, source_bucket);
    if (original.delete_marker) {
        if (source_version) {
            throw AwsError(errors::InvalidRequest,
                           "The source of a copy request may not specifically refer to a delete "
                           "marker by version id.");
        }
        throw AwsError(errors::NoSuchKey, "The specified key does not exist.")
            .with("Key", source_call.target.key);
    }
    const std::string source_class = original.metadata.value("StorageClass", std::string());
    if (source_class == "GLACIER" || source_class == "DEEP_ARCHIVE") {
        throw AwsError(errors::InvalidObjectState,
                       "Operation is not valid for the source object's storage class")
            .with("StorageClass", source_class);
    }
    check_copy_source_conditions(call, original);
    const auto& headers = call.request.headers;
    const bool replace = directive(call, "x-amz-metadata-directive", "metadata") == "REPLACE";
    const bool replace_tags = directive(call, "x-amz-tagging-directive", "tagging") == "REPLACE";
    // What a copy onto itself must change for S3 to take it.
    const bool changes_something = replace || source_version ||
                                   headers.contains("x-amz-storage-class") ||
                                   headers.contains("x-amz-website-redirect-location") ||
                                   headers.contains("x-amz-server-side-encryption");
    if (!changes_something && source_bucket.name == bucket.name &&
        source_call.target.key == call.target.key) {
        throw AwsError(errors::InvalidRequest,
                       "This copy request is illegal because it is trying to copy an object to "
                       "itself without changing the object's metadata, storage class, website "
                       "redirect location or encryption attributes.");
    }
    ObjectVersion copy = original;
    copy.bucket = bucket.name;
    copy.key = call.target.key;
    copy.version_id = new_version_id(bucket);
    copy.is_latest = true;
    copy.last_modified_ms = to_epoch_ms(call.ctx.now());
    if (replace) {
        copy.metadata = object_metadata_from(call.request);
        for (const char* kept :
             {"ChecksumAlgorithm", "ChecksumValue", "ChecksumType", "PartsCount", "PartSizes"}) {
            if (original.metadata.contains(kept)) {
                copy.metadata[kept] = original.metadata[kept];
            }
        }
    } else {
        // The storage class and the website redirect belong to the copy's request, not to the
        // source: without the headers, STANDARD and none.
        copy.metadata.erase("StorageClass");
        copy.metadata.erase("WebsiteRedirectLocation");
        const nlohmann::json requested = object_metadata_from(call.request);
        for (const char* own : {"StorageClass", "WebsiteRedirectLocation"}) {
            if (requested.contains(own)) {
                copy.metadata[own] = requested[own];
            }
        }
    }
    if (replace_tags) {
        copy.tags = tags_from_header(call.header("x-amz-tagging"));
    }
    if (original.file.empty()) {
        copy.body = store_.body_of(original);
    } else {
        // Payload files never change once written, so a copy can share the bytes.
        std::vector<std::string> files;
        try {
            for (const auto& file : payload_files(original.file)) {
                files.push_back(auth::fast_uuid_v4());
                std::error_code ec;
                std::filesystem::create_hard_link(file_path(file), file_path(files.back()), ec);
                if (ec) {
                    std::filesystem::copy_file(file_path(file), file_path(files.back()));
                }
            }
        } catch (...) {
            // What was linked so far no row ever named: gone now, as the request fails.
            for (const auto& file : files) {
                std::error_code ignored;
                std::filesystem::remove(file_path(file), ignored);
            }
            throw;
        }
        copy.file = join_payload_files(files);
    }
    discard_later(store_.put_object(bucket, copy));
    notify(call, bucket, "ObjectCreated:Copy", copy.key, &copy);

    XmlWriter xml;
    xml.open("CopyObjectResult", kXmlns)
        .element("ETag", copy.etag)
        .element("LastModified", xml_timestamp(copy.last_modified_ms))
        .close("CopyObjectResult");
    HttpResponse response = xml_response(xml.release());
    if (bucket.versioning == "Enabled") {
        response.headers.add("x-amz-version-id", copy.version_id);
    }
    if (source_version) {
        response.headers.add("x-amz-copy-source-version-id", *source_version);
    }
    return response;
}

HttpResponse S3Service::get_object_tagging(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    const ObjectVersion object = require_object(call, bucket);
    XmlWriter xml;
    xml.open("Tagging", kXmlns).open("TagSet");
    for (const auto& [key, value] : object.tags.items()) {
        xml.open("Tag").element("Key", key).element("Value", value.get<std::string>()).close("Tag");
    }
    xml.close("TagSet").close("Tagging");
    HttpResponse response = xml_response(xml.release());
    if (object.version_id != "null") {
        response.headers.add("x-amz-version-id", object.version_id);
    }
    return response;
}

HttpResponse S3Service::put_object_tagging(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    const ObjectVersion object = require_object(call, bucket);
    const auto document = parse_xml_body(body_text(call));
    if (!document.child("Tagging").child("TagSet")) {
        throw AwsError(errors::MalformedXML,
                       "The XML you provided was not well-formed or did not validate against our "
                       "published schema");
    }
    std::vector<std::pair<std::string, std::string>> pairs;
    for (const auto tag : document.child("Tagging").child("TagSet").children("Tag")) {
        if (!tag.child("Key") || !tag.child("Value")) {
            throw AwsError(errors::MalformedXML,
                           "The XML you provided was not well-formed or did not validate against "
                           "our published schema");
        }
        pairs.emplace_back(tag.child_value("Key"), tag.child_value("Value"));
    }
    store_.set_tags(object, checked_object_tags(pairs));
    HttpResponse response = empty_response(200);
    if (object.version_id != "null") {
        response.headers.add("x-amz-version-id", object.version_id);
    }
    return response;
}

HttpResponse S3Service::delete_object_tagging(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    const ObjectVersion object = require_object(call, bucket);
    store_.set_tags(object, nlohmann::json::object());
    return empty_response(204);
}

// Object Lock is not emulated: a bucket without it answers as AWS does, and one created with it
// says that the settings of its objects are not implemented (rather than storing settings
// nothing would enforce).
HttpResponse S3Service::object_lock_setting(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    if (!store_.config(bucket.name, "object-lock")) {
        throw AwsError(errors::InvalidRequest, "Bucket is missing Object Lock Configuration");
    }
    require_object(call, bucket);
    throw not_implemented();
}

HttpResponse S3Service::get_object_acl(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    require_object(call, bucket);
    return owner_full_control_acl(bucket.account_id);
}

HttpResponse S3Service::put_object_acl(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    require_object(call, bucket);
    return empty_response(200);
}

}  // namespace awsemu::s3
