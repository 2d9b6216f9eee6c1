#include <algorithm>

#include "emulator/auth/crypto.hpp"
#include "emulator/protocol/rest_xml_codec.hpp"
#include "emulator/runtime/time_format.hpp"
#include "emulator/wildcard.hpp"
#include "services/s3/bucket_policy.hpp"
#include "services/s3/s3_errors.hpp"
#include "services/s3/s3_service.hpp"

namespace awsemu::s3 {
namespace {

// Four dot-separated groups of one to three digits, as 192.168.5.4 (names of digits alone,
// like 123, are fine).
bool ip_address_shaped(std::string_view name) {
    int groups = 0;
    std::size_t digits = 0;
    for (const char c : name) {
        if (std::isdigit(static_cast<unsigned char>(c))) {
            ++digits;
        } else if (c != '.' || digits == 0) {
            return false;
        } else {
            ++groups;
            digits = 0;
        }
        if (digits > 3) {
            return false;
        }
    }
    return groups == 3 && digits > 0;
}

// 3-63 characters of lower-case letters, digits, dots and hyphens, beginning and ending with a
// letter or digit, no "..", not shaped like an IP address, none of AWS's reserved prefixes and
// suffixes.
bool valid_bucket_name(std::string_view name) {
    if (name.size() < 3 || name.size() > 63 || name.find("..") != std::string_view::npos ||
        !std::isalnum(static_cast<unsigned char>(name.front())) ||
        !std::isalnum(static_cast<unsigned char>(name.back()))) {
        return false;
    }
    const bool allowed = std::all_of(name.begin(), name.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) ||
               std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-';
    });
    const bool reserved = name.starts_with("xn--") || name.starts_with("sthree-") ||
                          name.starts_with("amzn-s3-demo-") || name.ends_with("-s3alias") ||
                          name.ends_with("--ol-s3") || name.ends_with(".mrap") ||
                          name.ends_with("--x-s3") || name.ends_with("--table-s3");
    return allowed && !ip_address_shaped(name) && !reserved;
}

// The regions a LocationConstraint may name.
bool known_region(std::string_view region) {
    static constexpr std::string_view kRegions[] = {
        "af-south-1",     "ap-east-1",      "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-south-1",     "ap-south-2",     "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
        "ap-southeast-4", "ap-southeast-5", "ca-central-1",   "ca-west-1",      "cn-north-1",
        "cn-northwest-1", "eu-central-1",   "eu-central-2",   "eu-north-1",     "eu-south-1",
        "eu-south-2",     "eu-west-1",      "eu-west-2",      "eu-west-3",      "il-central-1",
        "me-central-1",   "me-south-1",     "mx-central-1",   "sa-east-1",      "us-east-2",
        "us-gov-east-1",  "us-gov-west-1",  "us-west-1",      "us-west-2",      "EU"};
    return std::find(std::begin(kRegions), std::end(kRegions), region) != std::end(kRegions);
}

// A lifecycle configuration's TransitionDefaultMinimumObjectSize travels in this header; since
// September 2024 AWS defaults it to all_storage_classes_128K.
constexpr std::string_view kTransitionMinimumSizeHeader =
    "x-amz-transition-default-minimum-object-size";
constexpr std::string_view kDefaultTransitionMinimumSize = "all_storage_classes_128K";
constexpr const char* kTransitionMinimumSizeKind = "lifecycle-minimum-object-size";

