-- bench/referrals.lua: the wrk script of bench/referrals.sh, in two modes.
--
--   wrk ... -s bench/referrals.lua URL -- get PATHS_FILE
--       each request is the next of a list of paths (one a line), so the
--       server answers many different questions (report date ranges) and
--       no cache can answer them all from memory; each wrk thread walks the
--       list from its own starting point with its own stride.
--   wrk ... -s bench/referrals.lua URL/api/v1/referrals -- post BODY_FILE
--       each request POSTs the JSON in BODY_FILE to the URL's path.
--
-- Either way, done() prints one line that bench/referrals.sh reads:
--   percentiles: p50 X p95 Y p99 Z max M (ms); requests N; non-2xx K; errors E

local threads = {}

-- Runs in the main state once per thread: number the threads.
function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

local mode, body = "get", nil
local paths = {}
local at, stride = 0, 1

-- Runs in each thread's own state.
function init(args)
   mode = args[1] or "get"
   local f = assert(io.open(args[2], "r"), "bench/referrals.lua: no file named after the mode")
   if mode == "post" then
      body = f:read("*a")
      f:close()
      wrk.headers["Content-Type"] = "application/json"
      return
   end
   for line in f:lines() do
      if #line > 0 then paths[#paths + 1] = line end
   end
   f:close()
   assert(#paths > 0, "bench/referrals.lua: the list of paths is empty")
   local me = id or 0
   at = math.floor(me * #paths / 2) % #paths
   stride = ({ 1, 7, 11, 13 })[me % 4 + 1]
   while #paths % stride == 0 and stride > 1 do stride = stride - 2 end
end

function request()
   if mode == "post" then
      return wrk.format("POST", wrk.path, nil, body)
   end
   at = (at + stride) % #paths
   return wrk.format("GET", paths[at + 1])
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "percentiles: p50 %.2f p95 %.2f p99 %.2f max %.2f (ms); requests %d; non-2xx %d; errors %d\n",
      latency:percentile(50) / 1000, latency:percentile(95) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, summary.requests, e.status,
      e.connect + e.read + e.write + e.timeout))
end
