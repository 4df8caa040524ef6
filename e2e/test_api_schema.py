"""The open data API against its own OpenAPI document, with Schemathesis: generated requests (valid and invalid) to
every operation of a real `jaga serve` with the demo data; no answer may be a server error, and every answer must
match the document (status, content type, headers and body)."""

import pathlib
import subprocess
import sys

SCHEMATHESIS = pathlib.Path(sys.executable).parent / "schemathesis"


def test_api_conforms_to_its_document(own_base_url, tmp_path):
    result = subprocess.run(
        [
            str(SCHEMATHESIS), "run", own_base_url + "/api/v1/openapi.yaml",
            "--checks", "all",
            # Nothing here creates or deletes resources, and nothing needs a key: these checks have nothing to test.
            "--exclude-checks", "use_after_free,ensure_resource_availability,ignored_auth",
            "--max-examples", "40", "--workers", "2", "--seed", "20261130",
            "--report-dir", str(tmp_path), "--no-color",
        ],
        capture_output=True, text=True, timeout=900,
    )
    print(result.stdout[-6000:])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