// Each configuration document's root element, which a PUT must carry.
std::string_view config_root(std::string_view kind) {
    static constexpr std::pair<std::string_view, std::string_view> kRoots[] = {
        {"tagging", "Tagging"},
        {"cors", "CORSConfiguration"},
        {"lifecycle", "LifecycleConfiguration"},
        {"encryption", "ServerSideEncryptionConfiguration"},
        {"website", "WebsiteConfiguration"},
        {"notification", "NotificationConfiguration"},
        {"publicAccessBlock", "PublicAccessBlockConfiguration"},
        {"ownershipControls", "OwnershipControls"},
        {"logging", "BucketLoggingStatus"},
        {"accelerate", "AccelerateConfiguration"},
        {"requestPayment", "RequestPaymentConfiguration"},
        {"replication", "ReplicationConfiguration"},
        {"object-lock", "ObjectLockConfiguration"},
        {"acl", "AccessControlPolicy"}};
    for (const auto& [name, root] : kRoots) {
        if (name == kind) {
            return root;
        }
    }
    return {};
}

[[noreturn]] void malformed_xml() {
    throw AwsError(errors::MalformedXML,
                   "The XML you provided was not well-formed or did not validate against our "
                   "published schema");
}

// Checks a configuration's shape where AWS's rules are simple: root element, tag keys, CORS
// rules, notification events.
void validate_config(std::string_view kind, const pugi::xml_document& document) {
    const auto root = document.child(std::string(config_root(kind)).c_str());
    if (!root) {
        malformed_xml();
    }
    if (kind == "tagging") {
        if (!root.child("TagSet")) {
            malformed_xml();
        }
        std::vector<std::pair<std::string, std::string>> pairs;
        for (const auto tag : root.child("TagSet").children("Tag")) {
            if (!tag.child("Key") || !tag.child("Value")) {
                malformed_xml();
            }
            pairs.emplace_back(tag.child_value("Key"), tag.child_value("Value"));
        }
        if (checked_tags(pairs).size() > 50) {
            throw AwsError(errors::InvalidTag, "Bucket tag count cannot be greater than 50");
        }
    } else if (kind == "cors") {
        if (!root.child("CORSRule")) {
            malformed_xml();
        }
        for (const auto rule : root.children("CORSRule")) {
            if (!rule.child("AllowedOrigin") || !rule.child("AllowedMethod")) {
                malformed_xml();
            }
            for (const auto method : rule.children("AllowedMethod")) {
                const std::string_view m = method.child_value();
                if (m != "GET" && m != "PUT" && m != "POST" && m != "DELETE" && m != "HEAD") {
                    throw AwsError(errors::InvalidRequest,
                                   "Found unsupported HTTP method in CORS config. Unsupported "
                                   "method is " +
                                       std::string(m));
                }
            }
        }
    } else if (kind == "notification") {
        for (const auto config : root.children()) {
            for (const auto event : config.children("Event")) {
                const std::string_view name = event.child_value();
                if (!name.starts_with("s3:ObjectCreated:") &&
                    !name.starts_with("s3:ObjectRemoved:") &&
                    !name.starts_with("s3:ObjectRestore:") &&
                    !name.starts_with("s3:Replication:") &&
                    !name.starts_with("s3:ObjectTagging:") && !name.starts_with("s3:ObjectAcl:") &&
                    !name.starts_with("s3:LifecycleExpiration:") &&
                    !name.starts_with("s3:LifecycleTransition") &&
                    name != "s3:ReducedRedundancyLostObject" && name != "s3:IntelligentTiering") {
                    throw AwsError(errors::InvalidArgument,
                                   "The event is not supported for notifications")
                        .with("ArgumentName", "Event")
                        .with("ArgumentValue", std::string(name));
                }
            }
        }
    }
}

// What a CreateBucket body asks for: a region, and tags to start with.
struct BucketCreation {
    std::string location_constraint;
    std::vector<std::pair<std::string, std::string>> tags;
};

BucketCreation bucket_creation(const std::string& body) {
    BucketCreation creation;
    if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
        return creation;
    }
    const auto document = parse_xml_body(body);
    const auto configuration = document.child("CreateBucketConfiguration");
    creation.location_constraint = configuration.child_value("LocationConstraint");
    for (const auto tag : configuration.child("Tags").children("Tag")) {
        creation.tags.emplace_back(tag.child_value("Key"), tag.child_value("Value"));
    }
    return creation;
}

