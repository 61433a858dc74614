-- Shared by the ingest scenarios: optional pacing and the result line run.sh reads.
-- RATE (requests/s in all) and CONNS turn on pacing, to measure latency below peak load.
-- Each connection waits a random time (uniform, mean conns/RATE) after each answer: with a fixed
-- wait, connections answered together stayed in step for the whole run, and the "half load"
-- was a burst from every connection at once followed by silence.
local rate = tonumber(os.getenv("RATE") or "0")
local conns = tonumber(os.getenv("CONNS") or "1")
if rate > 0 then
  function delay() return math.random() * 2 * conns * 1000 / rate end
end
-- Numbers the threads (`tid`), so each builds alert names no other thread uses; the run's own
-- prefix keeps a second run against the same server (the paced one) sending new alerts too.
local threads = 0
math.randomseed(os.time())
local run = string.format("%x%04x", os.time(), math.random(0, 65535))
function setup(thread)
  threads = threads + 1
  thread:set("tid", run .. "-" .. threads)
end
-- Prints one machine-readable line after the run.
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d\n",
    summary.requests, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, errors))
end
