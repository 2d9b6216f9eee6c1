#include "emulator/auth/sigv4.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "emulator/auth/crypto.hpp"

using namespace awsemu;
using namespace awsemu::auth;

namespace {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The AWS SigV4 test suite (aws-sig-v4-test-suite, 2015 edition): one account, one instant.
constexpr const char* kSuiteSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* kSuiteCredential = "AKIDEXAMPLE/20150830/us-east-1/service/aws4_request";
constexpr const char* kSuiteScope = "20150830/us-east-1/service/aws4_request";
constexpr const char* kSuiteDate = "20150830T123600Z";
constexpr const char* kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// The S3 API reference's examples use a different secret from the test suite.
constexpr const char* kS3DocsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr const char* kS3DocsCredential = "AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request";

HttpRequest make_request(std::string method, std::string target, const HeaderList& headers,
                         std::string body = "") {
    HttpRequest request;
    request.method = std::move(method);
    request.target = std::move(target);
    split_target(request);
    for (const auto& [name, value] : headers) {
        request.headers.add(name, value);
    }
    request.body = std::move(body);
    return request;
}

// Every request parsed here also checks that parse_sigv4_caller, open mode's parse, decides
// the same.
SigV4Request parsed(const HttpRequest& request) {
    const auto result = parse_sigv4(request);
    REQUIRE(std::holds_alternative<SigV4Request>(result));
    const auto& scope = std::get<SigV4Request>(result).scope;
    const auto caller = parse_sigv4_caller(request);
    REQUIRE(std::holds_alternative<SigV4Caller>(caller));
    CHECK(std::get<SigV4Caller>(caller).access_key_id == scope.access_key_id);
    CHECK(std::get<SigV4Caller>(caller).region == scope.region);
    return std::get<SigV4Request>(result);
}

SigV4ParseError parse_error(const HttpRequest& request) {
    const auto result = parse_sigv4(request);
    REQUIRE(std::holds_alternative<SigV4ParseError>(result));
    const auto caller = parse_sigv4_caller(request);
    REQUIRE(std::holds_alternative<SigV4ParseError>(caller));
    CHECK(std::get<SigV4ParseError>(caller) == std::get<SigV4ParseError>(result));
    return std::get<SigV4ParseError>(result);
}

TimePoint at(const char* amz_date) {
    const auto time = parse_amz_date(amz_date);
    REQUIRE(time.has_value());
    return *time;
}

// One case of the suite: the request (Host and X-Amz-Date are added to every one), then the
// expected canonical request, the last line of the string to sign, and the signature.
struct SuiteCase {
    const char* name;
    const char* method;
    const char* target;
    HeaderList headers;
    const char* body;
    std::string canonical_request;
    const char* string_to_sign_hash;
    const char* signature;
};

SuiteCase suite_case(const char* name, const char* method, const char* target, HeaderList headers,
                     const char* body, std::string canonical_request,
                     const char* string_to_sign_hash, const char* signature) {
    return {name,
            method,
            target,
            std::move(headers),
            body,
            std::move(canonical_request),
            string_to_sign_hash,
            signature};
}

// The canonical request of a case with no headers but Host and X-Amz-Date, and no body.
std::string plain_creq(const char* method, const char* uri, const char* query) {
    return std::string(method) + "\n" + uri + "\n" + query +
           "\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
           kEmptySha256;
}

// The canonical request of a case that signs one header more, between host and x-amz-date.
std::string my_header_creq(const char* method, const std::string& my_headers, const char* names) {
    return std::string(method) + "\n/\n\nhost:example.amazonaws.com\n" + my_headers +
           "x-amz-date:20150830T123600Z\n\nhost;" + names + ";x-amz-date\n" + kEmptySha256;
}

const char* const kUnreserved =
    "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const char* const kVanillaHash = "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63";
const char* const kVanillaSignature =
    "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

const std::vector<SuiteCase>& suite_cases() {
    static const std::string unreserved_pair = std::string(kUnreserved) + "=" + kUnreserved;
    static const std::string unreserved_path = std::string("/") + kUnreserved;
    static const std::string unreserved_query = "/?" + unreserved_pair;
    static const std::vector<SuiteCase> cases = {
        suite_case("get-vanilla", "GET", "/", {}, "", plain_creq("GET", "/", ""), kVanillaHash,
                   kVanillaSignature),
        suite_case("get-vanilla-empty-query-key", "GET", "/?Param1=value1", {}, "",
                   plain_creq("GET", "/", "Param1=value1"),
                   "1e24db194ed7d0eec2de28d7369675a243488e08526e8c1c73571282f7c517ab",
                   "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"),
        suite_case("get-vanilla-query-order-key", "GET", "/?Param1=value2&Param1=Value1", {}, "",
                   plain_creq("GET", "/", "Param1=Value1&Param1=value2"),
                   "704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89",
                   "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1"),
        suite_case("get-vanilla-query-order-key-case", "GET", "/?Param2=value2&Param1=value1", {},
                   "", plain_creq("GET", "/", "Param1=value1&Param2=value2"),
                   "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
                   "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
        suite_case("get-vanilla-query-order-value", "GET", "/?Param1=value2&Param1=value1", {}, "",
                   plain_creq("GET", "/", "Param1=value1&Param1=value2"),
                   "c968629d70850097a2d8781c9bf7edcb988b04cac14cca9be4acc3595f884606",
                   "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694"),
        suite_case("get-vanilla-query-unreserved", "GET", unreserved_query.c_str(), {}, "",
                   plain_creq("GET", "/", unreserved_pair.c_str()),
                   "c30d4703d9f799439be92736156d47ccfb2d879ddf56f5befa6d1d6aab979177",
                   "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"),
        suite_case("get-vanilla-utf8-query", "GET", "/?\xE1\x88\xB4=bar", {}, "",
                   plain_creq("GET", "/", "%E1%88%B4=bar"),
                   "eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073",
                   "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
        suite_case("get-unreserved", "GET", unreserved_path.c_str(), {}, "",
                   plain_creq("GET", unreserved_path.c_str(), ""),
                   "6a968768eefaa713e2a6b16b589a8ea192661f098f37349f4e2c0082757446f9",
                   "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"),
        suite_case("get-utf8", "GET", "/\xE1\x88\xB4", {}, "", plain_creq("GET", "/%E1%88%B4", ""),
                   "2a0a97d02205e45ce2e994789806b19270cfbbb0921b278ccf58f5249ac42102",
                   "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
        suite_case("normalize-path/get-relative", "GET", "/example/..", {}, "",
                   plain_creq("GET", "/", ""), kVanillaHash, kVanillaSignature),
        suite_case("normalize-path/get-relative-relative", "GET", "/example1/example2/../..", {},
                   "", plain_creq("GET", "/", ""), kVanillaHash, kVanillaSignature),
        suite_case("normalize-path/get-slash", "GET", "//", {}, "", plain_creq("GET", "/", ""),
                   kVanillaHash, kVanillaSignature),
        suite_case("normalize-path/get-slash-dot-slash", "GET", "/./", {}, "",
                   plain_creq("GET", "/", ""), kVanillaHash, kVanillaSignature),
        suite_case("normalize-path/get-slash-pointless-dot", "GET", "/./example", {}, "",
                   plain_creq("GET", "/example", ""),
                   "214d50c111a8edc4819da6a636336472c916b5240f51e9a51b5c3305180cf702",
                   "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5"),
        suite_case("normalize-path/get-slashes", "GET", "//example//", {}, "",
                   plain_creq("GET", "/example/", ""),
                   "cb96b4ac96d501f7c5c15bc6d67b3035061cfced4af6585ad927f7e6c985c015",
                   "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"),
        suite_case("normalize-path/get-space", "GET", "/example space/", {}, "",
                   plain_creq("GET", "/example%20space/", ""),
                   "63ee75631ed7234ae61b5f736dfc7754cdccfedbff4b5128a915706ee9390d86",
                   "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
        suite_case("get-header-key-duplicate", "GET", "/",
                   {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}},
                   "", my_header_creq("GET", "my-header1:value2,value2,value1\n", "my-header1"),
                   "dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c",
                   "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"),
        suite_case("get-header-value-order", "GET", "/",
                   {{"My-Header1", "value4,value1,value3,value2"}}, "",
                   my_header_creq("GET", "my-header1:value4,value1,value3,value2\n", "my-header1"),
                   "31ce73cd3f3d9f66977ad3dd957dc47af14df92fcd8509f59b349e9137c58b86",
                   "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"),
        suite_case("get-header-value-trim", "GET", "/",
                   {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}}, "",
                   my_header_creq("GET", "my-header1:value1\nmy-header2:\"a b c\"\n",
                                  "my-header1;my-header2"),
                   "a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7",
                   "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
        suite_case("post-vanilla", "POST", "/", {}, "", plain_creq("POST", "/", ""),
                   "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
                   "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
        suite_case("post-vanilla-query", "POST", "/?Param1=value1", {}, "",
                   plain_creq("POST", "/", "Param1=value1"),
                   "9d659678c1756bb3113e2ce898845a0a79dbbc57b740555917687f1b3340fbbd",
                   "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"),
        suite_case("post-header-key-sort", "POST", "/", {{"My-Header1", "value1"}}, "",
                   my_header_creq("POST", "my-header1:value1\n", "my-header1"),
                   "9368318c2967cf6de74404b30c65a91e8f6253e0a8659d6d5319f1a812f87d65",
                   "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"),
        suite_case("post-header-value-case", "POST", "/", {{"My-Header1", "VALUE1"}}, "",
                   my_header_creq("POST", "my-header1:VALUE1\n", "my-header1"),
                   "d51ced243e649e3de6ef63afbbdcbca03131a21a7103a1583706a64618606a93",
                   "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"),
        suite_case("post-x-www-form-urlencoded", "POST", "/",
                   {{"Content-Type", "application/x-www-form-urlencoded"}}, "Param1=value1",
                   "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\n"
                   "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                   "content-type;host;x-amz-date\n"
                   "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
                   "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281",
                   "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
        suite_case("post-x-www-form-urlencoded-parameters", "POST", "/",
                   {{"Content-Type", "application/x-www-form-urlencoded; charset=utf8"}},
                   "Param1=value1",
                   "POST\n/\n\ncontent-type:application/x-www-form-urlencoded; charset=utf8\n"
                   "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
                   "content-type;host;x-amz-date\n"
                   "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
                   "2e1cf7ed91881a30569e46552437e4156c823447bf1781b921b5d486c568dd1c",
                   "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe"),
    };
    return cases;
}

// The SignedHeaders line of a canonical request is its second-to-last line.
std::string signed_headers_of(const std::string& creq) {
    const auto last = creq.rfind('\n');
    const auto before = creq.rfind('\n', last - 1);
    return creq.substr(before + 1, last - before - 1);
}

HttpRequest suite_request(const SuiteCase& c) {
    HeaderList headers = {{"Host", "example.amazonaws.com"}};
    headers.insert(headers.end(), c.headers.begin(), c.headers.end());
    headers.emplace_back("X-Amz-Date", kSuiteDate);
    headers.emplace_back("Authorization",
                         std::string("AWS4-HMAC-SHA256 Credential=") + kSuiteCredential +
                             ", SignedHeaders=" + signed_headers_of(c.canonical_request) +
                             ", Signature=" + c.signature);
    return make_request(c.method, c.target, headers, c.body);
}

}  // namespace

TEST_CASE("SigV4 verifier reproduces every step of the AWS SigV4 test suite", "[auth][unit]") {
    for (const SuiteCase& c : suite_cases()) {
        INFO(c.name);
        const HttpRequest request = suite_request(c);
        const SigV4Request sig = parsed(request);

        const std::string creq = canonical_request(request, sig);
        CHECK(creq == c.canonical_request);
        const std::string sts = string_to_sign(sig, creq);
        CHECK(sts == std::string("AWS4-HMAC-SHA256\n") + kSuiteDate + "\n" + kSuiteScope + "\n" +
                         c.string_to_sign_hash);
        CHECK(compute_signature(kSuiteSecret, sig, sts) == c.signature);
        CHECK(verify_sigv4(request, sig, kSuiteSecret, at(kSuiteDate)) == SigV4Check::Valid);
    }
}

TEST_CASE("SigV4 get-vanilla step by step", "[auth][unit]") {
    const HttpRequest request = suite_request(suite_cases().front());
    const SigV4Request sig = parsed(request);
    CHECK(sig.scope.access_key_id == "AKIDEXAMPLE");
    CHECK(sig.scope.date == "20150830");
    CHECK(sig.scope.region == "us-east-1");
    CHECK(sig.scope.service == "service");
    CHECK(sig.signed_headers == std::vector<std::string>{"host", "x-amz-date"});
    CHECK(sig.amz_date == kSuiteDate);
    CHECK_FALSE(sig.presigned);

    CHECK(canonical_uri(request, false) == "/");
    CHECK(canonical_query(request).empty());
    CHECK(canonical_headers(request, sig.signed_headers) ==
          "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n");
    CHECK(payload_hash(request, sig) == kEmptySha256);
    CHECK(scope_string(sig.scope) == kSuiteScope);
    CHECK(hex_encode(signing_key(kSuiteSecret, sig.scope)) ==
          hex_encode(hmac_sha256(
              hmac_sha256(hmac_sha256(hmac_sha256("AWS4" + std::string(kSuiteSecret), "20150830"),
                                      "us-east-1"),
                          "service"),
              "aws4_request")));
    CHECK(compute_signature(kSuiteSecret, sig,
                            string_to_sign(sig, canonical_request(request, sig))) ==
          "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST_CASE("SigV4 post-sts-header-before signs the session token", "[auth][unit]") {
    const std::string token =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmx"
        "fpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0K"
        "PkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZb"
        "qBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
    const HttpRequest request = make_request(
        "POST", "/",
        {{"Host", "example.amazonaws.com"},
         {"X-Amz-Date", kSuiteDate},
         {"X-Amz-Security-Token", token},
         {"Authorization",
          std::string("AWS4-HMAC-SHA256 Credential=") + kSuiteCredential +
              ", SignedHeaders=host;x-amz-date;x-amz-security-token, "
              "Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"}});
    const SigV4Request sig = parsed(request);
    CHECK(sig.session_token == token);
    const std::string creq = canonical_request(request, sig);
    CHECK(creq ==
          "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n"
          "x-amz-security-token:" +
              token + "\n\nhost;x-amz-date;x-amz-security-token\n" + kEmptySha256);
    CHECK(string_to_sign(sig, creq).ends_with(
        "c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6"));
    CHECK(verify_sigv4(request, sig, kSuiteSecret, at(kSuiteDate)) == SigV4Check::Valid);
}

TEST_CASE("SigV4 canonical_uri normalizes and re-encodes non-S3 paths", "[auth][unit]") {
    const auto uri = [](const char* path) {
        return canonical_uri(make_request("GET", path, {}), false);
    };
    CHECK(uri("") == "/");
    CHECK(uri("/") == "/");
    CHECK(uri("//example//") == "/example/");
    CHECK(uri("/example/..") == "/");
    CHECK(uri("/a/b/../c") == "/a/c");
    CHECK(uri("/../a") == "/a");
    CHECK(uri("/./example") == "/example");
    CHECK(uri("/example space/") == "/example%20space/");
    // SDKs send the path encoded once and sign it encoded twice.
    CHECK(uri("/%E1%88%B4") == "/%25E1%2588%25B4");
    CHECK(uri("/2015-03-31/functions/arn%3Aaws%3Alambda/invocations") ==
          "/2015-03-31/functions/arn%253Aaws%253Alambda/invocations");
}

TEST_CASE("SigV4 canonical_uri for S3 encodes each key segment once", "[auth][unit]") {
    const auto uri = [](const char* path) {
        return canonical_uri(make_request("GET", path, {}), true);
    };
    CHECK(uri("") == "/");
    CHECK(uri("/") == "/");
    CHECK(uri("/test$file.text") == "/test%24file.text");
    CHECK(uri("/test%24file.text") == "/test%24file.text");
    CHECK(uri("/bucket/a%20b+c") == "/bucket/a%20b%2Bc");
    // No normalization: these are distinct S3 keys.
    CHECK(uri("/bucket//a/./b/../c/") == "/bucket//a/./b/../c/");
    // An encoded slash is part of one segment and stays encoded.
    CHECK(uri("/bucket/a%2Fb") == "/bucket/a%2Fb");
    CHECK(uri("/bucket/\xE1\x88\xB4") == "/bucket/%E1%88%B4");
}

TEST_CASE("SigV4 canonical_query sorts, encodes and drops the signature", "[auth][unit]") {
    const auto query = [](const char* target) {
        return canonical_query(make_request("GET", target, {}));
    };
    CHECK(query("/").empty());
    CHECK(query("/?lifecycle") == "lifecycle=");
    CHECK(query("/?prefix=J&max-keys=2") == "max-keys=2&prefix=J");
    CHECK(query("/?b=2&a=1&a=0") == "a=0&a=1&b=2");
    CHECK(query("/?a=x%20y&c=1+2&d=%7e") == "a=x%20y&c=1%2B2&d=~");
    CHECK(query("/?&&a=1&") == "a=1");
    CHECK(query("/?X-Amz-Signature=abc&X-Amz-Date=1") == "X-Amz-Date=1");
}

TEST_CASE("SigV4 canonical_headers trims, collapses and joins values", "[auth][unit]") {
    const HttpRequest request = make_request("GET", "/",
                                             {{"Host", "example.com"},
                                              {"X-Multi", "  one  "},
                                              {"x-multi", "two\t\tthree"},
                                              {"X-Empty", ""}});
    CHECK(canonical_headers(request, {"host", "x-multi", "x-empty", "x-absent"}) ==
          "host:example.com\nx-multi:one,two three\nx-empty:\nx-absent:\n");
}

TEST_CASE("SigV4 payload_hash prefers the declared hash", "[auth][unit]") {
    SigV4Request sig;
    sig.scope.service = "s3";
    HttpRequest request = make_request("PUT", "/b/k", {}, "abc");
    CHECK(payload_hash(request, sig) == sha256_hex("abc"));

    sig.presigned = true;
    CHECK(payload_hash(request, sig) == "UNSIGNED-PAYLOAD");
    sig.scope.service = "sts";
    CHECK(payload_hash(request, sig) == sha256_hex("abc"));

    request.headers.add("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
    CHECK(payload_hash(request, sig) == "STREAMING-AWS4-HMAC-SHA256-PAYLOAD");
}

TEST_CASE("SigV4 S3 header-signed GET Object example from the S3 API reference", "[auth][unit]") {
    const HttpRequest request = make_request(
        "GET", "/test.txt",
        {{"Host", "examplebucket.s3.amazonaws.com"},
         {"Range", "bytes=0-9 "},
         {"x-amz-content-sha256", kEmptySha256},
         {"x-amz-date", "20130524T000000Z"},
         {"Authorization",
          std::string("AWS4-HMAC-SHA256 Credential=") + kS3DocsCredential +
              ",SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
              "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"}});
    const SigV4Request sig = parsed(request);
    const std::string creq = canonical_request(request, sig);
    CHECK(creq ==
          "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
          "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
          "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(string_to_sign(sig, creq) ==
          "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
          "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
    CHECK(verify_sigv4(request, sig, kS3DocsSecret, at("20130524T000000Z")) == SigV4Check::Valid);
}

TEST_CASE("SigV4 S3 PUT Object example encodes the key and signs Date", "[auth][unit]") {
    const HttpRequest request = make_request(
        "PUT", "/test$file.text",
        {{"Host", "examplebucket.s3.amazonaws.com"},
         {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
         {"x-amz-date", "20130524T000000Z"},
         {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
         {"x-amz-content-sha256",
          "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"},
         {"Authorization",
          std::string("AWS4-HMAC-SHA256 Credential=") + kS3DocsCredential +
              ",SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
              "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"}},
        "Welcome to Amazon S3.");
    const SigV4Request sig = parsed(request);
    const std::string creq = canonical_request(request, sig);
    CHECK(creq.starts_with("PUT\n/test%24file.text\n\n"));
    CHECK(string_to_sign(sig, creq).ends_with(
        "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d"));
    CHECK(verify_sigv4(request, sig, kS3DocsSecret, at("20130524T000000Z")) == SigV4Check::Valid);
}

TEST_CASE("SigV4 S3 bucket examples sign valueless and sorted query parameters", "[auth][unit]") {
    const auto check = [](const char* target, const char* signature) {
        INFO(target);
        const HttpRequest request = make_request(
            "GET", target,
            {{"Host", "examplebucket.s3.amazonaws.com"},
             {"x-amz-date", "20130524T000000Z"},
             {"x-amz-content-sha256", kEmptySha256},
             {"Authorization", std::string("AWS4-HMAC-SHA256 Credential=") + kS3DocsCredential +
                                   ",SignedHeaders=host;x-amz-content-sha256;x-amz-date," +
                                   "Signature=" + signature}});
        const SigV4Request sig = parsed(request);
        CHECK(verify_sigv4(request, sig, kS3DocsSecret, at("20130524T000000Z")) ==
              SigV4Check::Valid);
    };
    check("/?lifecycle", "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
    check("/?max-keys=2&prefix=J",
          "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

namespace {

HttpRequest s3_presigned_request() {
    return make_request(
        "GET",
        "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
        "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
        "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
        {{"Host", "examplebucket.s3.amazonaws.com"}});
}

}  // namespace

TEST_CASE("SigV4 presigned URL example from the S3 docs", "[auth][unit]") {
    const HttpRequest request = s3_presigned_request();
    const SigV4Request sig = parsed(request);
    CHECK(sig.presigned);
    CHECK(sig.scope.access_key_id == "AKIAIOSFODNN7EXAMPLE");
    CHECK(sig.scope.service == "s3");
    CHECK(sig.signed_headers == std::vector<std::string>{"host"});
    CHECK(sig.expires_seconds == 86400);
    CHECK(sig.amz_date == "20130524T000000Z");

    const std::string creq = canonical_request(request, sig);
    CHECK(creq ==
          "GET\n/test.txt\n"
          "X-Amz-Algorithm=AWS4-HMAC-SHA256"
          "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
          "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\n"
          "host:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD");
    const std::string sts = string_to_sign(sig, creq);
    CHECK(sts ==
          "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
          "3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04");
    CHECK(compute_signature(kS3DocsSecret, sig, sts) ==
          "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST_CASE("SigV4 presigned URL is valid only inside its window", "[auth][unit]") {
    const HttpRequest request = s3_presigned_request();
    const SigV4Request sig = parsed(request);
    const TimePoint signed_at = at("20130524T000000Z");
    using std::chrono::minutes;
    using std::chrono::seconds;

    CHECK(verify_sigv4(request, sig, kS3DocsSecret, signed_at) == SigV4Check::Valid);
    CHECK(verify_sigv4(request, sig, kS3DocsSecret, signed_at + seconds(86400)) ==
          SigV4Check::Valid);
    CHECK(verify_sigv4(request, sig, kS3DocsSecret, signed_at + seconds(86401)) ==
          SigV4Check::Expired);
    // A client clock slightly ahead of ours is tolerated, as AWS does.
    CHECK(verify_sigv4(request, sig, kS3DocsSecret, signed_at - minutes(15)) == SigV4Check::Valid);
    CHECK(verify_sigv4(request, sig, kS3DocsSecret, signed_at - minutes(15) - seconds(1)) ==
          SigV4Check::NotYetValid);
}

TEST_CASE("SigV4 presigned window is capped at seven days", "[auth][unit]") {
    SigV4Request sig = parsed(s3_presigned_request());
    const HttpRequest request = s3_presigned_request();
    const TimePoint signed_at = at("20130524T000000Z");
    // A hand-built request without X-Amz-Expires (the signature is checked first, so keep it).
    sig.expires_seconds.reset();
    CHECK(verify_sigv4(request, sig, kS3DocsSecret, signed_at + std::chrono::seconds(604800)) ==
          SigV4Check::Valid);
    CHECK(verify_sigv4(request, sig, kS3DocsSecret, signed_at + std::chrono::seconds(604801)) ==
          SigV4Check::Expired);
}

TEST_CASE("SigV4 presigned request to a non-S3 service signs the body hash", "[auth][unit]") {
    // aws-c-auth's signing suite, get-vanilla-query-order-key-case, query-signed variant.
    const HttpRequest request = make_request(
        "GET",
        "/?Param2=value2&Param1=value1&X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request"
        "&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host"
        "&X-Amz-Signature=99fe619ddc7883a0738f7e90dc36a30badef2b551412ad283fd7338128bc73ac",
        {{"Host", "example.amazonaws.com"}});
    const SigV4Request sig = parsed(request);
    CHECK_FALSE(sig.expires_seconds.has_value());
    const std::string creq = canonical_request(request, sig);
    CHECK(creq ==
          "GET\n/\nParam1=value1&Param2=value2&X-Amz-Algorithm=AWS4-HMAC-SHA256"
          "&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fservice%2Faws4_request"
          "&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host\n"
          "host:example.amazonaws.com\n\nhost\n"
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(string_to_sign(sig, creq).ends_with(
        "eb1512f5ed1470925b7b1072c2108953680032d6bc3ccbef8eb7c6fdf1639827"));
    CHECK(verify_sigv4(request, sig, kSuiteSecret, at(kSuiteDate)) == SigV4Check::Valid);
}

TEST_CASE("SigV4 wrong secret or tampered request is a signature mismatch", "[auth][unit]") {
    HttpRequest request = suite_request(suite_cases().front());
    const SigV4Request sig = parsed(request);
    CHECK(verify_sigv4(request, sig, "wrong-secret", at(kSuiteDate)) ==
          SigV4Check::SignatureMismatch);

    request.headers.set("X-Amz-Date", "20150830T123601Z");
    CHECK(verify_sigv4(request, parsed(request), kSuiteSecret, at(kSuiteDate)) ==
          SigV4Check::SignatureMismatch);

    const HttpRequest presigned = s3_presigned_request();
    CHECK(verify_sigv4(presigned, parsed(presigned), kSuiteSecret, at("20130524T000000Z")) ==
          SigV4Check::SignatureMismatch);
}

TEST_CASE("SigV4 header-signed requests get no clock-skew check", "[auth][unit]") {
    const HttpRequest request = suite_request(suite_cases().front());
    const SigV4Request sig = parsed(request);
    CHECK(verify_sigv4(request, sig, kSuiteSecret, at("20250101T000000Z")) == SigV4Check::Valid);
}

TEST_CASE("SigV4 parse tolerates spacing and reads the Date header", "[auth][unit]") {
    const HttpRequest request = make_request(
        "GET", "/",
        {{"Host", "example.amazonaws.com"},
         {"Date", "Sun, 30 Aug 2015 12:36:00 GMT"},
         {"Authorization",
          "  AWS4-HMAC-SHA256   Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,,"
          "  SignedHeaders=Host;Date ,Signature=abc  "}});
    const SigV4Request sig = parsed(request);
    CHECK(sig.amz_date == "20150830T123600Z");
    CHECK(sig.signed_headers == std::vector<std::string>{"host", "date"});
    CHECK(sig.signature == "abc");
    CHECK(sig.session_token.empty());
}

TEST_CASE("SigV4 parse reports anonymous requests as Missing", "[auth][unit]") {
    CHECK(parse_error(make_request("GET", "/?Param1=value1", {{"Host", "example.com"}})) ==
          SigV4ParseError::Missing);
    // A session token or date alone does not sign anything.
    CHECK(parse_error(make_request("GET", "/?X-Amz-Date=20150830T123600Z",
                                   {{"X-Amz-Security-Token", "t"}})) == SigV4ParseError::Missing);
}

TEST_CASE("SigV4 parse reports garbage as Malformed", "[auth][unit]") {
    const auto header_error = [](const std::string& authorization) {
        INFO(authorization);
        return parse_error(make_request(
            "GET", "/", {{"X-Amz-Date", kSuiteDate}, {"Authorization", authorization}}));
    };
    const std::string good_credential = std::string("Credential=") + kSuiteCredential;
    for (const std::string& bad : {
             std::string("garbage"),
             std::string(""),
             std::string("AWS AKIDEXAMPLE:c2lnbmF0dXJl"),
             std::string("AWS4-HMAC-SHA256"),
             std::string("AWS4-HMAC-SHA256Credential=") + kSuiteCredential +
                 ", SignedHeaders=host, Signature=abc",
             std::string("AWS4-HMAC-SHA256 ") + good_credential + ", SignedHeaders=host",
             std::string("AWS4-HMAC-SHA256 ") + good_credential + ", Signature=abc",
             std::string("AWS4-HMAC-SHA256 SignedHeaders=host, Signature=abc"),
             std::string("AWS4-HMAC-SHA256 ") + good_credential +
                 ", SignedHeaders=host, Signature=",
             std::string("AWS4-HMAC-SHA256 ") + good_credential +
                 ", SignedHeaders=host;;x-amz-date, Signature=abc",
             std::string("AWS4-HMAC-SHA256 ") + good_credential +
                 ", SignedHeaders=host, Signature=abc, Signature=def",
             std::string("AWS4-HMAC-SHA256 ") + good_credential +
                 ", SignedHeaders=host, Signature=abc, junk",
             std::string("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service, "
                         "SignedHeaders=host, Signature=abc"),
             std::string("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/2015083/us-east-1/service/"
                         "aws4_request, SignedHeaders=host, Signature=abc"),
             std::string("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                         "aws5_request, SignedHeaders=host, Signature=abc"),
             // The credential's date must be the request's date.
             std::string("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150831/us-east-1/service/"
                         "aws4_request, SignedHeaders=host, Signature=abc"),
         }) {
        CHECK(header_error(bad) == SigV4ParseError::Malformed);
    }

    // No date at all.
    CHECK(parse_error(
              make_request("GET", "/",
                           {{"Authorization", std::string("AWS4-HMAC-SHA256 ") + good_credential +
                                                  ", SignedHeaders=host, Signature=abc"}})) ==
          SigV4ParseError::Malformed);
}

TEST_CASE("SigV4 parse rejects malformed presigned parameters", "[auth][unit]") {
    const std::string base =
        "/k?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
        "&X-Amz-SignedHeaders=host&X-Amz-Signature=abc";
    const auto error = [](const std::string& target, const HeaderList& headers = {}) {
        INFO(target);
        return parse_error(make_request("GET", target, headers));
    };
    CHECK(std::holds_alternative<SigV4Request>(
        parse_sigv4(make_request("GET", base + "&X-Amz-Date=20130524T000000Z", {}))));

    CHECK(error(base) == SigV4ParseError::Malformed);  // no X-Amz-Date
    CHECK(error(base + "&X-Amz-Date=2013-05-24") == SigV4ParseError::Malformed);
    CHECK(error(base + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=604801") ==
          SigV4ParseError::Malformed);
    CHECK(error(base + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=-1") ==
          SigV4ParseError::Malformed);
    CHECK(error(base + "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=99999999999999999999") ==
          SigV4ParseError::Malformed);
    CHECK(error(base + "&X-Amz-Date=20130524T000000Z&X-Amz-Signature=def") ==
          SigV4ParseError::Malformed);
    CHECK(error("/k?X-Amz-Signature=abc") == SigV4ParseError::Malformed);
    CHECK(error("/k?X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Date=20130524T000000Z") ==
          SigV4ParseError::Malformed);
    // Header and query signing at once.
    CHECK(error(base + "&X-Amz-Date=20130524T000000Z",
                {{"Authorization", std::string("AWS4-HMAC-SHA256 Credential=") + kS3DocsCredential +
                                       ", SignedHeaders=host, Signature=abc"}}) ==
          SigV4ParseError::Malformed);
}

TEST_CASE("SigV4 presigned parse reads the session token from the query", "[auth][unit]") {
    const HttpRequest request = make_request(
        "GET",
        "/k?X-Amz-Algorithm=AWS4-HMAC-SHA256"
        "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
        "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=0&X-Amz-SignedHeaders=host%3Bx-amz-meta-a"
        "&X-Amz-Security-Token=tok%2Ben%2F%3D&X-Amz-Signature=abc",
        {});
    const SigV4Request sig = parsed(request);
    CHECK(sig.session_token == "tok+en/=");
    CHECK(sig.expires_seconds == 0);
    CHECK(sig.signed_headers == std::vector<std::string>{"host", "x-amz-meta-a"});
}

TEST_CASE("SigV4 parse_amz_date accepts only real ISO 8601 basic instants", "[auth][unit]") {
    const auto time = parse_amz_date("20150830T123600Z");
    REQUIRE(time.has_value());
    CHECK(std::chrono::duration_cast<std::chrono::seconds>(time->time_since_epoch()).count() ==
          1440938160);
    CHECK(parse_amz_date("20000229T000000Z").has_value());
    for (const char* bad : {"", "20150830T123600", "20150830 123600Z", "2015-08-30T12:36:00Z",
                            "20150230T000000Z", "20150830T243600Z", "20150830T126000Z",
                            "20150830T123660Z", "2015083aT123600Z", "20150830T123600Z "}) {
        INFO(bad);
        CHECK_FALSE(parse_amz_date(bad).has_value());
    }
}