// The Tagging document PutBucketTagging would have stored for these tags.
std::string tagging_document(const std::vector<std::pair<std::string, std::string>>& tags) {
    XmlWriter xml;
    xml.open("Tagging", kXmlns).open("TagSet");
    for (const auto& [key, value] : tags) {
        xml.open("Tag").element("Key", key).element("Value", value).close("Tag");
    }
    xml.close("TagSet").close("Tagging");
    return xml.release();
}

// Whether an AccessControlPolicy grants nothing but FULL_CONTROL to the owner.
bool owner_only(const pugi::xml_document& document, const std::string& owner_id) {
    for (const auto grant :
         document.child("AccessControlPolicy").child("AccessControlList").children("Grant")) {
        if (std::string_view(grant.child_value("Permission")) != "FULL_CONTROL" ||
            owner_id != grant.child("Grantee").child_value("ID")) {
            return false;
        }
    }
    return true;
}

// What AWS answers for a sub-resource nobody configured.
HttpResponse unconfigured(const std::string& bucket, std::string_view kind) {
    XmlWriter xml;
    if (kind == "encryption") {
        // Since January 2023 every bucket encrypts with SSE-S3 unless told otherwise.
        xml.open("ServerSideEncryptionConfiguration", kXmlns)
            .open("Rule")
            .open("ApplyServerSideEncryptionByDefault")
            .element("SSEAlgorithm", "AES256")
            .close("ApplyServerSideEncryptionByDefault")
            .element("BucketKeyEnabled", "false")
            .close("Rule")
            .close("ServerSideEncryptionConfiguration");
        return xml_response(xml.release());
    }
    if (kind == "logging") {
        xml.open("BucketLoggingStatus", kXmlns).close("BucketLoggingStatus");
        return xml_response(xml.release());
    }
    if (kind == "accelerate") {
        xml.open("AccelerateConfiguration", kXmlns).close("AccelerateConfiguration");
        return xml_response(xml.release());
    }
    if (kind == "requestPayment") {
        xml.open("RequestPaymentConfiguration", kXmlns)
            .element("Payer", "BucketOwner")
            .close("RequestPaymentConfiguration");
        return xml_response(xml.release());
    }
    if (kind == "notification") {
        xml.open("NotificationConfiguration", kXmlns).close("NotificationConfiguration");
        return xml_response(xml.release());
    }
    struct Missing {
        std::string_view kind;
        const ErrorSpec& error;
        std::string_view message;
    };
    static const Missing kMissing[] = {
        {"tagging", errors::NoSuchTagSet, "The TagSet does not exist"},
        {"policy", errors::NoSuchBucketPolicy, "The bucket policy does not exist"},
        {"cors", errors::NoSuchCORSConfiguration, "The CORS configuration does not exist"},
        {"lifecycle", errors::NoSuchLifecycleConfiguration,
         "The lifecycle configuration does not exist"},
        {"website", errors::NoSuchWebsiteConfiguration,
         "The specified bucket does not have a website configuration"},
        {"replication", errors::ReplicationConfigurationNotFoundError,
         "The replication configuration was not found"},
        {"object-lock", errors::ObjectLockConfigurationNotFoundError,
         "Object Lock configuration does not exist for this bucket"},
        {"publicAccessBlock", errors::NoSuchPublicAccessBlockConfiguration,
         "The public access block configuration was not found"},
        {"ownershipControls", errors::OwnershipControlsNotFoundError,
         "The bucket ownership controls were not found"},
    };
    for (const auto& missing : kMissing) {
        if (missing.kind == kind) {
            throw AwsError(missing.error, std::string(missing.message)).with("BucketName", bucket);
        }
    }
    throw not_implemented();
}

}  // namespace

