-- wrk script: S3 PutObject or GetObject of a small object, path style, as an SDK sends it.
-- Environment: S3_METHOD (GET or PUT), S3_PATH (GET: the object's path, "/bench/small"; PUT:
-- the prefix of the keys written, each request a new key "<prefix>-<thread>-<n>"),
-- S3_SIZE (PUT: body bytes, default 4096). The Authorization header has the shape of a real
-- SigV4 signature (access key "test"); awsemu (default --auth open) and moto accept any
-- signature. nginx ignores it all.
local method = os.getenv("S3_METHOD") or error("S3_METHOD is not set")
local path = os.getenv("S3_PATH") or error("S3_PATH is not set")
local size = tonumber(os.getenv("S3_SIZE") or "4096")

wrk.method = method
wrk.path = path
wrk.headers["X-Amz-Date"] = "20260101T000000Z"
wrk.headers["X-Amz-Content-SHA256"] = "UNSIGNED-PAYLOAD"
wrk.headers["User-Agent"] = "awsemu-bench/wrk"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 "
    .. "Credential=test/20260101/us-east-1/s3/aws4_request, "
    .. "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
    .. "Signature=" .. string.rep("0", 64)
if method == "PUT" then
  wrk.body = string.rep("a", size)
  wrk.headers["Content-Type"] = "application/octet-stream"
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

local sent = 0
function request()
  if method ~= "PUT" then
    return wrk.format()
  end
  sent = sent + 1
  return wrk.format(nil, string.format("%s-%d-%d", path, thread_id, sent))
end

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "wrk_report.lua")
