-- wrk script: SNS Publish over the query protocol, as an SDK sends it.
-- Environment: SNS_TOPIC_ARN (required). Every message has the same fixed body.
-- The Authorization header has the shape of a real SigV4 signature (access key "test");
-- awsemu (default --auth open) and moto accept any signature.
local topic_arn = os.getenv("SNS_TOPIC_ARN") or error("SNS_TOPIC_ARN is not set")
local function form_encode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

wrk.method = "POST"
wrk.path = "/"
wrk.body = "Action=Publish&Version=2010-03-31&TopicArn=" .. form_encode(topic_arn)
    .. "&Message=" .. form_encode("bench message 0123456789abcdef0123456789abcdef")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
wrk.headers["X-Amz-Date"] = "20260101T000000Z"
wrk.headers["User-Agent"] = "awsemu-bench/wrk"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 "
    .. "Credential=test/20260101/us-east-1/sns/aws4_request, "
    .. "SignedHeaders=content-type;host;x-amz-date, "
    .. "Signature=" .. string.rep("0", 64)

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "wrk_report.lua")
