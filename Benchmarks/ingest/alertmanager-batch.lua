dofile("Benchmarks/ingest/common.lua")
-- Batches of 100 distinct alerts per request (Alertmanager webhook, or with AM_API=1 its v2 API).
local counter = 0
function request()
  local alerts = {}
  for i = 1, 100 do
    counter = counter + 1
    local id = tid .. "-" .. counter
    if os.getenv("AM_API") == "1" then
      alerts[i] = '{"labels":{"alertname":"Bench","instance":"i' .. id .. '"},"annotations":{"summary":"bench alert"}}'
    else
      alerts[i] = '{"status":"firing","labels":{"alertname":"Bench","instance":"i' .. id .. '"},"annotations":{"summary":"bench ' ..
        id .. '"},"startsAt":"2026-11-22T10:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"fp' .. id .. '"}'
    end
  end
  local body
  if os.getenv("AM_API") == "1" then
    body = "[" .. table.concat(alerts, ",") .. "]"
  else
    body = '{"version":"4","status":"firing","receiver":"bench","groupKey":"{}","groupLabels":{},"commonLabels":{},' ..
      '"commonAnnotations":{},"externalURL":"http://bench","alerts":[' .. table.concat(alerts, ",") .. ']}'
  end
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
