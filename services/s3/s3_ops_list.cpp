#include <charconv>

#include "emulator/auth/crypto.hpp"
#include "emulator/protocol/url_encoding.hpp"
#include "services/s3/s3_errors.hpp"
#include "services/s3/s3_service.hpp"

namespace awsemu::s3 {
namespace {

constexpr int kDefaultMaxKeys = 1000;
// Greater than any byte of UTF-8: appended to a common prefix, it skips every key under it.
constexpr std::string_view kPastPrefix = "\xFF";

int max_keys_of(const S3Call& call, std::string_view parameter) {
    const auto text = call.query(parameter);
    if (!text) {
        return kDefaultMaxKeys;
    }
    int value = 0;
    const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || end != text->data() + text->size() || value < 0) {
        throw AwsError(errors::InvalidArgument,
                       "Provided max-keys not an integer or within "
                       "integer range")
            .with("ArgumentName", std::string(parameter))
            .with("ArgumentValue", *text);
    }
    return std::min(value, kDefaultMaxKeys);
}

// encoding-type=url: keys and prefixes percent-encoded, as S3 encodes them.
std::string encode(const std::string& text, bool url) {
    return url ? uri_encode(text, /*keep_slash=*/true) : text;
}

// encoding-type: "url" or nothing.
bool encoding_is_url(const S3Call& call) {
    const auto encoding = call.query("encoding-type");
    if (encoding && *encoding != "url") {
        throw AwsError(errors::InvalidArgument, "Invalid Encoding Method specified in Request")
            .with("ArgumentName", "encoding-type")
            .with("ArgumentValue", *encoding);
    }
    return encoding.has_value();
}

struct Listing {
    std::vector<ObjectVersion> contents;
    std::vector<std::string> common_prefixes;
    bool truncated = false;
    std::string last;  // the last key or common prefix listed
};

}  // namespace

HttpResponse S3Service::list_objects(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    const bool v2 = call.query("list-type") == "2";
    const std::string prefix = call.query("prefix").value_or("");
    const std::string delimiter = call.query("delimiter").value_or("");
    const int max_keys = max_keys_of(call, "max-keys");
    const bool url = encoding_is_url(call);
    const auto token = call.query("continuation-token");
    std::string after;
    if (v2) {
        after = call.query("start-after").value_or("");
        if (token) {
            const auto decoded = auth::base64_decode(*token);
            if (!decoded) {
                throw AwsError(errors::InvalidArgument,
                               "The continuation token provided is incorrect")
                    .with("ArgumentName", "continuation-token");
            }
            after = std::max(after, *decoded);
        }
    } else {
        after = call.query("marker").value_or("");
    }

    Listing listing;
    std::string cursor = after;
    while (static_cast<int>(listing.contents.size() + listing.common_prefixes.size()) < max_keys) {
        const auto page = store_.list_latest(bucket.name, prefix, cursor, 1000);
        if (page.empty()) {
            break;
        }
        for (const auto& object : page) {
            if (static_cast<int>(listing.contents.size() + listing.common_prefixes.size()) >=
                max_keys) {
                listing.truncated = true;
                break;
            }
            cursor = object.key;
            const auto at =
                delimiter.empty() ? std::string::npos : object.key.find(delimiter, prefix.size());
            if (at != std::string::npos) {
                const std::string common = object.key.substr(0, at + delimiter.size());
                if (common <= after) {
                    continue;  // a marker inside this prefix: the prefix was listed before
                }
                listing.common_prefixes.push_back(common);
                listing.last = common;
                cursor = common + std::string(kPastPrefix);
                break;  // the next page starts past the prefix
            }
            listing.contents.push_back(object);
            listing.last = object.key;
        }
        if (listing.truncated) {
            break;
        }
    }
    // max-keys=0 asks for nothing and, as on AWS, gets a page that is not truncated.
    if (!listing.truncated && max_keys > 0 &&
        static_cast<int>(listing.contents.size() + listing.common_prefixes.size()) >= max_keys) {
        listing.truncated = !store_.list_latest(bucket.name, prefix, cursor, 1).empty();
    }

    XmlWriter xml;
    xml.open("ListBucketResult", kXmlns).element("Name", bucket.name);
    xml.element("Prefix", encode(prefix, url));
    if (v2) {
        if (token) {
            xml.element("ContinuationToken", *token);
        }
        if (const auto start_after = call.query("start-after")) {
            xml.element("StartAfter", encode(*start_after, url));
        }
        xml.element("KeyCount",
                    std::to_string(listing.contents.size() + listing.common_prefixes.size()));
    } else {
        xml.element("Marker", encode(after, url));
    }
    if (!delimiter.empty()) {
        xml.element("Delimiter", encode(delimiter, url));
    }
    xml.element("MaxKeys", std::to_string(max_keys));
    if (url) {
        xml.element("EncodingType", "url");
    }
    xml.element("IsTruncated", listing.truncated ? "true" : "false");
    if (listing.truncated) {
        if (v2) {
            xml.element("NextContinuationToken", auth::base64_encode(listing.last));
        } else if (!delimiter.empty()) {
            xml.element("NextMarker", encode(listing.last, url));
        }
    }
    const bool with_owner = !v2 || call.query("fetch-owner") == "true";
    for (const auto& object : listing.contents) {
        xml.open("Contents")
            .element("Key", encode(object.key, url))
            .element("LastModified", xml_timestamp(object.last_modified_ms))
            .element("ETag", object.etag);
        if (object.metadata.contains("ChecksumAlgorithm")) {
            xml.element("ChecksumAlgorithm",
                        object.metadata["ChecksumAlgorithm"].get<std::string>());
            xml.element("ChecksumType",
                        object.metadata.value("ChecksumType", std::string("FULL_OBJECT")));
        }
        xml.element("Size", std::to_string(object.size))
            .element("StorageClass",
                     object.metadata.value("StorageClass", std::string("STANDARD")));
        if (with_owner) {
            write_owner(xml, bucket.account_id);
        }
        xml.close("Contents");
    }
    for (const auto& common : listing.common_prefixes) {
        xml.open("CommonPrefixes").element("Prefix", encode(common, url)).close("CommonPrefixes");
    }
    xml.close("ListBucketResult");
    return xml_response(xml.release());
}

