// The handlers of secretsmanager_service.hpp, driven through the operation table.
#include "services/secretsmanager/secretsmanager_service.hpp"

#include <catch2/catch.hpp>

#include "services/secretsmanager/secretsmanager_model.hpp"
#include "tests/unit/services/secretsmanager/secretsmanager_test_support.hpp"

using namespace awsemu;
using namespace awsemu::secretsmanager;
using namespace awsemu::secretsmanager::testing;
using nlohmann::json;

TEST_CASE("Unit behaviour: RotateSecret records the schedule and starts a rotation",
          "[secretsmanager][unit]") {
    SecretsManagerFixture f;
    const std::string v1 = f.create("s", "current")["VersionId"];
    auto e = f.error("RotateSecret", {{"SecretId", "s"}, {"ClientRequestToken", f.next_token()}});
    CHECK(e.code == "InvalidRequestException");
    CHECK(e.message == "No Lambda rotation function ARN is associated with this secret.");
    e = f.error("RotateSecret", {{"SecretId", "s"}});
    CHECK(e.code == "InvalidParameterException");

    const std::string lambda = "arn:aws:lambda:us-east-1:123456789012:function:rotate";
    const std::string pending = f.next_token();
    auto out = f.call("RotateSecret", {{"SecretId", "s"},
                                       {"ClientRequestToken", pending},
                                       {"RotationLambdaARN", lambda},
                                       {"RotationRules", {{"AutomaticallyAfterDays", 30}}}});
    CHECK(out["VersionId"] == pending);
    auto described = f.call("DescribeSecret", {{"SecretId", "s"}});
    CHECK(described["RotationEnabled"] == true);
    CHECK(described["RotationLambdaARN"] == lambda);
    CHECK(described["RotationRules"] == json({{"AutomaticallyAfterDays", 30}}));
    CHECK(described["NextRotationDate"].get<double>() == Approx(1700000000.0 + 30 * 86400));
    CHECK_FALSE(described.contains("LastRotatedDate"));
    CHECK(described["VersionIdsToStages"] ==
          json({{v1, {"AWSCURRENT"}}, {pending, {"AWSPENDING"}}}));
    CHECK(f.call("GetSecretValue",
                 {{"SecretId", "s"}, {"VersionStage", "AWSPENDING"}})["SecretString"] == "current");

    // A rotation in progress blocks another one (a retry with the same token is fine).
    CHECK_NOTHROW(f.call("RotateSecret", {{"SecretId", "s"}, {"ClientRequestToken", pending}}));
    e = f.error("RotateSecret", {{"SecretId", "s"}, {"ClientRequestToken", f.next_token()}});
    CHECK(e.code == "InvalidRequestException");
    CHECK(e.message == "A previous rotation isn't complete. That rotation will be reattempted.");
    e = f.error("RotateSecret", {{"SecretId", "s"},
                                 {"ClientRequestToken", f.next_token()},
                                 {"RotateImmediately", false},
                                 {"RotationRules", {{"AutomaticallyAfterDays", 5}}}});
    CHECK(e.code == "InvalidRequestException");

    // The function's finishSecret step: AWSCURRENT onto the pending version.
    f.clock.advance(std::chrono::minutes(5));
    f.call("UpdateSecretVersionStage", {{"SecretId", "s"},
                                        {"VersionStage", "AWSCURRENT"},
                                        {"MoveToVersionId", pending},
                                        {"RemoveFromVersionId", v1}});
    described = f.call("DescribeSecret", {{"SecretId", "s"}});
    CHECK(described["LastRotatedDate"].get<double>() == Approx(1700000300.0));
    CHECK(described["NextRotationDate"].get<double>() == Approx(1700000300.0 + 30 * 86400));
    CHECK(described["VersionIdsToStages"] ==
          json({{v1, {"AWSPREVIOUS"}}, {pending, {"AWSCURRENT", "AWSPENDING"}}}));

    // Not immediately: only the configuration changes.
    out =
        f.call("RotateSecret",
               {{"SecretId", "s"},
                {"ClientRequestToken", f.next_token()},
                {"RotateImmediately", false},
                {"RotationRules", {{"ScheduleExpression", "rate(10 days)"}, {"Duration", "2h"}}}});
    CHECK_FALSE(out.contains("VersionId"));
    described = f.call("DescribeSecret", {{"SecretId", "s"}});
    CHECK(described["RotationRules"] ==
          json({{"ScheduleExpression", "rate(10 days)"}, {"Duration", "2h"}}));

    e = f.error("RotateSecret", {{"SecretId", "s"},
                                 {"ClientRequestToken", f.next_token()},
                                 {"RotationRules", {{"AutomaticallyAfterDays", 1001}}}});
    CHECK(e.code == "ValidationException");
    e = f.error("RotateSecret", {{"SecretId", "s"},
                                 {"ClientRequestToken", f.next_token()},
                                 {"RotationRules", {{"ScheduleExpression", "whenever"}}}});
    CHECK(e.code == "InvalidParameterException");

    out = f.call("CancelRotateSecret", {{"SecretId", "s"}});
    CHECK(out["Name"] == "s");
    described = f.call("DescribeSecret", {{"SecretId", "s"}});
    CHECK(described["RotationEnabled"] == false);
    CHECK_FALSE(described.contains("NextRotationDate"));
    CHECK(described["RotationLambdaARN"] == lambda);
}