HttpResponse S3Service::list_buckets(const S3Call& call) {
    const auto max_buckets = call.query("max-buckets");
    const std::string prefix = call.query("prefix").value_or("");
    const auto token = call.query("continuation-token");
    const std::string after = token ? auth::base64_decode(*token).value_or("") : "";
    const bool paged =
        max_buckets || token || call.has_query("prefix") || call.has_query("bucket-region");
    const std::size_t limit =
        max_buckets
            ? static_cast<std::size_t>(std::clamp(std::atoi(max_buckets->c_str()), 1, 10000))
            : 10000;
    const auto region = call.query("bucket-region");
    std::vector<Bucket> buckets;
    for (auto& bucket : store_.buckets_of(call.ctx.scope.account_id)) {
        if (bucket.name > after && bucket.name.starts_with(prefix) &&
            (!region || bucket.region == *region)) {
            buckets.push_back(std::move(bucket));
        }
    }
    const bool truncated = buckets.size() > limit;
    buckets.resize(std::min(buckets.size(), limit));
    XmlWriter xml;
    xml.open("ListAllMyBucketsResult", kXmlns);
    write_owner(xml, call.ctx.scope.account_id);
    xml.open("Buckets");
    for (const auto& bucket : buckets) {
        xml.open("Bucket")
            .element("Name", bucket.name)
            .element("CreationDate", xml_timestamp(bucket.created_ms));
        if (paged) {
            // AWS names each bucket's region only in a paged listing.
            xml.element("BucketRegion", bucket.region);
        }
        xml.close("Bucket");
    }
    xml.close("Buckets");
    if (truncated) {
        xml.element("ContinuationToken", auth::base64_encode(buckets.back().name));
    }
    if (call.has_query("prefix")) {
        xml.element("Prefix", prefix);
    }
    xml.close("ListAllMyBucketsResult");
    return xml_response(xml.release());
}

HttpResponse S3Service::create_bucket(const S3Call& call) {
    const std::string& name = call.target.bucket;
    if (!valid_bucket_name(name)) {
        throw AwsError(errors::InvalidBucketName, "The specified bucket is not valid.")
            .with("BucketName", name);
    }
    const BucketCreation creation = bucket_creation(body_text(call));
    const std::string& constraint = creation.location_constraint;
    if (checked_tags(creation.tags).size() > 50) {
        throw AwsError(errors::InvalidTag, "Bucket tag count cannot be greater than 50");
    }
    const std::string& region = call.ctx.scope.region;
    if (!constraint.empty() && !known_region(constraint)) {
        throw AwsError(errors::InvalidLocationConstraint,
                       "The specified location-constraint is not valid")
            .with("LocationConstraint", constraint);
    }
    if (!constraint.empty() && constraint != region) {
        throw AwsError(errors::IllegalLocationConstraintException,
                       "The " + constraint +
                           " location constraint is incompatible for the region specific "
                           "endpoint this request was sent to.");
    }
    if (constraint.empty() && region != "us-east-1") {
        throw AwsError(errors::IllegalLocationConstraintException,
                       "The unspecified location constraint is incompatible for the region "
                       "specific endpoint this request was sent to.");
    }
    const std::string canned(call.header("x-amz-acl"));
    const std::string_view ownership_header = call.header("x-amz-object-ownership");
    if (!canned.empty() && canned != "private" && canned != "bucket-owner-full-control" &&
        (ownership_header.empty() || ownership_header == "BucketOwnerEnforced")) {
        throw AwsError(errors::InvalidBucketAclWithObjectOwnership,
                       "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced "
                       "setting");
    }
    if (const auto existing = store_.find_bucket(name)) {
        if (existing->account_id != call.ctx.scope.account_id) {
            throw AwsError(errors::BucketAlreadyExists,
                           "The requested bucket name is not available. The bucket namespace is "
                           "shared by all users of the system. Please select a different name "
                           "and try again.")
                .with("BucketName", name);
        }
        // us-east-1 answers a repeated create by the owner with success, for compatibility.
        if (existing->region != "us-east-1") {
            throw AwsError(errors::BucketAlreadyOwnedByYou,
                           "Your previous request to create the named bucket succeeded and you "
                           "already own it.")
                .with("BucketName", name);
        }
    } else {
        const bool object_lock = call.header("x-amz-bucket-object-lock-enabled") == "true";
        // Object Lock needs versioning, and turns it on.
        store_.insert_bucket(Bucket{name, call.ctx.scope.account_id, region,
                                    to_epoch_ms(call.ctx.now()), object_lock ? "Enabled" : ""});
        // What a new bucket has had since April 2023: ACLs off, public access blocked.
        const std::string ownership(call.header("x-amz-object-ownership"));
        XmlWriter controls;
        controls.open("OwnershipControls", kXmlns)
            .open("Rule")
            .element("ObjectOwnership", ownership.empty() ? "BucketOwnerEnforced" : ownership)
            .close("Rule")
            .close("OwnershipControls");
        store_.set_config(name, "ownershipControls", controls.release());
        XmlWriter block;
        block.open("PublicAccessBlockConfiguration", kXmlns);
        for (const char* flag : {"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy",
                                 "RestrictPublicBuckets"}) {
            block.element(flag, "true");
        }
        block.close("PublicAccessBlockConfiguration");
        store_.set_config(name, "publicAccessBlock", block.release());
        if (!creation.tags.empty()) {
            store_.set_config(name, "tagging", tagging_document(creation.tags));
        }
        if (object_lock) {
            XmlWriter lock;
            lock.open("ObjectLockConfiguration", kXmlns)
                .element("ObjectLockEnabled", "Enabled")
                .close("ObjectLockConfiguration");
            store_.set_config(name, "object-lock", lock.release());
        }
    }
    HttpResponse response;
    response.headers.add("Location", "/" + name);
    return response;
}

