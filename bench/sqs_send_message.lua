-- wrk script: SQS SendMessage, or SendMessageBatch, over AWS JSON 1.0, as an SDK sends it.
-- Environment: SQS_QUEUE_URL (required), SQS_BATCH (0 or unset: SendMessage; N: a
-- SendMessageBatch of N entries, ids "0".."N-1"). Every message has the same fixed body.
-- The Authorization header has the shape of a real SigV4 signature (access key "test");
-- awsemu (default --auth open) and moto accept any signature. nginx ignores it all.
local queue_url = os.getenv("SQS_QUEUE_URL") or error("SQS_QUEUE_URL is not set")
local batch = tonumber(os.getenv("SQS_BATCH") or "0")
local body = "bench message 0123456789abcdef0123456789abcdef0123456789abcdef"

wrk.method = "POST"
wrk.path = "/"
if batch > 0 then
  local entries = {}
  for i = 0, batch - 1 do
    entries[#entries + 1] = string.format('{"Id":"%d","MessageBody":"%s"}', i, body)
  end
  wrk.body = string.format('{"QueueUrl":"%s","Entries":[%s]}', queue_url, table.concat(entries, ","))
  wrk.headers["X-Amz-Target"] = "AmazonSQS.SendMessageBatch"
else
  wrk.body = string.format('{"QueueUrl":"%s","MessageBody":"%s"}', queue_url, body)
  wrk.headers["X-Amz-Target"] = "AmazonSQS.SendMessage"
end
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Date"] = "20260101T000000Z"
wrk.headers["User-Agent"] = "awsemu-bench/wrk"
wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 "
    .. "Credential=test/20260101/us-east-1/sqs/aws4_request, "
    .. "SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
    .. "Signature=" .. string.rep("0", 64)

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "wrk_report.lua")
