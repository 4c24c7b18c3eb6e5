-- bench/directory.lua: the wrk script of bench/directory.sh. Each request is
-- the next of a fixed list of directory searches (one path a line, in the
-- file named after "--"), so the server answers many different questions
-- instead of one its per-worker response cache would answer after the first
-- time. Each wrk thread walks the list from its own starting point with its
-- own stride, so two threads seldom ask the same thing at the same moment;
-- the list is long enough (2,000) that a path comes back to a worker long
-- after its 64-entry cache has forgotten it.
--
--   wrk -t2 -c32 -d10s --latency -s bench/directory.lua URL -- urls.txt

local threads = {}

-- Runs in the main state once per thread: number the threads.
function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

local urls = {}
local at, stride = 0, 1

-- Runs in each thread's own state: read the list, pick start and stride.
function init(args)
   local f = assert(io.open(args[1], "r"), "bench/directory.lua: no list of paths")
   for line in f:lines() do
      if #line > 0 then urls[#urls + 1] = line end
   end
   f:close()
   assert(#urls > 0, "bench/directory.lua: the list of paths is empty")
   local me = id or 0
   at = math.floor(me * #urls / 2) % #urls
   stride = ({ 1, 7, 11, 13 })[me % 4 + 1] -- the list's length is 2,000: coprime
end

function request()
   at = (at + stride) % #urls
   return wrk.format("GET", urls[at + 1])
end
