"""Prepares the national data set for bench/crowd: opens the reporting window of the cycle's seventh triwulan so that
today is its due day, makes a reporting-API key for each of 60 instansi with lines still to send or returned, and
writes the crowd's URLs (every public page a visitor opens: every instansi, every aksi and indicator with its
regions, the dashboard per triwulan, the directory with filters, the open data API lists) and the writers' keys. The
same window and keys go to `postgres.sql`, for the same data set seeded into PostgreSQL (whose ids are the same)."""

import datetime
import hashlib
import os
import secrets
import sqlite3
import sys

data, out = sys.argv[1], sys.argv[2]
db = sqlite3.connect(os.path.join(data, "jaga.sqlite"))
cycle_id, code = db.execute("SELECT id, code FROM cycles WHERE code = '2025-2026'").fetchone()
today = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).date()
iso = lambda d: d.isoformat()
replay = []  # the same changes, for PostgreSQL


def change(sql, args):
    db.execute(sql, args)
    values = iter(args)
    replay.append(
        "".join(
            (lambda v: str(v) if isinstance(v, int) else "'" + str(v).replace("'", "''") + "'")(next(values))
            if part == "?" else part
            for part in sql
        )
        + ";"
    )


change(
    "UPDATE triwulan SET opens_on = ?, due_on = ?, locks_on = ? WHERE cycle_id = ? AND number = 7",
    (iso(today - datetime.timedelta(days=14)), iso(today), iso(today + datetime.timedelta(days=7)), cycle_id),
)
# Later triwulan open after this one.
change(
    "UPDATE triwulan SET opens_on = ?, due_on = ?, locks_on = ? WHERE cycle_id = ? AND number = 8",
    (iso(today + datetime.timedelta(days=60)), iso(today + datetime.timedelta(days=75)),
     iso(today + datetime.timedelta(days=90)), cycle_id),
)

# The instansi with the most TW 7 lines a writer can still change (drafts, returned lines, lines not begun).
writable = db.execute(
    """
    SELECT t.instansi_id, COUNT(*) AS n FROM targets t JOIN triwulan w ON w.id = t.triwulan_id
    LEFT JOIN report_lines l ON l.target_id = t.id
    WHERE w.cycle_id = ? AND w.number = 7 AND (l.id IS NULL OR l.state IN ('draft', 'returned'))
    GROUP BY t.instansi_id ORDER BY n DESC LIMIT 60
    """,
    (cycle_id,),
).fetchall()
now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
with open(os.path.join(out, "keys.txt"), "w") as keys:
    for instansi_id, _ in writable:
        key = "jst_" + secrets.token_urlsafe(24)
        change(
            "INSERT INTO api_tokens (instansi_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)",
            (instansi_id, "bench/crowd", hashlib.sha256(key.encode()).hexdigest(), key[:10], now),
        )
        keys.write(key + "\n")
db.commit()
with open(os.path.join(out, "postgres.sql"), "w") as f:
    f.write("\n".join(replay) + "\n")

urls = ["/", "/instansi", "/dasbor", "/jejak", "/laporan-capaian", "/panduan"]
urls += [f"/instansi/{i}" for (i,) in db.execute("SELECT id FROM instansi ORDER BY id")]
aksi = [n for (n,) in db.execute("SELECT number FROM aksi WHERE cycle_id = ? ORDER BY number", (cycle_id,))]
urls += [f"/aksi/{n}" for n in aksi]
urls += [f"/aksi/{n}/skor.csv" for n in aksi]
indicators = db.execute(
    """
    SELECT a.number, n.code, n.id FROM indicators n JOIN outputs o ON o.id = n.output_id JOIN aksi a ON a.id = o.aksi_id
    WHERE a.cycle_id = ? ORDER BY a.number, n.code
    """,
    (cycle_id,),
).fetchall()
for number, indicator, indicator_id in indicators:
    urls.append(f"/aksi/{number}/indikator/{indicator}")
    # Each province whose kab/kota carry the indicator is a region of its page.
    for (province,) in db.execute(
        """
        SELECT DISTINCT p.province_code FROM targets t JOIN instansi i ON i.id = t.instansi_id
        JOIN instansi p ON p.id = i.parent_id WHERE t.indicator_id = ? AND i.kind = 'kabkota'
        ORDER BY p.province_code
        """,
        (indicator_id,),
    ):
        urls.append(f"/aksi/{number}/indikator/{indicator}?wilayah={province}")
urls += [f"/dasbor?triwulan={t}" for t in range(1, 9)]
urls += [f"/instansi?jenis={kind}" for kind in ("kl", "provinsi", "kabkota")]
urls += [f"/instansi?provinsi={p}" for (p,) in db.execute(
    "SELECT province_code FROM instansi WHERE kind = 'provinsi' AND province_code IS NOT NULL ORDER BY province_code")]
api = f"/api/v1/cycles/{code}"
urls += [f"{api}/scores?scope=instansi&triwulan={t}&per_page=500" for t in range(1, 9)]
urls += [f"{api}/targets?triwulan={t}&per_page=100" for t in range(1, 9)]
urls += [f"{api}/results?triwulan={t}&per_page=100" for t in range(1, 9)]
urls += ["/api/v1/instansi?per_page=500", f"{api}/discipline?per_page=500", "/api/v1/cycles"]
with open(os.path.join(out, "urls.txt"), "w") as f:
    f.write("\n".join(urls) + "\n")
print(f"{len(urls)} public URLs, {len(writable)} reporting keys; TW 7 of {code} is due {iso(today)}")
