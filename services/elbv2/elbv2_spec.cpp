#include "services/elbv2/elbv2_spec.hpp"

namespace awsemu::elbv2 {
namespace {

using S = QueryShape;

S strings() {
    return S::list(S::string());
}

S structures(std::vector<QueryMember> members = {}) {
    return S::list(S::structure(std::move(members)));
}

S actions() {
    return structures({
        {"Order", S::integer()},
        {"ForwardConfig", S::structure({{"TargetGroups", structures({{"Weight", S::integer()}})},
                                        {"TargetGroupStickinessConfig",
                                         S::structure({{"Enabled", S::boolean()},
                                                       {"DurationSeconds", S::integer()}})}})},
        {"RedirectConfig", S::structure({})},
        {"FixedResponseConfig", S::structure({})},
        {"AuthenticateOidcConfig",
         S::structure({{"AuthenticationRequestExtraParams", S::map(S::string())},
                       {"SessionTimeout", S::integer()},
                       {"UseExistingClientSecret", S::boolean()}})},
        {"AuthenticateCognitoConfig",
         S::structure({{"AuthenticationRequestExtraParams", S::map(S::string())},
                       {"SessionTimeout", S::integer()}})},
    });
}

S values_config() {
    return S::structure({{"Values", strings()}});
}

S conditions() {
    return structures({
        {"Values", strings()},
        {"HostHeaderConfig", values_config()},
        {"PathPatternConfig", values_config()},
        {"HttpHeaderConfig", values_config()},
        {"QueryStringConfig", S::structure({{"Values", structures()}})},
        {"HttpRequestMethodConfig", values_config()},
        {"SourceIpConfig", values_config()},
    });
}

std::vector<QueryMember> health_check_members() {
    return {
        {"HealthCheckEnabled", S::boolean()},        {"HealthCheckIntervalSeconds", S::integer()},
        {"HealthCheckTimeoutSeconds", S::integer()}, {"HealthyThresholdCount", S::integer()},
        {"UnhealthyThresholdCount", S::integer()},   {"Matcher", S::structure({})}};
}

S targets() {
    return structures({{"Port", S::integer()}});
}

S certificates() {
    return structures({{"IsDefault", S::boolean()}});
}

}  // namespace

QueryShape query_input_shape(std::string_view operation) {
    const S page_size = S::integer();
    if (operation == "CreateLoadBalancer") {
        return S::structure({{"Subnets", strings()},
                             {"SubnetMappings", structures()},
                             {"SecurityGroups", strings()},
                             {"Tags", structures()}});
    }
    if (operation == "DescribeLoadBalancers") {
        return S::structure(
            {{"LoadBalancerArns", strings()}, {"Names", strings()}, {"PageSize", page_size}});
    }
    if (operation == "SetSubnets") {
        return S::structure({{"Subnets", strings()}, {"SubnetMappings", structures()}});
    }
    if (operation == "SetSecurityGroups") {
        return S::structure({{"SecurityGroups", strings()}});
    }
    if (operation == "ModifyLoadBalancerAttributes" || operation == "ModifyTargetGroupAttributes" ||
        operation == "ModifyListenerAttributes") {
        return S::structure({{"Attributes", structures()}});
    }
    if (operation == "CreateTargetGroup" || operation == "ModifyTargetGroup") {
        auto members = health_check_members();
        members.push_back({"Port", S::integer()});
        members.push_back({"Tags", structures()});
        return S::structure(std::move(members));
    }
    if (operation == "DescribeTargetGroups") {
        return S::structure(
            {{"TargetGroupArns", strings()}, {"Names", strings()}, {"PageSize", page_size}});
    }
    if (operation == "RegisterTargets" || operation == "DeregisterTargets" ||
        operation == "DescribeTargetHealth") {
        return S::structure({{"Targets", targets()}, {"Include", strings()}});
    }
    if (operation == "CreateListener" || operation == "ModifyListener") {
        return S::structure({{"Port", S::integer()},
                             {"Certificates", certificates()},
                             {"DefaultActions", actions()},
                             {"AlpnPolicy", strings()},
                             {"Tags", structures()}});
    }
    if (operation == "DescribeListeners") {
        return S::structure({{"ListenerArns", strings()}, {"PageSize", page_size}});
    }
    if (operation == "CreateRule" || operation == "ModifyRule") {
        return S::structure({{"Conditions", conditions()},
                             {"Priority", S::integer()},
                             {"Actions", actions()},
                             {"Tags", structures()}});
    }
    if (operation == "DescribeRules") {
        return S::structure({{"RuleArns", strings()}, {"PageSize", page_size}});
    }
    if (operation == "SetRulePriorities") {
        return S::structure({{"RulePriorities", structures({{"Priority", S::integer()}})}});
    }
    if (operation == "AddTags") {
        return S::structure({{"ResourceArns", strings()}, {"Tags", structures()}});
    }
    if (operation == "RemoveTags") {
        return S::structure({{"ResourceArns", strings()}, {"TagKeys", strings()}});
    }
    if (operation == "DescribeTags") {
        return S::structure({{"ResourceArns", strings()}});
    }
    if (operation == "AddListenerCertificates" || operation == "RemoveListenerCertificates") {
        return S::structure({{"Certificates", certificates()}});
    }
    if (operation == "DescribeSSLPolicies") {
        return S::structure(
            {{"Names", strings()}, {"PageSize", page_size}, {"LoadBalancerType", S::string()}});
    }
    return S::structure({{"PageSize", page_size}});
}

}  // namespace awsemu::elbv2
