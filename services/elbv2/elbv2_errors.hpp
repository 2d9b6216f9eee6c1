#pragma once

#include "emulator/protocol/aws_error.hpp"
#include "emulator/protocol/common_errors.hpp"

// ELBv2's error codes as botocore's model (elbv2 2015-12-01) gives them: the wire code (the
// shape's error.code) and its HTTP status. Every one of them is a 400 Sender fault.
namespace awsemu::elbv2::errors {

inline constexpr ErrorSpec CertificateNotFound{"CertificateNotFound", 400};
inline constexpr ErrorSpec DuplicateListener{"DuplicateListener", 400};
inline constexpr ErrorSpec DuplicateLoadBalancerName{"DuplicateLoadBalancerName", 400};
inline constexpr ErrorSpec DuplicateTagKeys{"DuplicateTagKeys", 400};
inline constexpr ErrorSpec DuplicateTargetGroupName{"DuplicateTargetGroupName", 400};
inline constexpr ErrorSpec IncompatibleProtocols{"IncompatibleProtocols", 400};
inline constexpr ErrorSpec InvalidConfigurationRequest{"InvalidConfigurationRequest", 400};
inline constexpr ErrorSpec InvalidLoadBalancerAction{"InvalidLoadBalancerAction", 400};
inline constexpr ErrorSpec InvalidScheme{"InvalidScheme", 400};
inline constexpr ErrorSpec InvalidSecurityGroup{"InvalidSecurityGroup", 400};
inline constexpr ErrorSpec InvalidSubnet{"InvalidSubnet", 400};
inline constexpr ErrorSpec InvalidTarget{"InvalidTarget", 400};
inline constexpr ErrorSpec ListenerNotFound{"ListenerNotFound", 400};
inline constexpr ErrorSpec LoadBalancerNotFound{"LoadBalancerNotFound", 400};
inline constexpr ErrorSpec OperationNotPermitted{"OperationNotPermitted", 400};
inline constexpr ErrorSpec PriorityInUse{"PriorityInUse", 400};
inline constexpr ErrorSpec ResourceInUse{"ResourceInUse", 400};
inline constexpr ErrorSpec RuleNotFound{"RuleNotFound", 400};
inline constexpr ErrorSpec SSLPolicyNotFound{"SSLPolicyNotFound", 400};
inline constexpr ErrorSpec SubnetNotFound{"SubnetNotFound", 400};
inline constexpr ErrorSpec TargetGroupAssociationLimit{"TargetGroupAssociationLimit", 400};
inline constexpr ErrorSpec TargetGroupNotFound{"TargetGroupNotFound", 400};
inline constexpr ErrorSpec TooManyActions{"TooManyActions", 400};
inline constexpr ErrorSpec TooManyCertificates{"TooManyCertificates", 400};
inline constexpr ErrorSpec TooManyListeners{"TooManyListeners", 400};
inline constexpr ErrorSpec TooManyRules{"TooManyRules", 400};
inline constexpr ErrorSpec TooManyTags{"TooManyTags", 400};
inline constexpr ErrorSpec TooManyTargetGroups{"TooManyTargetGroups", 400};
inline constexpr ErrorSpec TooManyTargets{"TooManyTargets", 400};
inline constexpr ErrorSpec UnsupportedProtocol{"UnsupportedProtocol", 400};
// Request validation (missing members, values out of range), as AWS's query services answer it.
inline constexpr ErrorSpec ValidationError{"ValidationError", 400};

inline AwsError validation(std::string message) {
    return AwsError(ValidationError, std::move(message));
}

}  // namespace awsemu::elbv2::errors
