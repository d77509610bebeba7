-- wrk script for run.py --traffic mixed: each connection's thread walks the list of
-- paths in BENCH_PATHS (one a line, drawn with a Zipf-like skew by mixed.py) from
-- its own offset, sends the session cookie of a signed-in run (BENCH_COOKIE), and
-- counts the answers' X-Cache header and status. One JSON line, prefixed "JSON ".
wrk.headers["User-Agent"] = "whatworks-bench"
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  paths[#paths + 1] = line
end

local threads = {}
local count = 0
function setup(thread)
  count = count + 1
  thread:set("number", count)
  threads[#threads + 1] = thread
end

function init(args)
  -- run.py starts 2 threads: they start half the list apart, never asking in step
  position = ((number - 1) * math.floor(#paths / 2)) % #paths
  start = position
  walked, hits, misses, unlabelled, not_ok = 0, 0, 0, 0, 0
end

function request()
  position = position % #paths + 1
  walked = walked + 1
  return wrk.format("GET", paths[position])
end

function response(status, headers, body)
  local label = headers["X-Cache"] or headers["x-cache"]
  if label == "hit" then
    hits = hits + 1
  elseif label == "miss" then
    misses = misses + 1
  else
    unlabelled = unlabelled + 1
  end
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

done = function(summary, latency, requests)
  local h, m, u, n, parts = 0, 0, 0, 0, {}
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    m = m + thread:get("misses")
    u = u + thread:get("unlabelled")
    n = n + thread:get("not_ok")
    parts[#parts + 1] = string.format("[%d, %d]", thread:get("start"), thread:get("walked"))
  end
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"hits": %d, "misses": %d, "unlabelled": %d, "not_ok": %d, "walks": [%s]}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean, e.connect, e.read, e.write, e.status, e.timeout, h, m, u, n,
    table.concat(parts, ", ")))
end
