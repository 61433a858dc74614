-- Asks for one page again and again with a signed-in session (COOKIE), and prints the result line run.sh reads.
local cookie = os.getenv("COOKIE")
request = function()
  return wrk.format("GET", nil, { ["Cookie"] = cookie, ["Accept"] = "text/html" })
end
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, errors))
end
