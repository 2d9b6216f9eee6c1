-- wrk script: Secrets Manager GetSecretValue over AWS JSON 1.1, as an SDK sends it.
-- The Authorization header has the shape of a real SigV4 signature (access key "test");
-- awsemu (default --auth open) and moto accept any signature. nginx ignores it all.
wrk.method = "POST"
wrk.path = "/"
wrk.body = '{"SecretId":"bench-secret"}'
wrk.headers["Content-Type"] = "application/x-amz-json-1.1"
wrk.headers["X-Amz-Target"] = "secretsmanager.GetSecretValue"
wrk.headers["X-Amz-Date"] = "20260101T000000Z"
wrk.headers["User-Agent"] = "awsemu-bench/wrk"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 "
    .. "Credential=test/20260101/us-east-1/secretsmanager/aws4_request, "
    .. "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
    .. "Signature=" .. string.rep("0", 64)

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "wrk_report.lua")