HttpResponse S3Service::head_bucket(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    HttpResponse response;
    response.headers.add("x-amz-bucket-region", bucket.region);
    response.headers.add("x-amz-access-point-alias", "false");
    return response;
}

HttpResponse S3Service::delete_bucket(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    if (store_.bucket_has_objects(bucket.name)) {
        throw AwsError(errors::BucketNotEmpty, "The bucket you tried to delete is not empty")
            .with("BucketName", bucket.name);
    }
    store_.delete_bucket(bucket.name);
    return empty_response(204);
}

HttpResponse S3Service::get_bucket_location(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    XmlWriter xml;
    // us-east-1 is the empty constraint, as AWS answers it.
    xml.open("LocationConstraint", kXmlns)
        .text(bucket.region == "us-east-1" ? "" : bucket.region)
        .close("LocationConstraint");
    return xml_response(xml.release());
}

HttpResponse S3Service::get_bucket_versioning(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    XmlWriter xml;
    xml.open("VersioningConfiguration", kXmlns);
    if (!bucket.versioning.empty()) {
        xml.element("Status", bucket.versioning);
    }
    xml.close("VersioningConfiguration");
    return xml_response(xml.release());
}

HttpResponse S3Service::put_bucket_versioning(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    const auto document = parse_xml_body(body_text(call));
    const std::string status = document.child("VersioningConfiguration").child_value("Status");
    if (status != "Enabled" && status != "Suspended") {
        throw AwsError(errors::MalformedXML,
                       "The XML you provided was not well-formed or did not validate against our "
                       "published schema");
    }
    store_.set_versioning(bucket.name, status);
    return empty_response(200);
}

