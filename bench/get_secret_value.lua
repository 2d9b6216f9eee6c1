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

-- One machine-readable line for run.sh. wrk counts a response as a status error when its
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
