-- Asks for one page again and again with a signed-in session (COOKIE); the result line run.sh
-- reads comes from the ingest scenarios' common part.
dofile("Benchmarks/ingest/common.lua")
local cookie = os.getenv("COOKIE")
request = function()
  return wrk.format("GET", nil, { ["Cookie"] = cookie, ["Accept"] = "text/html" })
end