HttpResponse S3Service::get_bucket_config(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    for (const auto& [name, value] : call.request.query) {
        if (name == "acl") {
            if (const auto stored = store_.config(bucket.name, "acl")) {
                return xml_response(*stored);
            }
            return owner_full_control_acl(bucket.account_id);
        }
        if (const auto stored = store_.config(bucket.name, name)) {
            HttpResponse response = xml_response(*stored);
            if (name == "lifecycle") {
                response.headers.add(std::string(kTransitionMinimumSizeHeader),
                                     store_.config(bucket.name, kTransitionMinimumSizeKind)
                                         .value_or(std::string(kDefaultTransitionMinimumSize)));
            }
            return response;
        }
        if (name != "versionId") {
            return unconfigured(bucket.name, name);
        }
    }
    return unconfigured(bucket.name, "");
}

bool S3Service::acls_disabled(const Bucket& bucket) {
    const auto controls = store_.config(bucket.name, "ownershipControls");
    return controls && controls->find("BucketOwnerEnforced") != std::string::npos;
}

HttpResponse S3Service::put_bucket_config(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    const std::string kind = call.request.query.front().first;
    std::string body = body_text(call);
    if (kind == "policy") {
        const auto policy = nlohmann::json::parse(body, nullptr, false);
        if (policy.is_discarded() || !policy.is_object()) {
            throw AwsError(errors::MalformedPolicy,
                           "Policies must be valid JSON and the first "
                           "byte must be '{'");
        }
        check_bucket_policy(policy, bucket.name);
        const auto block = store_.config(bucket.name, "publicAccessBlock");
        if (block &&
            block->find("<BlockPublicPolicy>true</BlockPublicPolicy>") != std::string::npos &&
            grants_public_access(policy)) {
            throw AwsError(errors::AccessDenied,
                           "User: " + call.ctx.caller_arn +
                               " is not authorized to perform: s3:PutBucketPolicy on resource: "
                               "\"arn:aws:s3:::" +
                               bucket.name +
                               "\" because public policies are blocked by the "
                               "BlockPublicPolicy block public access setting.");
        }
    } else if (kind == "acl" && body.empty()) {
        // A canned ACL: with ACLs off (BucketOwnerEnforced) only owner-only ones are allowed.
        const std::string canned(call.header("x-amz-acl"));
        if (acls_disabled(bucket) && !canned.empty() && canned != "private" &&
            canned != "bucket-owner-full-control") {
            throw AwsError(errors::AccessControlListNotSupported, "The bucket does not allow ACLs");
        }
        store_.set_config(
            bucket.name, "acl",
            canned_acl_document(bucket.account_id, canned.empty() ? "private" : canned));
        return empty_response(200);
    } else {
        const auto document = parse_xml_body(body);
        validate_config(kind, document);
        // An ACL document too may only grant the owner full control while ACLs are off.
        if (kind == "acl" && acls_disabled(bucket) &&
            !owner_only(document, canonical_user_id(bucket.account_id))) {
            throw AwsError(errors::AccessControlListNotSupported, "The bucket does not allow ACLs");
        }
    }
    if (kind == "notification") {
        check_notification_configuration(call, bucket, body);
    }
    HttpResponse response =
        empty_response(kind == "policy" || kind == "tagging" || kind == "cors" ? 204 : 200);
    if (kind == "lifecycle") {
        parse_lifecycle_configuration(body);  // throws what AWS says of bad rules
        // Stored beside the rules; clients (Terraform) wait until they read back what they set.
        std::string minimum(call.header(kTransitionMinimumSizeHeader));
        if (minimum.empty()) {
            minimum = kDefaultTransitionMinimumSize;
        } else if (minimum != "all_storage_classes_128K" && minimum != "varies_by_storage_class") {
            throw AwsError(errors::InvalidArgument,
                           "Invalid value for x-amz-transition-default-minimum-object-size")
                .with("ArgumentName", std::string(kTransitionMinimumSizeHeader))
                .with("ArgumentValue", minimum);
        }
        store_.set_config(bucket.name, kTransitionMinimumSizeKind, minimum);
        response.headers.add(std::string(kTransitionMinimumSizeHeader), minimum);
    }
    store_.set_config(bucket.name, kind, body);
    return response;
}

