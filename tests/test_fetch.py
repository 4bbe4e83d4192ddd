"""`marinenet fetch eez` against a local HTTP server standing in for the Marine Regions WFS."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from typer.testing import CliRunner

from marinenet.cli import app
from marinenet.scenario import ZoneLayerConfig
from marinenet.zones import load_layers

from .zone_fixtures import high_seas_frame, marineregions_frame


@pytest.fixture
def wfs(tmp_path):
    bodies = {
        "MarineRegions:eez": marineregions_frame(lower=True).to_json().encode(),
        "MarineRegions:high_seas": high_seas_frame().to_json().encode(),
    }
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            q = parse_qs(urlparse(self.path).query)
            requests.append(q)
            body = bodies.get(q.get("typeName", [""])[0], b"<ExceptionReport>unknown layer</ExceptionReport>")
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/geoserver/MarineRegions/wfs", requests
    server.shutdown()


def test_fetch_eez_and_high_seas_into_the_cache(tmp_path, wfs):
    url, requests = wfs
    res = CliRunner().invoke(app, ["fetch", "eez", "--high-seas", "--dest", str(tmp_path), "--url", url])
    assert res.exit_code == 0, res.output
    assert "CC BY 4.0" in res.output and "10.14284/632" in res.output and "10.14284/696" in res.output
    assert [r["typeName"][0] for r in requests] == ["MarineRegions:eez", "MarineRegions:high_seas"]
    eez_file = tmp_path / "marineregions_eez_v12.geojson"
    layers = load_layers(
        "eez",
        ZoneLayerConfig(
            path=str(eez_file),
            format="marineregions",
            high_seas=str(tmp_path / "marineregions_high_seas.geojson"),
        ),
    )
    assert "Fiji" in layers["eez_sovereign"].ids and layers["eez"].ids[-1] == "ABNJ"
    # cached: a second call does not download again
    res = CliRunner().invoke(app, ["fetch", "eez", "--dest", str(tmp_path), "--url", url])
    assert res.exit_code == 0 and len(requests) == 2


def test_fetch_error_page_is_reported_and_nothing_is_cached(tmp_path, wfs, monkeypatch):
    url, _ = wfs
    from marinenet.zones import fetch

    monkeypatch.setitem(fetch.PRODUCTS, "eez", fetch.Product("MarineRegions:nope", "x.geojson", "c", ()))
    res = CliRunner().invoke(app, ["fetch", "eez", "--dest", str(tmp_path), "--url", url])
    assert res.exit_code == 2 and "error page" in res.output
    assert list(tmp_path.iterdir()) == []


def test_fetch_unreachable_service_exits_2(tmp_path):
    res = CliRunner().invoke(
        app, ["fetch", "eez", "--dest", str(tmp_path), "--url", "http://127.0.0.1:9/wfs"]
    )
    assert res.exit_code == 2 and "could not download eez" in res.output
