// GetObjectAttributes: what HEAD tells of an object, and its parts, as one XML document of the
// attributes x-amz-object-attributes asks for.
#include <algorithm>
#include <array>
#include <charconv>

#include "emulator/runtime/time_format.hpp"
#include "services/s3/checksums.hpp"
#include "services/s3/s3_errors.hpp"
#include "services/s3/s3_service.hpp"

namespace awsemu::s3 {
namespace {

constexpr std::array<std::string_view, 5> kAttributes = {"ETag", "Checksum", "ObjectParts",
                                                         "StorageClass", "ObjectSize"};

// The comma-separated names of x-amz-object-attributes; InvalidArgument for an unknown one or
// none at all.
std::vector<std::string> requested_attributes(std::string_view header) {
    std::vector<std::string> names = header_list(header);
    for (const auto& name : names) {
        if (std::find(kAttributes.begin(), kAttributes.end(), name) == kAttributes.end()) {
            throw AwsError(errors::InvalidArgument, "Invalid attribute name specified.")
                .with("ArgumentName", "x-amz-object-attributes")
                .with("ArgumentValue", name);
        }
    }
    return names;
}

// x-amz-max-parts and x-amz-part-number-marker: whole numbers, `fallback` when absent.
int number_header(const S3Call& call, std::string_view header, int fallback) {
    const std::string_view text = call.header(header);
    if (text.empty()) {
        return fallback;
    }
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0) {
        throw AwsError(errors::InvalidArgument, "Provided " + std::string(header) +
                                                    " not an integer or within integer range")
            .with("ArgumentName", std::string(header))
            .with("ArgumentValue", std::string(text));
    }
    return value;
}

void write_checksum(XmlWriter& xml, const nlohmann::json& metadata) {
    if (!metadata.contains("ChecksumAlgorithm") || !metadata.contains("ChecksumValue")) {
        return;
    }
    const auto algorithm =
        parse_checksum_algorithm(metadata["ChecksumAlgorithm"].get<std::string>());
    if (!algorithm) {
        return;
    }
    xml.open("Checksum")
        .element("Checksum" + std::string(checksum_name(*algorithm)),
                 metadata["ChecksumValue"].get<std::string>())
        .element("ChecksumType", metadata.value("ChecksumType", std::string("FULL_OBJECT")))
        .close("Checksum");
}

// A multipart object's parts, a page of them from after `marker`; nothing for an object
// uploaded whole (AWS leaves ObjectParts out for those).
void write_parts(XmlWriter& xml, const ObjectVersion& object, int max_parts, int marker) {
    if (!object.metadata.contains("PartsCount")) {
        return;
    }
    const std::vector<std::uint64_t> sizes = object.part_sizes();
    xml.open("ObjectParts")
        .element("PartsCount", std::to_string(object.metadata["PartsCount"].get<int>()));
    if (!sizes.empty()) {
        // At most 10,000 parts: a marker past them is clamped before anything adds to it.
        const int total = static_cast<int>(sizes.size());
        marker = std::min(marker, total);
        const int last = marker + std::min(max_parts, total - marker);
        xml.element("PartNumberMarker", std::to_string(marker))
            .element("NextPartNumberMarker", std::to_string(last))
            .element("MaxParts", std::to_string(max_parts))
            .element("IsTruncated", last < total ? "true" : "false");
        for (int number = marker + 1; number <= last; ++number) {
            xml.open("Part")
                .element("PartNumber", std::to_string(number))
                .element("Size", std::to_string(sizes[static_cast<std::size_t>(number - 1)]))
                .close("Part");
        }
    }
    xml.close("ObjectParts");
}

}  // namespace

HttpResponse S3Service::get_object_attributes(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    const std::vector<std::string> wanted =
        requested_attributes(call.header("x-amz-object-attributes"));
    const int max_parts = std::min(number_header(call, "x-amz-max-parts", 1000), 1000);
    const int part_marker = number_header(call, "x-amz-part-number-marker", 0);
    const ObjectVersion object = require_live_object(call, bucket);
    const auto asked = [&](std::string_view name) {
        return std::find(wanted.begin(), wanted.end(), name) != wanted.end();
    };

    XmlWriter xml;
    xml.open("GetObjectAttributesResponse", kXmlns);
    if (asked("ETag")) {
        xml.element("ETag", etag_hex(object.etag));  // unquoted here, unlike the header
    }
    if (asked("Checksum")) {
        write_checksum(xml, object.metadata);
    }
    if (asked("ObjectParts")) {
        write_parts(xml, object, max_parts, part_marker);
    }
    if (asked("StorageClass")) {
        xml.element("StorageClass", object.metadata.value("StorageClass", std::string("STANDARD")));
    }
    if (asked("ObjectSize")) {
        xml.element("ObjectSize", std::to_string(object.size));
    }
    xml.close("GetObjectAttributesResponse");
    HttpResponse response = xml_response(xml.release());
    response.headers.add("Last-Modified", format_http_date(from_epoch_ms(object.last_modified_ms)));
    if (!bucket.versioning.empty()) {
        response.headers.add("x-amz-version-id", object.version_id);
    }
    return response;
}

}  // namespace awsemu::s3
