#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <unordered_set>

#include "emulator/auth/crypto.hpp"
#include "emulator/protocol/rest_xml_codec.hpp"
#include "emulator/protocol/url_encoding.hpp"
#include "emulator/runtime/time_format.hpp"
#include "services/s3/s3_errors.hpp"
#include "services/s3/s3_service.hpp"

namespace awsemu::s3 {
namespace {

constexpr std::int64_t kMinPartSize = 5 * 1024 * 1024;
constexpr int kMaxParts = 10000;

[[noreturn]] void no_such_upload(const std::string& upload_id) {
    throw AwsError(errors::NoSuchUpload,
                   "The specified upload does not exist. The upload ID may be invalid, or the "
                   "upload may have been aborted or completed.")
        .with("UploadId", upload_id);
}

int part_number_of(const S3Call& call) {
    const std::string text = call.query("partNumber").value_or("");
    int number = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || number < 1 ||
        number > kMaxParts) {
        throw AwsError(errors::InvalidArgument,
                       "Part number must be an integer between 1 and 10000, inclusive")
            .with("ArgumentName", "partNumber")
            .with("ArgumentValue", text);
    }
    return number;
}

// A file descriptor closed when it goes out of scope.
struct Fd {
    int fd = -1;
    explicit Fd(int value) : fd(value) {}
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() {
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

std::string hex_to_bytes(std::string_view hex) {
    std::string bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
        bytes.push_back(static_cast<char>(hex_value(hex[i]) * 16 + hex_value(hex[i + 1])));
    }
    return bytes;
}

[[noreturn]] void io_failure(const std::string& what) {
    throw std::runtime_error(what + ": " + std::strerror(errno));
}

}  // namespace

std::string S3Service::copy_range_of(const ObjectVersion& object, std::uint64_t offset,
                                     std::uint64_t length, Md5Hasher& md5) {
    const std::string name = auth::fast_uuid_v4();
    const Fd out(::open(file_path(name).c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (out.fd < 0) {
        io_failure("cannot create a payload file");
    }
    // A copy that fails leaves no file behind.
    try {
        if (object.file.empty()) {
            const std::string body = store_.body_of(object);
            const std::string_view bytes = std::string_view(body).substr(offset, length);
            md5.update(bytes);
            if (::write(out.fd, bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
                io_failure("cannot write a payload file");
            }
            return name;
        }
        FileSource source(file_paths(object.file), offset, length, object.part_sizes());
        std::vector<char> buffer(std::min<std::uint64_t>(length, 1024 * 1024));
        std::uint64_t copied = 0;
        while (const std::size_t got = source.read(buffer.data(), buffer.size())) {
            copied += got;
            md5.update(std::string_view(buffer.data(), got));
            for (std::size_t done = 0; done < got;) {
                const ssize_t put = ::write(out.fd, buffer.data() + done, got - done);
                if (put < 0 && errno == EINTR) {
                    continue;
                }
                if (put < 0) {
                    io_failure("cannot write a payload file");
                }
                done += static_cast<std::size_t>(put);
            }
        }
        if (copied != length) {
            throw std::runtime_error("a payload file is shorter than its object says");
        }
    } catch (...) {
        ::unlink(file_path(name).c_str());
        throw;
    }
    return name;
}

Upload S3Service::require_upload(const S3Call& call) {
    const std::string upload_id = call.query("uploadId").value_or("");
    auto upload = store_.find_upload(upload_id);
    if (!upload || upload->bucket != call.target.bucket || upload->key != call.target.key) {
        no_such_upload(upload_id);
    }
    return std::move(*upload);
}

HttpResponse S3Service::create_multipart_upload(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    Upload upload;
    upload.upload_id = auth::base64_encode(auth::random_bytes(36));
    for (char& c : upload.upload_id) {
        c = c == '+' ? '-' : c == '/' ? '_' : c;
    }
    upload.bucket = bucket.name;
    upload.key = call.target.key;
    upload.created_ms = to_epoch_ms(call.ctx.now());
    upload.metadata = object_metadata_from(call.request);
    upload.metadata["tags"] = tags_from_header(call.header("x-amz-tagging"));
    if (const auto algorithm = parse_checksum_algorithm(call.header("x-amz-checksum-algorithm"))) {
        upload.metadata["ChecksumAlgorithm"] = std::string(checksum_name(*algorithm));
        const std::string type(call.header("x-amz-checksum-type"));
        upload.metadata["ChecksumType"] =
            // AWS's default: the full-object CRC for CRC64NVME, checksums of parts otherwise.
            type.empty()
                ? (*algorithm == ChecksumAlgorithm::Crc64Nvme ? "FULL_OBJECT" : "COMPOSITE")
                : type;
    }
    store_.insert_upload(upload);
    XmlWriter xml;
    xml.open("InitiateMultipartUploadResult", kXmlns)
        .element("Bucket", bucket.name)
        .element("Key", call.target.key)
        .element("UploadId", upload.upload_id)
        .close("InitiateMultipartUploadResult");
    HttpResponse response = xml_response(xml.release());
    if (upload.metadata.contains("ChecksumAlgorithm")) {
        response.headers.add("x-amz-checksum-algorithm",
                             upload.metadata["ChecksumAlgorithm"].get<std::string>());
        response.headers.add("x-amz-checksum-type",
                             upload.metadata["ChecksumType"].get<std::string>());
    }
    return response;
}

HttpResponse S3Service::upload_part(const S3Call& call) {
    require_bucket(call);
    const int number = part_number_of(call);
    const Upload upload = require_upload(call);
    const std::string& upload_id = upload.upload_id;
    require_content_length(call);
    const auto spool = spool_of(call);
    spool->verify();
    Part part;
    part.number = number;
    part.size = spool->size();
    part.etag = quoted_etag(spool->md5_hex());
    part.last_modified_ms = to_epoch_ms(call.ctx.now());
    HttpResponse response;
    if (const auto& checksum = spool->checksum()) {
        part.checksum = {{"algorithm", std::string(checksum_name(checksum->algorithm()))},
                         {"value", checksum->base64()}};
        response.headers.add(std::string(checksum_header_name(checksum->algorithm())),
                             checksum->base64());
    }
    part.file = spool->claim();
    if (const auto replaced = store_.put_part(upload_id, part)) {
        discard_later(ObsoletePayloads{{*replaced}, {}});
    }
    response.headers.add("ETag", part.etag);
    response.headers.add("x-amz-server-side-encryption", "AES256");
    return response;
}

HttpResponse S3Service::upload_part_copy(const S3Call& call) {
    require_bucket(call);
    const int number = part_number_of(call);
    const Upload upload = require_upload(call);
    const std::string& upload_id = upload.upload_id;
    const CopySource source = parse_copy_source(call.header("x-amz-copy-source"));
    HttpRequest source_request;
    if (source.version_id) {
        source_request.query.emplace_back("versionId", *source.version_id);
    }
    const S3Call source_call{call.ctx, source_request, S3Target{source.bucket, source.key}};
    const Bucket source_bucket = require_bucket(source_call);
    const ObjectVersion original = require_object(source_call, source_bucket);
    check_copy_source_conditions(call, original);
    std::uint64_t first = 0;
    std::uint64_t last = original.size == 0 ? 0 : static_cast<std::uint64_t>(original.size) - 1;
    if (const auto range = call.request.headers.find("x-amz-copy-source-range")) {
        unsigned long long a = 0;
        unsigned long long b = 0;
        if (std::sscanf(std::string(*range).c_str(), "bytes=%llu-%llu", &a, &b) != 2 || b < a ||
            b >= static_cast<std::uint64_t>(original.size)) {
            throw AwsError(errors::InvalidArgument,
                           "Range specified is not valid for source object of size: " +
                               std::to_string(original.size))
                .with("ArgumentName", "x-amz-copy-source-range")
                .with("ArgumentValue", std::string(*range));
        }
        first = a;
        last = b;
    }
    Md5Hasher md5;
    Part part;
    part.number = number;
    part.size = original.size == 0 ? 0 : static_cast<std::int64_t>(last - first + 1);
    part.file = copy_range_of(original, first, static_cast<std::uint64_t>(part.size), md5);
    part.etag = quoted_etag(md5.hex());
    part.last_modified_ms = to_epoch_ms(call.ctx.now());
    if (const auto replaced = store_.put_part(upload_id, part)) {
        discard_later(ObsoletePayloads{{*replaced}, {}});
    }
    XmlWriter xml;
    xml.open("CopyPartResult", kXmlns)
        .element("ETag", part.etag)
        .element("LastModified", xml_timestamp(part.last_modified_ms))
        .close("CopyPartResult");
    return xml_response(xml.release());
}

HttpResponse S3Service::complete_multipart_upload(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    const Upload upload = require_upload(call);
    const std::string& upload_id = upload.upload_id;
    if (const auto none_match = call.request.headers.find("If-None-Match")) {
        const auto existing = store_.find_object(bucket.name, upload.key, std::nullopt);
        if (*none_match == "*" && existing && !existing->delete_marker) {
            throw AwsError(errors::PreconditionFailed,
                           "At least one of the pre-conditions you specified did not hold")
                .with("Condition", "If-None-Match");
        }
    }
    const auto document = parse_xml_body(body_text(call));
    const auto root = document.child("CompleteMultipartUpload");
    std::map<int, Part> uploaded;
    for (auto& part : store_.parts_of(upload_id)) {
        uploaded.emplace(part.number, std::move(part));
    }
    std::vector<const Part*> chosen;
    int previous = 0;
    for (const auto entry : root.children("Part")) {
        const int number = std::atoi(entry.child_value("PartNumber"));
        if (number <= previous) {
            throw AwsError(errors::InvalidPartOrder,
                           "The list of parts was not in ascending order. Parts must be ordered "
                           "by part number.")
                .with("UploadId", upload_id);
        }
        previous = number;
        const auto it = uploaded.find(number);
        const std::string etag = entry.child_value("ETag");
        const std::string given = etag.starts_with('"') ? etag : quoted_etag(etag);
        if (it == uploaded.end() || it->second.etag != given) {
            throw AwsError(errors::InvalidPart,
                           "One or more of the specified parts could not be found.  The part may "
                           "not have been uploaded, or the specified entity tag may not match the "
                           "part's entity tag.")
                .with("UploadId", upload_id)
                .with("PartNumber", std::to_string(number))
                .with("ETag", etag);
        }
        chosen.push_back(&it->second);
    }
    if (chosen.empty()) {
        throw AwsError(errors::MalformedXML,
                       "The XML you provided was not well-formed or did not validate against our "
                       "published schema");
    }
    for (std::size_t i = 0; i + 1 < chosen.size(); ++i) {
        if (chosen[i]->size < kMinPartSize) {
            throw AwsError(errors::EntityTooSmall,
                           "Your proposed upload is smaller than the minimum allowed size")
                .with("ProposedSize", std::to_string(chosen[i]->size))
                .with("MinSizeAllowed", std::to_string(kMinPartSize))
                .with("PartNumber", std::to_string(chosen[i]->number))
                .with("ETag", chosen[i]->etag);
        }
    }

    ObjectVersion object;
    object.bucket = bucket.name;
    object.key = upload.key;
    object.version_id = new_version_id(bucket);
    object.last_modified_ms = to_epoch_ms(call.ctx.now());
    object.metadata = upload.metadata;
    object.tags = object.metadata.value("tags", nlohmann::json::object());
    object.metadata.erase("tags");
    object.metadata["PartsCount"] = static_cast<int>(chosen.size());
    nlohmann::json part_sizes = nlohmann::json::array();
    for (const Part* part : chosen) {
        part_sizes.push_back(part->size);
    }
    object.metadata["PartSizes"] = std::move(part_sizes);
    // The parts' files become the object's payload as they are (see payload_files).
    std::vector<std::string> files;
    std::vector<std::string> raw_md5s;
    std::vector<std::string> raw_checksums;
    std::vector<PartChecksum> crcs;
    for (const Part* part : chosen) {
        files.push_back(part->file);
        object.size += part->size;
        raw_md5s.push_back(hex_to_bytes(part->etag.substr(1, part->etag.size() - 2)));
        if (part->checksum.contains("value")) {
            const auto raw = auth::base64_decode(part->checksum["value"].get<std::string>());
            raw_checksums.push_back(raw.value_or(""));
            crcs.push_back(PartChecksum{raw.value_or(""), static_cast<std::uint64_t>(part->size)});
        }
    }
    object.file = join_payload_files(files);
    object.etag = quoted_etag(multipart_etag(raw_md5s));
    if (object.metadata.contains("ChecksumAlgorithm") && raw_checksums.size() == chosen.size()) {
        const auto algorithm =
            parse_checksum_algorithm(object.metadata["ChecksumAlgorithm"].get<std::string>());
        const bool full = object.metadata.value("ChecksumType", std::string()) == "FULL_OBJECT";
        object.metadata["ChecksumValue"] = full && supports_full_object(*algorithm)
                                               ? combine_full_object(*algorithm, crcs)
                                               : composite_checksum(*algorithm, raw_checksums);
    }
    ObsoletePayloads obsolete = store_.put_object(bucket, object);
    const std::unordered_set<std::string> kept(files.begin(), files.end());
    for (const auto& [number, part] : uploaded) {
        if (!kept.contains(part.file)) {
            obsolete.files.push_back(part.file);  // uploaded but not chosen
        }
    }
    store_.delete_upload(upload_id);
    discard_later(std::move(obsolete));
    notify(call, bucket, "ObjectCreated:CompleteMultipartUpload", object.key, &object);

    XmlWriter xml;
    xml.open("CompleteMultipartUploadResult", kXmlns)
        .element("Location", call.ctx.endpoint + "/" + bucket.name + "/" + object.key)
        .element("Bucket", bucket.name)
        .element("Key", object.key)
        .element("ETag", object.etag);
    if (object.metadata.contains("ChecksumValue")) {
        xml.element("Checksum" + object.metadata["ChecksumAlgorithm"].get<std::string>(),
                    object.metadata["ChecksumValue"].get<std::string>())
            .element("ChecksumType", object.metadata["ChecksumType"].get<std::string>());
    }
    xml.close("CompleteMultipartUploadResult");
    HttpResponse response = xml_response(xml.release());
    if (bucket.versioning == "Enabled") {
        response.headers.add("x-amz-version-id", object.version_id);
    }
    return response;
}

HttpResponse S3Service::abort_multipart_upload(const S3Call& call) {
    require_bucket(call);
    discard_upload(require_upload(call).upload_id);
    return empty_response(204);
}

void S3Service::discard_upload(const std::string& upload_id) {
    std::vector<std::string> files;
    for (const auto& part : store_.parts_of(upload_id)) {
        files.push_back(part.file);
    }
    store_.delete_upload(upload_id);
    discard_later({std::move(files), {}});
}

HttpResponse S3Service::list_parts(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    const Upload upload = require_upload(call);
    const std::string& upload_id = upload.upload_id;
    const int marker = std::atoi(call.query("part-number-marker").value_or("0").c_str());
    const int max_parts =
        std::clamp(std::atoi(call.query("max-parts").value_or("1000").c_str()), 0, 1000);
    XmlWriter xml;
    xml.open("ListPartsResult", kXmlns)
        .element("Bucket", bucket.name)
        .element("Key", upload.key)
        .element("UploadId", upload_id)
        .element("PartNumberMarker", std::to_string(marker));
    std::vector<Part> parts;
    for (auto& part : store_.parts_of(upload_id)) {
        if (part.number > marker) {
            parts.push_back(std::move(part));
        }
    }
    const bool truncated = static_cast<int>(parts.size()) > max_parts;
    parts.resize(std::min<std::size_t>(parts.size(), static_cast<std::size_t>(max_parts)));
    xml.element("NextPartNumberMarker", std::to_string(parts.empty() ? 0 : parts.back().number))
        .element("MaxParts", std::to_string(max_parts))
        .element("IsTruncated", truncated ? "true" : "false");
    for (const auto& part : parts) {
        xml.open("Part")
            .element("PartNumber", std::to_string(part.number))
            .element("LastModified", xml_timestamp(part.last_modified_ms))
            .element("ETag", part.etag)
            .element("Size", std::to_string(part.size));
        if (part.checksum.contains("value")) {
            xml.element("Checksum" + part.checksum["algorithm"].get<std::string>(),
                        part.checksum["value"].get<std::string>());
        }
        xml.close("Part");
    }
    write_owner(xml, bucket.account_id, "Initiator");
    write_owner(xml, bucket.account_id);
    xml.element("StorageClass", upload.metadata.value("StorageClass", std::string("STANDARD")))
        .close("ListPartsResult");
    return xml_response(xml.release());
}

HttpResponse S3Service::list_multipart_uploads(const S3Call& call) {
    const Bucket bucket = require_bucket(call);
    const std::string prefix = call.query("prefix").value_or("");
    const std::string delimiter = call.query("delimiter").value_or("");
    const int max_uploads =
        std::clamp(std::atoi(call.query("max-uploads").value_or("1000").c_str()), 0, 1000);
    const std::string key_marker = call.query("key-marker").value_or("");
    const std::string id_marker = call.query("upload-id-marker").value_or("");

    // Uploads come by key, then by when they started. A page goes on after the upload the
    // markers name; if that one is gone (completed or aborted since), after the key's uploads
    // whose ids sort at or below the marker, as AWS's documentation words it.
    const std::vector<Upload> all = store_.uploads_of(bucket.name, prefix);
    auto from =
        std::find_if(all.begin(), all.end(), [&](const Upload& u) { return u.key >= key_marker; });
    if (!id_marker.empty()) {
        const auto key_end =
            std::find_if(from, all.end(), [&](const Upload& u) { return u.key != key_marker; });
        const auto marker =
            std::find_if(from, key_end, [&](const Upload& u) { return u.upload_id == id_marker; });
        from = marker != key_end ? std::next(marker)
                                 : std::find_if(from, key_end, [&](const Upload& u) {
                                       return u.upload_id > id_marker;
                                   });
    } else {
        from = std::find_if(from, all.end(), [&](const Upload& u) { return u.key > key_marker; });
    }

    // Each upload and each common prefix counts towards max-uploads.
    std::vector<const Upload*> uploads;
    std::vector<std::string> common_prefixes;
    bool truncated = false;
    std::string next_key_marker;
    std::optional<std::string> next_id_marker;
    for (auto it = from; it != all.end(); ++it) {
        const auto at =
            delimiter.empty() ? std::string::npos : it->key.find(delimiter, prefix.size());
        std::optional<std::string> common;
        if (at != std::string::npos) {
            common = it->key.substr(0, at + delimiter.size());
            // Listed on this page already, or (a marker inside it) on an earlier one.
            if (*common <= key_marker ||
                (!common_prefixes.empty() && common_prefixes.back() == *common)) {
                continue;
            }
        }
        if (static_cast<int>(uploads.size() + common_prefixes.size()) >= max_uploads) {
            truncated = true;
            break;
        }
        if (common) {
            common_prefixes.push_back(*common);
            next_key_marker = *common;
            next_id_marker.reset();
        } else {
            uploads.push_back(&*it);
            next_key_marker = it->key;
            next_id_marker = it->upload_id;
        }
    }

    XmlWriter xml;
    xml.open("ListMultipartUploadsResult", kXmlns)
        .element("Bucket", bucket.name)
        .element("KeyMarker", key_marker)
        .element("UploadIdMarker", id_marker)
        .element("Prefix", prefix)
        .element("MaxUploads", std::to_string(max_uploads))
        .element("IsTruncated", truncated ? "true" : "false");
    if (truncated && !next_key_marker.empty()) {
        xml.element("NextKeyMarker", next_key_marker);
        if (next_id_marker) {
            xml.element("NextUploadIdMarker", *next_id_marker);
        }
    }
    if (!delimiter.empty()) {
        xml.element("Delimiter", delimiter);
    }
    for (const Upload* upload : uploads) {
        xml.open("Upload")
            .element("Key", upload->key)
            .element("UploadId", upload->upload_id)
            .element("Initiated", xml_timestamp(upload->created_ms))
            .element("StorageClass",
                     upload->metadata.value("StorageClass", std::string("STANDARD")));
        write_owner(xml, bucket.account_id, "Initiator");
        write_owner(xml, bucket.account_id);
        xml.close("Upload");
    }
    for (const auto& common : common_prefixes) {
        xml.open("CommonPrefixes").element("Prefix", common).close("CommonPrefixes");
    }
    xml.close("ListMultipartUploadsResult");
    return xml_response(xml.release());
}

}  // namespace awsemu::s3
