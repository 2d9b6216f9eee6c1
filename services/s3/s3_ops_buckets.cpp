#include <algorithm>

#include "emulator/protocol/rest_xml_codec.hpp"
#include "emulator/runtime/time_format.hpp"
#include "services/s3/s3_errors.hpp"
#include "services/s3/s3_service.hpp"

namespace awsemu::s3 {
namespace {

// 3-63 characters of lower-case letters, digits, dots and hyphens, beginning and ending with a
// letter or digit, no "..", and not shaped like an IP address.
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
    const bool ip_shaped = std::all_of(name.begin(), name.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
    });
    return allowed && !ip_shaped;
}

std::string location_constraint(const std::string& body) {
    if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
        return {};
    }
    const auto document = parse_xml_body(body);
    return document.child("CreateBucketConfiguration").child_value("LocationConstraint");
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
    if (kind == "ownershipControls") {
        // Since April 2023 new buckets have BucketOwnerEnforced.
        xml.open("OwnershipControls", kXmlns)
            .open("Rule")
            .element("ObjectOwnership", "BucketOwnerEnforced")
            .close("Rule")
            .close("OwnershipControls");
        return xml_response(xml.release());
    }
    if (kind == "publicAccessBlock") {
        // ... and block all public access.
        xml.open("PublicAccessBlockConfiguration", kXmlns);
        for (const char* flag : {"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy",
                                 "RestrictPublicBuckets"}) {
            xml.element(flag, "true");
        }
        xml.close("PublicAccessBlockConfiguration");
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
    };
    for (const auto& missing : kMissing) {
        if (missing.kind == kind) {
            throw AwsError(missing.error, std::string(missing.message)).with("BucketName", bucket);
        }
    }
    throw AwsError(errors::NotImplemented,
                   "A header you provided implies functionality that is "
                   "not implemented");
}

}  // namespace

HttpResponse S3Service::list_buckets(const S3Call& call) {
    XmlWriter xml;
    xml.open("ListAllMyBucketsResult", kXmlns);
    write_owner(xml, call.ctx.scope.account_id);
    xml.open("Buckets");
    for (const auto& bucket : store_.buckets_of(call.ctx.scope.account_id)) {
        xml.open("Bucket")
            .element("Name", bucket.name)
            .element("CreationDate", xml_timestamp(bucket.created_ms))
            .element("BucketRegion", bucket.region)
            .close("Bucket");
    }
    xml.close("Buckets").close("ListAllMyBucketsResult");
    return xml_response(xml.release());
}

HttpResponse S3Service::create_bucket(const S3Call& call) {
    const std::string& name = call.target.bucket;
    if (!valid_bucket_name(name)) {
        throw AwsError(errors::InvalidBucketName, "The specified bucket is not valid.")
            .with("BucketName", name);
    }
    const std::string constraint = location_constraint(body_text(call));
    const std::string& region = call.ctx.scope.region;
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
        store_.insert_bucket(
            Bucket{name, call.ctx.scope.account_id, region, to_epoch_ms(call.ctx.now()), ""});
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
            return xml_response(*stored);
        }
        if (name != "versionId") {
            return unconfigured(bucket.name, name);
        }
    }
    return unconfigured(bucket.name, "");
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
    } else if (kind == "acl" && body.empty()) {
        return empty_response(200);  // a canned ACL header: accepted, nothing to keep
    } else {
        parse_xml_body(body);  // MalformedXML unless it is XML
    }
    store_.set_config(bucket.name, kind, body);
    return empty_response(kind == "policy" || kind == "tagging" || kind == "cors" ? 204 : 200);
}

HttpResponse S3Service::delete_bucket_config(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    store_.delete_config(bucket.name, call.request.query.front().first);
    return empty_response(204);
}

HttpResponse S3Service::cors_preflight(const S3Call& call) {
    const auto fail = [] {
        return AwsError(errors::CorsForbidden,
                        "CORSResponse: This CORS request is not allowed. "
                        "This is usually because the evalution of Origin, "
                        "request method / Access-Control-Request-Method "
                        "or Access-Control-Request-Headers are not "
                        "whitelisted by the resource's CORS spec.");
    };
    const auto bucket = store_.find_bucket(call.target.bucket);
    const auto rules = bucket ? store_.config(bucket->name, "cors") : std::nullopt;
    const std::string origin(call.header("Origin"));
    const std::string method(call.header("Access-Control-Request-Method"));
    if (!rules || origin.empty() || method.empty()) {
        throw fail();
    }
    const auto matches = [](const std::string& pattern, const std::string& value) {
        // One '*' wildcard, as S3's AllowedOrigin allows.
        const auto star = pattern.find('*');
        if (star == std::string::npos) {
            return pattern == value;
        }
        return value.size() >= pattern.size() - 1 &&
               value.compare(0, star, pattern, 0, star) == 0 &&
               value.compare(value.size() - (pattern.size() - star - 1), std::string::npos, pattern,
                             star + 1) == 0;
    };
    const auto document = parse_xml_body(*rules);
    for (const auto rule : document.child("CORSConfiguration").children("CORSRule")) {
        bool origin_ok = false;
        for (const auto allowed : rule.children("AllowedOrigin")) {
            origin_ok = origin_ok || matches(allowed.child_value(), origin);
        }
        bool method_ok = false;
        for (const auto allowed : rule.children("AllowedMethod")) {
            method_ok = method_ok || method == allowed.child_value();
        }
        if (!origin_ok || !method_ok) {
            continue;
        }
        HttpResponse response;
        const bool any_origin = std::string_view(rule.child_value("AllowedOrigin")) == "*";
        response.headers.add("Access-Control-Allow-Origin", any_origin ? "*" : origin);
        std::string methods;
        for (const auto allowed : rule.children("AllowedMethod")) {
            methods += (methods.empty() ? "" : ", ") + std::string(allowed.child_value());
        }
        response.headers.add("Access-Control-Allow-Methods", methods);
        if (const auto requested = call.header("Access-Control-Request-Headers");
            !requested.empty()) {
            response.headers.add("Access-Control-Allow-Headers", std::string(requested));
        }
        std::string expose;
        for (const auto header : rule.children("ExposeHeader")) {
            expose += (expose.empty() ? "" : ", ") + std::string(header.child_value());
        }
        if (!expose.empty()) {
            response.headers.add("Access-Control-Expose-Headers", expose);
        }
        if (const std::string max_age = rule.child_value("MaxAgeSeconds"); !max_age.empty()) {
            response.headers.add("Access-Control-Max-Age", max_age);
        }
        response.headers.add("Vary",
                             "Origin, Access-Control-Request-Headers, "
                             "Access-Control-Request-Method");
        return response;
    }
    throw fail();
}

}  // namespace awsemu::s3
