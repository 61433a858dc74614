dofile("Benchmarks/ingest/common.lua")
-- The same alert again and again: a storm of duplicates.
local body = '{"version":"4","status":"firing","receiver":"bench","groupKey":"{}","groupLabels":{},"commonLabels":{},' ..
  '"commonAnnotations":{},"externalURL":"http://bench","alerts":[{"status":"firing","labels":{"alertname":"Storm",' ..
  '"instance":"one"},"annotations":{"summary":"the same alert"},"startsAt":"2026-11-22T10:00:00Z",' ..
  '"endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prom/graph","fingerprint":"storm"}]}'
function request()
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
