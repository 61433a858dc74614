-- RATE (requests/s in all) and CONNS turn on pacing, to measure latency below peak load.
local rate = tonumber(os.getenv("RATE") or "0")
local conns = tonumber(os.getenv("CONNS") or "1")
if rate > 0 then
  function delay() return conns * 1000 / rate end
end
-- One distinct alert per request, in Alertmanager's webhook format (or, with AM_API=1, its v2 API format).
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function request()
  counter = counter + 1
  local id = tid .. "-" .. counter
  local body
  if os.getenv("AM_API") == "1" then
    body = '[{"labels":{"alertname":"Bench","instance":"i' .. id .. '"},"annotations":{"summary":"bench alert"}}]'
  else
    body = '{"version":"4","status":"firing","receiver":"bench","groupKey":"{}","groupLabels":{},"commonLabels":{},' ..
      '"commonAnnotations":{},"externalURL":"http://bench","alerts":[{"status":"firing","labels":{"alertname":"Bench",' ..
      '"instance":"i' .. id .. '"},"annotations":{"summary":"bench alert ' .. id .. '"},"startsAt":"2026-11-22T10:00:00Z",' ..
      '"endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom/graph","fingerprint":"fp' .. id .. '"}]}'
  end
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
-- Prints one machine-readable line after the run.
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, errors))
end
