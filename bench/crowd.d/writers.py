"""Writers for bench/crowd: report actions through the reporting API at a fixed rate for a fixed time, as the
instansi's own systems make them on a due day. Half are saves of lines still in draft (nothing public moves), half
saves of returned lines with a new claim (which move scores: their aksi, instansi and the nation). Prints the count
by outcome and the latency percentiles.

    writers.py BASE_URL KEYS_FILE RATE SECONDS
"""

import http.client
import json
import random
import sys
import threading
import time
import urllib.parse

base, keys_file, rate, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
host = urllib.parse.urlparse(base)
keys = [k.strip() for k in open(keys_file) if k.strip()]


def connect():
    return http.client.HTTPConnection(host.hostname, host.port, timeout=30)


def call(conn, method, path, key, body=None):
    headers = {"Authorization": "Bearer " + key, "Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    return response.status, response.read()


# The lines each key may change, found once before the clock starts.
lines = {"draft": [], "returned": []}
conn = connect()
for key in keys:
    status, body = call(conn, "GET", "/api/v1/laporan?periode=2025-2026", key)
    if status != 200:
        continue
    for line in json.loads(body)["data"]["lines"] if "data" in json.loads(body) else json.loads(body)["lines"]:
        if not line["locked"] and line["state"] in lines:
            lines[line["state"]].append({"key": key, "target": line["target"], "version": line["version"]})
conn.close()
print(f"writable lines: {len(lines['draft'])} drafts, {len(lines['returned'])} returned", flush=True)

results = []
lock = threading.Lock()
if rate > 0 and (lines["draft"] or lines["returned"]):
    total = int(rate * seconds)
    schedule = [time.monotonic() + 1 + i / rate for i in range(total)]
    order = []
    for i in range(total):
        kind = "returned" if i % 2 and lines["returned"] else "draft"
        if not lines[kind]:
            kind = "returned"
        order.append((kind, lines[kind][(i // 2) % len(lines[kind])]))

    def work(worker, workers):
        conn = connect()
        for i in range(worker, total, workers):
            delay = schedule[i] - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            kind, line = order[i]
            with lock:
                version = line["version"]
            body = {"version": version, "action": "save", "capaian": random.randint(0, 40),
                    "narasi": "Disimpan oleh bench/crowd."}
            started = time.monotonic()
            try:
                status, answer = call(conn, "POST", f"/api/v1/laporan/{line['target']}", line["key"], body)
            except Exception:
                conn.close()
                conn = connect()
                status, answer = 0, b""
            elapsed = time.monotonic() - started
            if status == 200:
                saved = json.loads(answer)
                with lock:
                    line["version"] = saved.get("version", saved.get("data", {}).get("version", version + 1))
            with lock:
                results.append((kind, status, elapsed))
        conn.close()

    workers = [threading.Thread(target=work, args=(w, 8)) for w in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


for kind in ("draft", "returned"):
    mine = [r for r in results if r[0] == kind]
    ok = [r[2] for r in mine if r[1] == 200]
    statuses = {}
    for r in mine:
        statuses[r[1]] = statuses.get(r[1], 0) + 1
    print(
        f"WRITES {kind}: {len(mine)} sent, by status {dict(sorted(statuses.items()))}, "
        f"p50 {percentile(ok, 50):.1f} ms, p99 {percentile(ok, 99):.1f} ms",
        flush=True,
    )
