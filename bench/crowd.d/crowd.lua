-- wrk script for bench/crowd: each request opens one public URL drawn uniformly from the list in $CROWD_URLS, and
-- each thread counts how its answers were served (X-Jaga-Cache: hit, miss or stale; "proxy" when a proxy in front
-- answered from its own cache) and how many were not 200.
local paths = {}
for line in io.lines(os.getenv("CROWD_URLS")) do
    if #line > 0 then paths[#paths + 1] = line end
end

local threads = {}
local next_id = 1

function setup(thread)
    thread:set("id", next_id)
    next_id = next_id + 1
    table.insert(threads, thread)
end

function init(args)
    math.randomseed(os.time() * 100 + id)
    hit, miss, stale, other, failed, failed_status = 0, 0, 0, 0, 0, 0
end

function request()
    return wrk.format("GET", paths[math.random(#paths)])
end

function response(status, headers, body)
    if status ~= 200 then
        failed = failed + 1
        failed_status = status
    end
    local state = headers["X-Jaga-Cache"] or headers["x-jaga-cache"]
    local proxy = headers["X-Proxy-Cache"] or headers["x-proxy-cache"]
    if proxy == "HIT" or proxy == "STALE" or proxy == "UPDATING" then state = "proxy" end
    if state == "hit" or state == "proxy" then hit = hit + 1
    elseif state == "miss" then miss = miss + 1
    elseif state == "stale" then stale = stale + 1
    else other = other + 1 end
end

function done(summary, latency, requests)
    local h, m, s, o, f, status = 0, 0, 0, 0, 0, 0
    for _, thread in ipairs(threads) do
        h = h + thread:get("hit")
        m = m + thread:get("miss")
        s = s + thread:get("stale")
        o = o + thread:get("other")
        f = f + thread:get("failed")
        if thread:get("failed_status") ~= 0 then status = thread:get("failed_status") end
    end
    local failures = f > 0 and string.format(" (status %d)", status) or ""
    io.write(string.format("CROWD hit=%d miss=%d stale=%d other=%d failed=%d%s\n", h, m, s, o, f, failures))
end
