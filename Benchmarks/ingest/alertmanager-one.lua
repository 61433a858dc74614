dofile("Benchmarks/ingest/common.lua")
-- One distinct alert per request, in Alertmanager's webhook format (or, with AM_API=1, its v2 API format).
local counter = 0
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
