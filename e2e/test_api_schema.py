"""The API against its own OpenAPI document, with Schemathesis: generated requests (valid and invalid) to every
operation of a real `jaga serve` with the demo data, the reporting API with a key the demo Admin Instansi makes on
/token-api; no answer may be a server error, and every answer must match the document (status, content type,
headers and body)."""

import pathlib
import subprocess
import sys

from test_accounts_journey import demo_password, sign_in

SCHEMATHESIS = pathlib.Path(sys.executable).parent / "schemathesis"
CONFIG = pathlib.Path(__file__).parent / "schemathesis.toml"
ADMIN = "admin.instansi@demo.jaga-stranas.example"


def make_key(page, base_url):
    sign_in(page, base_url, ADMIN, demo_password(page, base_url, ADMIN))
    page.wait_for_url(base_url + "/beranda")
    page.goto(base_url + "/token-api")
    page.fill("#nama", "Schemathesis")
    page.get_by_role("button", name="Buat kunci").click()
    return page.locator("#kunci-baru").inner_text().strip()


def test_api_conforms_to_its_document(page, own_base_url, tmp_path):
    key = make_key(page, own_base_url)
    assert key.startswith("jst_")
    result = subprocess.run(
        [
            str(SCHEMATHESIS), "--config-file", str(CONFIG), "run", own_base_url + "/api/v1/openapi.yaml",
            "--header", f"Authorization: Bearer {key}",
            # One worker: Hypothesis's source inspection is not safe across threads on this Python.
            "--max-examples", "40", "--workers", "1", "--seed", "20261130",
            "--report-dir", str(tmp_path), "--no-color",
        ],
        capture_output=True, text=True, timeout=900,
    )
    (pathlib.Path(tmp_path) / "schemathesis.log").write_text(result.stdout)
    print(result.stdout[-6000:])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
