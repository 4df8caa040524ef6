"""`/metrics` scraped as Prometheus would, and read by Prometheus's own parser (`prometheus_client`): the series an
operator alerts on are there, labelled by route pattern, and nothing a visitor sent (a path, a query, a report's
text) is in any label."""

import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from conftest import METRICS_TOKEN


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def test_metrics_are_parsed_and_carry_nothing_a_visitor_sent(base_url):
    for path in ["/", "/dasbor", "/dasbor", "/aksi/5?periode=2021-2022", "/tidak-ada/pelapor-rahasia?kode=1234"]:
        fetch(base_url + path)
    assert fetch(base_url + "/metrics")[0] == 404
    assert fetch(base_url + "/metrics", {"Authorization": "Bearer salah-salah-salah-salah"})[0] == 404
    status, headers, text = fetch(base_url + "/metrics", {"Authorization": "Bearer " + METRICS_TOKEN})
    assert status == 200
    assert headers.get("Content-Type", "").startswith("text/plain; version=0.0.4")

    families = {family.name: family for family in text_string_to_metric_families(text)}
    for name in ["jaga_http_requests", "jaga_http_request_duration_seconds", "jaga_page_cache", "jaga_jobs_count",
                 "jaga_jobs_oldest_due_age_seconds"]:
        assert name in families, sorted(families)
    requests = families["jaga_http_requests"].samples
    routes = {sample.labels["route"] for sample in requests}
    assert "/dasbor" in routes and any(route.startswith("/aksi/:") for route in routes), routes
    assert "unmatched" in routes
    assert any(s.labels["route"] == "/dasbor" and s.labels["status"] == "200" and s.value >= 2 for s in requests)
    assert families["jaga_http_request_duration_seconds"].type == "histogram"
    assert {s.labels["outcome"] for s in families["jaga_page_cache"].samples} >= {"miss", "hit"}
    assert {s.labels["state"] for s in families["jaga_jobs_count"].samples} >= {"pending", "done", "failed"}
    labels = " ".join(value for family in families.values() for sample in family.samples
                      for value in sample.labels.values())
    assert "pelapor" not in labels and "1234" not in labels and "periode" not in labels