HttpResponse S3Service::list_object_versions(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    const std::string prefix = call.query("prefix").value_or("");
    const std::string delimiter = call.query("delimiter").value_or("");
    const int max_keys = max_keys_of(call, "max-keys");
    const std::string key_marker = call.query("key-marker").value_or("");
    const std::string version_id_marker = call.query("version-id-marker").value_or("");
    const bool url = encoding_is_url(call);
    if (!version_id_marker.empty()) {
        if (key_marker.empty()) {
            throw AwsError(errors::InvalidArgument,
                           "A version-id marker cannot be specified without a key marker.")
                .with("ArgumentName", "version-id-marker")
                .with("ArgumentValue", version_id_marker);
        }
        if (!valid_version_id(version_id_marker)) {
            throw AwsError(errors::InvalidArgument, "Invalid version id specified")
                .with("ArgumentName", "version-id-marker")
                .with("ArgumentValue", version_id_marker);
        }
    }

    // Each version, delete marker and common prefix counts towards max-keys, so a page may end
    // inside a key: the next one goes on from its version-id marker.
    std::vector<ObjectVersion> versions;
    std::vector<std::string> common_prefixes;
    std::string cursor = key_marker;
    std::optional<std::string> cursor_version;
    if (!version_id_marker.empty()) {
        cursor_version = version_id_marker;
    }
    const auto listed = [&] { return static_cast<int>(versions.size() + common_prefixes.size()); };
    bool truncated = false;
    std::string next_key_marker;
    std::optional<std::string> next_version_marker;
    for (bool more = max_keys > 0; more && !truncated;) {  // max-keys=0: as ListObjects
        constexpr int kPage = 1000;
        const auto page = store_.list_versions(bucket.name, prefix, cursor, cursor_version, kPage);
        more = static_cast<int>(page.size()) == kPage;
        for (const auto& version : page) {
            const auto at =
                delimiter.empty() ? std::string::npos : version.key.find(delimiter, prefix.size());
            if (at != std::string::npos) {
                const std::string common = version.key.substr(0, at + delimiter.size());
                // A marker inside the prefix: the prefix was listed before.
                if (common > key_marker) {
                    if (listed() >= max_keys) {
                        truncated = true;
                        break;
                    }
                    common_prefixes.push_back(common);
                    next_key_marker = common;
                    next_version_marker.reset();
                }
                cursor = common + std::string(kPastPrefix);  // the next page starts past it
                cursor_version.reset();
                more = true;
                break;
            }
            if (listed() >= max_keys) {
                truncated = true;
                break;
            }
            versions.push_back(version);
            cursor = next_key_marker = version.key;
            cursor_version = next_version_marker = version.version_id;
        }
    }

    XmlWriter xml;
    xml.open("ListVersionsResult", kXmlns)
        .element("Name", bucket.name)
        .element("Prefix", encode(prefix, url))
        .element("KeyMarker", encode(key_marker, url))
        .element("VersionIdMarker", call.query("version-id-marker").value_or(""))
        .element("MaxKeys", std::to_string(max_keys));
    if (!delimiter.empty()) {
        xml.element("Delimiter", encode(delimiter, url));
    }
    if (url) {
        xml.element("EncodingType", "url");
    }
    xml.element("IsTruncated", truncated ? "true" : "false");
    if (truncated && !next_key_marker.empty()) {
        xml.element("NextKeyMarker", encode(next_key_marker, url));
        if (next_version_marker) {
            xml.element("NextVersionIdMarker", *next_version_marker);
        }
    }
    for (const auto& version : versions) {
        const char* element = version.delete_marker ? "DeleteMarker" : "Version";
        xml.open(element)
            .element("Key", encode(version.key, url))
            .element("VersionId", version.version_id)
            .element("IsLatest", version.is_latest ? "true" : "false")
            .element("LastModified", xml_timestamp(version.last_modified_ms));
        if (!version.delete_marker) {
            xml.element("ETag", version.etag)
                .element("Size", std::to_string(version.size))
                .element("StorageClass",
                         version.metadata.value("StorageClass", std::string("STANDARD")));
        }
        write_owner(xml, bucket.account_id);
        xml.close(element);
    }
    for (const auto& common : common_prefixes) {
        xml.open("CommonPrefixes").element("Prefix", encode(common, url)).close("CommonPrefixes");
    }
    xml.close("ListVersionsResult");
    return xml_response(xml.release());
}

}  // namespace awsemu::s3
