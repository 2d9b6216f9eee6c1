#pragma once

#include "emulator/protocol/aws_error.hpp"
#include "emulator/protocol/common_errors.hpp"

// S3's error codes and statuses as AWS's error-code list gives them.
namespace awsemu::s3::errors {

using awsemu::errors::AccessDenied;
using awsemu::errors::BadRequest;
using awsemu::errors::SignatureDoesNotMatch;  // 403

inline constexpr ErrorSpec NoSuchBucket{"NoSuchBucket", 404};
inline constexpr ErrorSpec NoSuchKey{"NoSuchKey", 404};
inline constexpr ErrorSpec NoSuchUpload{"NoSuchUpload", 404};
inline constexpr ErrorSpec NoSuchVersion{"NoSuchVersion", 404};
inline constexpr ErrorSpec NoSuchTagSet{"NoSuchTagSet", 404};
inline constexpr ErrorSpec NoSuchBucketPolicy{"NoSuchBucketPolicy", 404};
inline constexpr ErrorSpec NoSuchCORSConfiguration{"NoSuchCORSConfiguration", 404};
inline constexpr ErrorSpec NoSuchLifecycleConfiguration{"NoSuchLifecycleConfiguration", 404};
inline constexpr ErrorSpec NoSuchWebsiteConfiguration{"NoSuchWebsiteConfiguration", 404};
inline constexpr ErrorSpec NoSuchPublicAccessBlockConfiguration{
    "NoSuchPublicAccessBlockConfiguration", 404};
inline constexpr ErrorSpec OwnershipControlsNotFoundError{"OwnershipControlsNotFoundError", 404};
inline constexpr ErrorSpec ReplicationConfigurationNotFoundError{
    "ReplicationConfigurationNotFoundError", 404};
inline constexpr ErrorSpec ObjectLockConfigurationNotFoundError{
    "ObjectLockConfigurationNotFoundError", 404};
inline constexpr ErrorSpec ServerSideEncryptionConfigurationNotFoundError{
    "ServerSideEncryptionConfigurationNotFoundError", 404};
inline constexpr ErrorSpec BucketAlreadyExists{"BucketAlreadyExists", 409};
inline constexpr ErrorSpec BucketAlreadyOwnedByYou{"BucketAlreadyOwnedByYou", 409};
inline constexpr ErrorSpec BucketNotEmpty{"BucketNotEmpty", 409};
inline constexpr ErrorSpec InvalidBucketName{"InvalidBucketName", 400};
inline constexpr ErrorSpec InvalidArgument{"InvalidArgument", 400};
inline constexpr ErrorSpec InvalidRequest{"InvalidRequest", 400};
inline constexpr ErrorSpec InvalidURI{"InvalidURI", 400};
inline constexpr ErrorSpec InvalidRange{"InvalidRange", 416};
inline constexpr ErrorSpec InvalidPart{"InvalidPart", 400};
inline constexpr ErrorSpec InvalidPartOrder{"InvalidPartOrder", 400};
inline constexpr ErrorSpec EntityTooSmall{"EntityTooSmall", 400};
inline constexpr ErrorSpec EntityTooLarge{"EntityTooLarge", 400};
inline constexpr ErrorSpec MalformedXML{"MalformedXML", 400};
inline constexpr ErrorSpec PreconditionFailed{"PreconditionFailed", 412};
inline constexpr ErrorSpec NotModified{"NotModified", 304};
inline constexpr ErrorSpec BadDigest{"BadDigest", 400};
inline constexpr ErrorSpec InvalidDigest{"InvalidDigest", 400};
inline constexpr ErrorSpec IncompleteBody{"IncompleteBody", 400};
inline constexpr ErrorSpec XAmzContentSHA256Mismatch{"XAmzContentSHA256Mismatch", 400};
inline constexpr ErrorSpec MethodNotAllowed{"MethodNotAllowed", 405};
inline constexpr ErrorSpec NotImplemented{"NotImplemented", 501, Fault::Receiver};
inline constexpr ErrorSpec InvalidStorageClass{"InvalidStorageClass", 400};
inline constexpr ErrorSpec IllegalLocationConstraintException{"IllegalLocationConstraintException",
                                                              400};
inline constexpr ErrorSpec MalformedPolicy{"MalformedPolicy", 400};
// A CORS preflight no rule allows.
inline constexpr ErrorSpec CorsForbidden{"AccessForbidden", 403};
inline constexpr ErrorSpec InvalidTag{"InvalidTag", 400};
inline constexpr ErrorSpec InvalidLocationConstraint{"InvalidLocationConstraint", 400};
inline constexpr ErrorSpec AccessControlListNotSupported{"AccessControlListNotSupported", 400};
inline constexpr ErrorSpec KeyTooLongError{"KeyTooLongError", 400};
inline constexpr ErrorSpec MetadataTooLarge{"MetadataTooLarge", 400};
inline constexpr ErrorSpec InvalidObjectState{"InvalidObjectState", 403};
inline constexpr ErrorSpec MissingContentLength{"MissingContentLength", 411};
inline constexpr ErrorSpec InvalidPartNumber{"InvalidPartNumber", 416};
inline constexpr ErrorSpec InvalidBucketAclWithObjectOwnership{
    "InvalidBucketAclWithObjectOwnership", 400};
inline constexpr ErrorSpec ConditionalRequestConflict{"ConditionalRequestConflict", 409};

// "Only the last chunk is allowed to have a size less than 8192 bytes"
inline constexpr ErrorSpec InvalidChunkSizeError{"InvalidChunkSizeError", 403};
inline constexpr ErrorSpec MalformedTrailerError{"MalformedTrailerError", 400};

}  // namespace awsemu::s3::errors
