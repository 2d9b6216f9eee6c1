#pragma once

#include "emulator/protocol/aws_error.hpp"
#include "emulator/protocol/common_errors.hpp"

// RDS's error codes as botocore's model (rds 2014-10-31) gives them: the wire code (the shape's
// error.code) and its HTTP status. All are Sender faults.
namespace awsemu::rds::errors {

inline constexpr ErrorSpec DBInstanceAlreadyExists{"DBInstanceAlreadyExists", 400};
inline constexpr ErrorSpec DBInstanceNotFound{"DBInstanceNotFound", 404};
inline constexpr ErrorSpec DBSnapshotAlreadyExists{"DBSnapshotAlreadyExists", 400};
inline constexpr ErrorSpec DBSnapshotNotFound{"DBSnapshotNotFound", 404};
inline constexpr ErrorSpec DBSubnetGroupAlreadyExists{"DBSubnetGroupAlreadyExists", 400};
inline constexpr ErrorSpec DBSubnetGroupDoesNotCoverEnoughAZs{"DBSubnetGroupDoesNotCoverEnoughAZs",
                                                              400};
inline constexpr ErrorSpec DBSubnetGroupNotFoundFault{"DBSubnetGroupNotFoundFault", 404};
inline constexpr ErrorSpec InvalidDBInstanceState{"InvalidDBInstanceState", 400};
inline constexpr ErrorSpec InvalidDBSnapshotState{"InvalidDBSnapshotState", 400};
inline constexpr ErrorSpec InvalidDBSubnetGroupStateFault{"InvalidDBSubnetGroupStateFault", 400};
inline constexpr ErrorSpec InvalidSubnet{"InvalidSubnet", 400};
inline constexpr ErrorSpec InvalidParameterCombination{"InvalidParameterCombination", 400};
inline constexpr ErrorSpec InvalidParameterValue{"InvalidParameterValue", 400};
inline constexpr ErrorSpec MissingParameter{"MissingParameter", 400};
inline constexpr ErrorSpec InvalidVPCNetworkStateFault{"InvalidVPCNetworkStateFault", 400};

inline AwsError invalid_value(std::string message) {
    return AwsError(InvalidParameterValue, std::move(message));
}

inline AwsError invalid_combination(std::string message) {
    return AwsError(InvalidParameterCombination, std::move(message));
}

}  // namespace awsemu::rds::errors
