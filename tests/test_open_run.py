"""marinenet.open_run(OUT): the same RunResult as marinenet.run() returned, read from the saved files."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import marinenet
from marinenet.errors import InputDataError

from .bad_input import box, currents, feature, geojson

#: zone ids a CSV reader would turn into something else: "NA" (Namibia) into NaN, "007" into 7
IDS = ("NA", "007")


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """A larva run with settlement (settlement and end-of-run tables), EBSA and MPA layers."""
    d = tmp_path_factory.mktemp("open_run")
    currents(d / "cur.nc", u=0.2)
    geojson(d / "eez.geojson", [feature(IDS[0], box(1, 1, 4, 4)), feature(IDS[1], box(4, 1, 8, 4))])
    geojson(d / "mpa.geojson", [feature("0451", box(5, 1, 6, 3))])  # a number-like id on its own
    geojson(d / "ebsa.geojson", [feature("rise", box(2, 2, 3, 3))])
    sc = marinenet.scenario_from_dict(
        {
            "name": "reef & <lagoon>",
            "seed": 3,
            "ocean": {"source": str(d / "cur.nc")},
            "zones": {
                n: {"path": str(d / f"{n}.geojson"), "id": "name", "role": n} for n in ("eez", "mpa", "ebsa")
            },
            "release": {"from": {"layer": "eez"}, "particles": 300, "start": "2021-03-01T00:00"},
            "behaviour": {
                "kind": "larva",
                "pld": "3 days",
                "competency": ["1 day", "3 days"],
                "mortality": "0.1 per day",
                "settle_in": {"layer": "eez"},
            },
            "simulation": {"duration": "3 days", "dt": "1 hour", "output_every": "1 day", "engine": "fast"},
        }
    )
    return marinenet.run(sc, out=d / "out", maps=False)


def _same_tables(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for key in a:  # the CSVs hold 6 significant digits
        pd.testing.assert_frame_equal(a[key], b[key], check_dtype=False, rtol=1e-5, obj=key)


def test_open_run_equals_the_result_of_run(fresh):
    again = marinenet.open_run(fresh.out_dir)
    assert type(again) is type(fresh) is marinenet.RunResult
    assert again.summary.to_json() == json.loads(json.dumps(fresh.summary.to_json(), default=str))
    assert {"eez", "eez.settlement"} <= set(again.connectivity) and "eez.end" in again.indices
    for name in ("connectivity", "indices", "arrivals", "exposure"):
        _same_tables(getattr(fresh, name), getattr(again, name))
    pd.testing.assert_frame_equal(fresh.protection, again.protection, check_dtype=False, rtol=1e-5)
    assert fresh.matrices.keys() == again.matrices.keys()
    for name, m in fresh.matrices.items():
        other = again.matrices[name]
        assert list(other["source"].values) == [str(s) for s in m["source"].values]
        assert list(other["destination"].values) == [str(s) for s in m["destination"].values]
        np.testing.assert_allclose(other.values, m.values, rtol=1e-6)
    # the labels are the zone ids as written, not NaN or 7
    assert set(IDS) <= set(again.connectivity["eez"]["source"]) and set(IDS) <= set(
        again.indices["eez"]["zone"]
    )
    assert fresh.tracks is not None and again.tracks is None  # the engine's arrays exist only in the run


def test_trajectories_and_zones_open_on_use(fresh):
    again = marinenet.open_run(fresh.out_dir)
    assert again._trajectories is None and again._zones is None  # nothing read yet
    ds = again.trajectories
    assert ds.sizes["trajectory"] == 300 and "lon" in ds
    np.testing.assert_allclose(ds["end_lon"].values, fresh.tracks.end_lon, rtol=1e-6)
    assert fresh.trajectories.sizes == ds.sizes  # the same from run()
    assert set(again.zones) == {"eez", "mpa", "ebsa"}
    assert set(again.zones["eez"]["id"]) == set(IDS)
    assert again.zones["eez"].crs.to_epsg() == 4326


def test_repr_is_short_and_the_notebook_view_is_escaped_html(fresh):
    text = repr(fresh)
    assert len(text.splitlines()) < 15
    assert "reef & <lagoon>" in text and str(fresh.out_dir) in text and "300 released" in text
    page = fresh._repr_html_()
    assert "reef &amp; &lt;lagoon&gt;" in page and "<lagoon>" not in page
    assert page.count("<table") >= 2  # the summary and the first rows of the indices


def test_open_run_of_a_folder_that_is_not_a_run_is_refused(tmp_path):
    with pytest.raises(InputDataError, match="summary.json is missing"):
        marinenet.open_run(tmp_path)