HttpResponse S3Service::delete_bucket_config(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    const std::string& kind = call.request.query.front().first;
    store_.delete_config(bucket.name, kind);
    if (kind == "lifecycle") {
        store_.delete_config(bucket.name, kTransitionMinimumSizeKind);
    }
    return empty_response(204);
}

namespace {

std::string joined(const pugi::xml_node& rule, const char* element) {
    std::string text;
    for (const auto node : rule.children(element)) {
        text += (text.empty() ? "" : ", ") + std::string(node.child_value());
    }
    return text;
}

}  // namespace

std::optional<HttpResponse> S3Service::cors_answer(const std::string& bucket,
                                                   const std::string& origin,
                                                   const std::string& method,
                                                   std::string_view requested_headers) {
    const auto rules = store_.config(bucket, "cors");
    if (!rules || origin.empty() || method.empty()) {
        return std::nullopt;
    }
    auto requested = header_list(requested_headers);
    std::erase(requested, "");
    const auto document = parse_xml_body(*rules);
    for (const auto rule : document.child("CORSConfiguration").children("CORSRule")) {
        bool origin_ok = false;
        bool any_origin = false;
        for (const auto allowed : rule.children("AllowedOrigin")) {
            if (wildcard_match(allowed.child_value(), origin)) {
                origin_ok = true;
                any_origin = std::string_view(allowed.child_value()) == "*";
                break;
            }
        }
        bool method_ok = false;
        for (const auto allowed : rule.children("AllowedMethod")) {
            method_ok = method_ok || method == allowed.child_value();
        }
        const bool headers_ok = std::all_of(requested.begin(), requested.end(), [&](const auto& h) {
            for (const auto allowed : rule.children("AllowedHeader")) {
                if (wildcard_match(allowed.child_value(), h, {.ignore_case = true})) {
                    return true;
                }
            }
            return false;
        });
        if (!origin_ok || !method_ok || !headers_ok) {
            continue;
        }
        HttpResponse response;
        response.headers.add("Access-Control-Allow-Origin", any_origin ? "*" : origin);
        response.headers.add("Access-Control-Allow-Methods", joined(rule, "AllowedMethod"));
        if (!requested_headers.empty()) {
            response.headers.add("Access-Control-Allow-Headers", std::string(requested_headers));
        }
        if (const std::string expose = joined(rule, "ExposeHeader"); !expose.empty()) {
            response.headers.add("Access-Control-Expose-Headers", expose);
        }
        if (const std::string max_age = rule.child_value("MaxAgeSeconds"); !max_age.empty()) {
            response.headers.add("Access-Control-Max-Age", max_age);
        }
        if (!any_origin) {
            response.headers.add("Access-Control-Allow-Credentials", "true");
        }
        response.headers.add(
            "Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
        return response;
    }
    return std::nullopt;
}

HttpResponse S3Service::cors_preflight(const S3Call& call) {
    const std::string origin(call.header("Origin"));
    if (origin.empty()) {
        throw AwsError(errors::BadRequest,
                       "Insufficient information. Origin request header "
                       "needed.");
    }
    auto answer = cors_answer(call.target.bucket, origin,
                              std::string(call.header("Access-Control-Request-Method")),
                              call.header("Access-Control-Request-Headers"));
    if (!answer) {
        throw AwsError(errors::CorsForbidden,
                       "CORSResponse: This CORS request is not allowed. This is usually because "
                       "the evalution of Origin, request method / Access-Control-Request-Method "
                       "or Access-Control-Request-Headers are not whitelisted by the resource's "
                       "CORS spec.")
            .with("Method", std::string(call.header("Access-Control-Request-Method")))
            .with("ResourceType", call.target.key.empty() ? "BUCKET" : "OBJECT");
    }
    return std::move(*answer);
}

}  // namespace awsemu::s3
