#include "emulator/protocol/codec.hpp"

#include "emulator/protocol/aws_json_codec.hpp"
#include "emulator/protocol/aws_query_codec.hpp"
#include "emulator/protocol/ec2_codec.hpp"
#include "emulator/protocol/rest_xml_codec.hpp"

namespace awsemu {
namespace {

const AwsJsonCodec kJson10("application/x-amz-json-1.0");
const AwsJsonCodec kJson11("application/x-amz-json-1.1");
const AwsQueryCodec kQuery;
const Ec2Codec kEc2;
const RestXmlCodec kRestXml;

}  // namespace

const OperationCodec* operation_codec_for(Protocol protocol) {
    switch (protocol) {
        case Protocol::AwsJson10:
            return &kJson10;
        case Protocol::AwsJson11:
            return &kJson11;
        case Protocol::Query:
            return &kQuery;
        case Protocol::Ec2:
            return &kEc2;
        case Protocol::RestXml:
            return nullptr;
    }
    return nullptr;
}

const ErrorEncoder& error_encoder_for(Protocol protocol) {
    if (protocol == Protocol::RestXml) {
        return kRestXml;
    }
    return *operation_codec_for(protocol);
}

}  // namespace awsemu
