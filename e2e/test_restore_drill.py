"""The restore drill: `jaga backup` of a running demo while a Unit Teknis keeps saving evidence, `jaga restore` into an
empty data directory with the key kept apart, then `jaga audit verify` and `jaga blobs verify` on the copy, every file acknowledged before
the backup began found in it, and a citizen's receipt code opening the report on the restored portal, whose
background work waits for an operator."""

import hashlib
import os
import pathlib
import re
import subprocess
import tempfile
import threading
import time

from conftest import ROOT, running_server
from portal_client import Client, demo_password, token

BINARY = os.environ.get("JAGA_BINARY", str(ROOT / ".build" / "debug" / "jaga"))
UNIT = "unit.teknis@demo.jaga-stranas.example"


def jaga(data_dir, *arguments):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["JAGA_DATA_DIR"] = data_dir
    return subprocess.run([BINARY, *arguments], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def test_backup_under_load_restores_whole(tmp_path):
    source = tempfile.mkdtemp(prefix="jaga-drill-source-")
    backup = str(tmp_path / "backup")
    restored = tempfile.mkdtemp(prefix="jaga-drill-restored-")
    with running_server({"JAGA_DATA_DIR": source, "JAGA_TODAY": "2021-04-05", "JAGA_ENV": "development"}) as base:
        # A citizen reports misconduct and keeps the receipt code.
        citizen = Client(base)
        status, form = citizen.get("/lapor")
        instansi = re.search(r'<option[^>]* value="(\d+)"', form).group(1)
        status, receipt = citizen.post("/lapor", [
            ("_csrf", token(form)), ("instansi", instansi), ("situs", ""),
            ("isi", "Petugas loket meminta uang pelicin agar berkas pengadaan diproses lebih dulu."),
        ])
        assert status == 201, receipt
        code = re.search(r"<code[^>]*>(\d{4} \d{4} \d{4} \d{4} \d{4})</code>", receipt).group(1)

        # The Unit Teknis signs in and keeps saving a new file on one line while the backup runs.
        unit = Client(base)
        status, signin = unit.get("/masuk")
        password = demo_password(signin, UNIT)
        status, _ = unit.post("/masuk", [("_csrf", token(signin)), ("email", UNIT), ("password", password)])
        assert status == 303
        status, lines = unit.get("/laporan")
        line = re.search(r'href="(/laporan/baris/\d+)"', lines).group(1)
        acknowledged = []  # (moment acknowledged, SHA-256)
        stop = threading.Event()

        def save_evidence():
            for number in range(400):
                if stop.is_set():
                    return
                status, page = unit.get(line)
                version = re.search(r'name="versi" value="(\d+)"', page).group(1)
                content = b"%PDF-1.4\n% drill " + str(number).encode() + b"\n%%EOF\n"
                status, _ = unit.post_multipart(line, [
                    ("_csrf", token(page)), ("versi", version), ("tindakan", "save"), ("capaian", "1"),
                    ("narasi", f"Simpanan ke-{number}."),
                ], [("bukti[]", f"bukti-{number}.pdf", content)])
                if status == 303:
                    acknowledged.append((time.monotonic(), hashlib.sha256(content).hexdigest()))

        writer = threading.Thread(target=save_evidence)
        writer.start()
        while len(acknowledged) < 3:
            assert writer.is_alive(), "the writer stopped before any save was acknowledged"
            time.sleep(0.1)
        started = time.monotonic()
        made = jaga(source, "backup", backup)
        stop.set()
        writer.join(timeout=120)
        assert made.returncode == 0, made.stderr
        before = [sha for moment, sha in acknowledged if moment < started]
        assert len(before) >= 3

    # The key is kept apart from the backup and given back to the restore.
    key = tmp_path / "secret.key"
    key.write_bytes((pathlib.Path(source) / "secret.key").read_bytes())
    refused = jaga(restored, "restore", backup)
    assert refused.returncode == 1 and "--key FILE" in refused.stderr
    done = jaga(restored, "restore", backup, "--key", str(key))
    assert done.returncode == 0, done.stderr
    assert "The audit log is intact" in done.stdout and "Background work is paused" in done.stdout
    assert jaga(restored, "audit", "verify").returncode == 0
    checked = jaga(restored, "blobs", "verify")
    assert checked.returncode == 0, checked.stderr
    for sha in before:
        assert (pathlib.Path(restored) / "blobs" / sha[:2] / sha).read_bytes().startswith(b"%PDF"), sha
    assert "paused" in jaga(restored, "jobs", "status").stdout

    with running_server({"JAGA_DATA_DIR": restored}) as base:
        citizen = Client(base)
        status, form = citizen.get("/lacak")
        status, tracked = citizen.post("/lacak", [("_csrf", token(form)), ("kode", code)])
        assert status == 200, tracked
        assert "uang pelicin" in tracked
