#pragma once

#include <stdexcept>

#include <catch2/catch.hpp>

#include "emulator/protocol/aws_error.hpp"

namespace awsemu::testing {

// The AwsError `action` throws, for assertions on its code, status and message; fails the test
// when it throws none.
template <class Action>
AwsError thrown_aws_error(Action action) {
    try {
        action();
    } catch (const AwsError& error) {
        return error;
    }
    FAIL("no AwsError was thrown");
    throw std::logic_error("unreachable");
}

}  // namespace awsemu::testing
