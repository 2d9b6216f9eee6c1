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

-- One machine-readable line for run_sqs.sh. wrk counts a response as a status error when its
-- status is >= 400 (what its own "Non-2xx or 3xx responses" line reports).
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "BENCH requests=%d seconds=%.3f rps=%.1f non2xx=%d connect_errors=%d read_errors=%d "
      .. "write_errors=%d timeouts=%d p50_ms=%.3f p99_ms=%.3f\n",
    summary.requests, seconds, summary.requests / seconds, summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
