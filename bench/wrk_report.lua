-- What every wrk script here ends with: one machine-readable line for the run*.sh scripts. wrk
-- counts a response as a status error when its status is >= 400 (what its own "Non-2xx or 3xx
-- responses" line reports). Loaded with dofile() next to the script that uses it.
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "BENCH requests=%d seconds=%.3f rps=%.1f non2xx=%d connect_errors=%d read_errors=%d "
      .. "write_errors=%d timeouts=%d p50_ms=%.3f p99_ms=%.3f\n",
    summary.requests, seconds, summary.requests / seconds, summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
