#pragma once

#include "emulator/protocol/aws_error.hpp"
#include "emulator/protocol/common_errors.hpp"

// Amazon ECS's error codes as botocore's model (ecs 2014-11-13) names them. The model gives none
// an HTTP status: every one is the JSON protocol's 400 but ServerException, the service's own
// failure. SerializationException and ValidationException (wrong types, missing members) come
// from common_errors.hpp.
namespace awsemu::ecs::errors {

using awsemu::errors::SerializationException;
using awsemu::errors::ValidationException;

inline constexpr ErrorSpec ClientException{"ClientException", 400};
inline constexpr ErrorSpec InvalidParameterException{"InvalidParameterException", 400};
inline constexpr ErrorSpec ServerException{"ServerException", 500, Fault::Receiver};
inline constexpr ErrorSpec AccessDeniedException{"AccessDeniedException", 400};
inline constexpr ErrorSpec LimitExceededException{"LimitExceededException", 400};
inline constexpr ErrorSpec ResourceNotFoundException{"ResourceNotFoundException", 400};
inline constexpr ErrorSpec ResourceInUseException{"ResourceInUseException", 400};
inline constexpr ErrorSpec UpdateInProgressException{"UpdateInProgressException", 400};
inline constexpr ErrorSpec UnsupportedFeatureException{"UnsupportedFeatureException", 400};
inline constexpr ErrorSpec NamespaceNotFoundException{"NamespaceNotFoundException", 400};
inline constexpr ErrorSpec ClusterNotFoundException{"ClusterNotFoundException", 400};
inline constexpr ErrorSpec ClusterContainsServicesException{"ClusterContainsServicesException",
                                                            400};
inline constexpr ErrorSpec ClusterContainsTasksException{"ClusterContainsTasksException", 400};
inline constexpr ErrorSpec ClusterContainsContainerInstancesException{
    "ClusterContainsContainerInstancesException", 400};
inline constexpr ErrorSpec ClusterContainsCapacityProviderException{
    "ClusterContainsCapacityProviderException", 400};
// For the task and service operations built on this folder.
inline constexpr ErrorSpec ServiceNotFoundException{"ServiceNotFoundException", 400};
inline constexpr ErrorSpec ServiceNotActiveException{"ServiceNotActiveException", 400};
inline constexpr ErrorSpec PlatformUnknownException{"PlatformUnknownException", 400};
inline constexpr ErrorSpec PlatformTaskDefinitionIncompatibilityException{
    "PlatformTaskDefinitionIncompatibilityException", 400};
inline constexpr ErrorSpec TargetNotFoundException{"TargetNotFoundException", 400};

// AWS's wording, used by more than one operation.
inline constexpr std::string_view kClusterNotFound = "Cluster not found.";
inline constexpr std::string_view kUnableToDescribeTaskDefinition =
    "Unable to describe task definition.";

}  // namespace awsemu::ecs::errors
