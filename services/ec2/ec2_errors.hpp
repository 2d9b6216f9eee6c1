#pragma once

#include <string>

#include "emulator/protocol/aws_error.hpp"
#include "emulator/protocol/common_errors.hpp"

// EC2's error codes (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html):
// the wire code, its HTTP status. EC2's model declares no error shapes; every client error is a
// 400 but AuthFailure (401) and DryRunOperation (412).
namespace awsemu::ec2::errors {

using awsemu::errors::InvalidParameterValue;
using awsemu::errors::MissingParameter;

inline constexpr ErrorSpec CannotDelete{"CannotDelete", 400};
inline constexpr ErrorSpec DependencyViolation{"DependencyViolation", 400};
inline constexpr ErrorSpec DryRunOperation{"DryRunOperation", 412};
inline constexpr ErrorSpec InvalidGroupDuplicate{"InvalidGroup.Duplicate", 400};
inline constexpr ErrorSpec InvalidGroupNotFound{"InvalidGroup.NotFound", 400};
inline constexpr ErrorSpec InvalidGroupIdMalformed{"InvalidGroupId.Malformed", 400};
inline constexpr ErrorSpec InvalidID{"InvalidID", 400};
inline constexpr ErrorSpec InvalidPaginationToken{"InvalidPaginationToken", 400};
inline constexpr ErrorSpec InvalidNetworkInterfaceIDNotFound{"InvalidNetworkInterfaceID.NotFound",
                                                             400};
inline constexpr ErrorSpec InvalidParameter{"InvalidParameter", 400};
inline constexpr ErrorSpec InvalidParameterCombination{"InvalidParameterCombination", 400};
inline constexpr ErrorSpec InvalidPermissionDuplicate{"InvalidPermission.Duplicate", 400};
inline constexpr ErrorSpec InvalidPermissionMalformed{"InvalidPermission.Malformed", 400};
inline constexpr ErrorSpec InvalidPermissionNotFound{"InvalidPermission.NotFound", 400};
inline constexpr ErrorSpec InvalidSecurityGroupRuleIdNotFound{"InvalidSecurityGroupRuleId.NotFound",
                                                              400};
inline constexpr ErrorSpec InvalidSubnetConflict{"InvalidSubnet.Conflict", 400};
inline constexpr ErrorSpec InvalidSubnetRange{"InvalidSubnet.Range", 400};
inline constexpr ErrorSpec InvalidSubnetIDMalformed{"InvalidSubnetID.Malformed", 400};
inline constexpr ErrorSpec InvalidSubnetIDNotFound{"InvalidSubnetID.NotFound", 400};
inline constexpr ErrorSpec InvalidVpcRange{"InvalidVpc.Range", 400};
inline constexpr ErrorSpec InvalidVpcIDMalformed{"InvalidVpcID.Malformed", 400};
inline constexpr ErrorSpec InvalidVpcIDNotFound{"InvalidVpcID.NotFound", 400};
inline constexpr ErrorSpec TagLimitExceeded{"TagLimitExceeded", 400};
inline constexpr ErrorSpec UnsupportedOperation{"UnsupportedOperation", 400};
inline constexpr ErrorSpec VpcLimitExceeded{"VpcLimitExceeded", 400};
inline constexpr ErrorSpec VPCIdNotSpecified{"VPCIdNotSpecified", 400};

// "Value (x) for parameter cidrBlock is invalid. <why>"
inline AwsError invalid_value(const std::string& parameter, const std::string& value,
                              const std::string& why) {
    return AwsError(InvalidParameterValue,
                    "Value (" + value + ") for parameter " + parameter + " is invalid. " + why);
}

}  // namespace awsemu::ec2::errors
