#pragma once

#include <string_view>

#include <pugixml.hpp>

#include "emulator/protocol/codec.hpp"

namespace awsemu {

// REST-XML (S3): the service reads method, path, headers and body itself; this codec writes
// errors as <Error><Code/><Message/><Resource/><RequestId/></Error> and parses XML bodies.
class RestXmlCodec final : public ErrorEncoder {
  public:
    HttpResponse encode_error(const AwsError& error, const ServiceDefinition* service,
                              std::string_view request_id) const override;
    const AuthErrors& auth_errors() const override;
};

// Parses an XML request body; throws MalformedXML (S3's code) when it is not well-formed.
pugi::xml_document parse_xml_body(std::string_view body);

}  // namespace awsemu
