-- Asks for one document again and again, as a browser or a dashboard does; the result line
-- run.sh reads comes from the ingest scenarios' common part.
dofile("Benchmarks/ingest/common.lua")
request = function()
  return wrk.format("GET", nil, { ["Accept"] = "*/*" })
end
