#include "emulator/protocol/rest_xml_codec.hpp"

#include "emulator/protocol/common_errors.hpp"
#include "emulator/protocol/xml_writer.hpp"

namespace awsemu {
namespace {

inline constexpr ErrorSpec MalformedXML{"MalformedXML", 400};
inline constexpr ErrorSpec InvalidAccessKeyId{"InvalidAccessKeyId", 403};
inline constexpr ErrorSpec AuthorizationHeaderMalformed{"AuthorizationHeaderMalformed", 400};
inline constexpr ErrorSpec ExpiredToken{"ExpiredToken", 400};

}  // namespace

HttpResponse RestXmlCodec::encode_error(const AwsError& error, const ServiceDefinition*,
                                        std::string_view request_id) const {
    XmlWriter xml;
    xml.open("Error").element("Code", error.spec().code).element("Message", error.what());
    for (const auto& [name, value] : error.details()) {
        xml.element(name, value);
    }
    xml.element("RequestId", request_id).element("HostId", request_id).close("Error");
    HttpResponse response;
    response.status = error.spec().http_status;
    response.headers.add("Content-Type", "application/xml");
    response.headers.add("x-amz-request-id", std::string(request_id));
    response.headers.add("x-amz-id-2", std::string(request_id));
    for (const auto& [name, value] : error.headers()) {
        response.headers.add(name, value);
    }
    response.body = xml.release();
    return response;
}

const AuthErrors& RestXmlCodec::auth_errors() const {
    static const AuthErrors kErrors{
        AuthorizationHeaderMalformed,
        errors::AccessDenied,
        InvalidAccessKeyId,
        errors::SignatureDoesNotMatch,
        ExpiredToken,
        errors::AccessDenied,
        "The AWS Access Key Id you provided does not exist in our records."};
    return kErrors;
}

pugi::xml_document parse_xml_body(std::string_view body) {
    const auto malformed = [] {
        return AwsError(MalformedXML,
                        "The XML you provided was not well-formed or did not validate against our "
                        "published schema");
    };
    // No AWS body has a DTD; refusing them rules out entity expansion of any kind.
    if (body.find("<!DOCTYPE") != std::string_view::npos ||
        body.find("<!ENTITY") != std::string_view::npos) {
        throw malformed();
    }
    pugi::xml_document document;
    const auto result = document.load_buffer(body.data(), body.size(), pugi::parse_default);
    if (!result) {
        throw malformed();
    }
    // AWS's documents are a few levels deep; a deeper one is not one of them. Walked without
    // recursion, so that the depth itself cannot exhaust the stack.
    constexpr int kMaxDepth = 32;
    int depth = 0;
    for (pugi::xml_node node = document.first_child(); node;) {
        if (node.first_child()) {
            node = node.first_child();
            if (++depth > kMaxDepth) {
                throw malformed();
            }
            continue;
        }
        while (node && !node.next_sibling()) {
            node = node.parent();
            --depth;
        }
        if (node) {
            node = node.next_sibling();
        }
    }
    return document;
}

}  // namespace awsemu
