"""Reports of real data: credits from the files' metadata, the real coastline, the model domain shaded.

Uses a MET Norway ROMS file from ../shared/data (skipped when absent): its polar-stereographic
grid covers only part of its lon/lat box, so Scotland lies outside the model domain and must be
drawn as land (Natural Earth), the rest outside the domain grey, never as sea.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
import yaml
from matplotlib.colors import to_rgb
from typer.testing import CliRunner

from marinenet.cli import app
from marinenet.ocean.credits import forcing_credit
from marinenet.report.basemap import COAST_LAND_COLOUR, OUTSIDE_COLOUR, world_land
from marinenet.scenario import ZoneLayerConfig
from marinenet.zones.credits import layer_credit

from .conftest import SHARED_DATA

OCEAN = SHARED_DATA / "ocean"
SURFACE = OCEAN / "roms_arctic20_2017-02_surface.nc"
PDFTOTEXT = shutil.which("pdftotext")
SEA = "#eef5fb"  # the maps' sea background


def test_forcing_credit_from_netcdf_global_attributes():
    path = OCEAN / "roms_arctic20_2016-02_3d.nc"
    if not path.exists():
        pytest.skip("../shared/data is not present")
    credit = forcing_credit(xr.open_dataset(path).attrs, str(path))
    assert credit.startswith("Ocean currents (file roms_arctic20_2016-02_3d.nc): ROMS model results; ")
    for part in (
        "Norwegian Meteorological Institute",
        "source: met.no ROMS model fields",
        "references: http://www.myroms.org",
        "the file states no licence",
    ):
        assert part in credit
    assert str(OCEAN) not in credit  # the file's name, never a local folder


def test_forcing_credit_copernicus_style():
    attrs = {
        "title": "Global ocean physics analysis and forecast",
        "institution": "Mercator Ocean International",
        "product_id": "GLOBAL_ANALYSISFORECAST_PHY_001_024",
        "credit": "E.U. Copernicus Marine Service Information (CMEMS)",
        "doi": "10.48670/moi-00016",
        "licence": "http://marine.copernicus.eu/services-portfolio/service-commitments-and-licence/",
    }
    credit = forcing_credit(attrs, "/data/cmems/uo_vo_2021.nc")
    assert credit == (
        "Ocean currents (file uo_vo_2021.nc): Global ocean physics analysis and forecast; "
        "Mercator Ocean International; product GLOBAL_ANALYSISFORECAST_PHY_001_024; "
        "E.U. Copernicus Marine Service Information (CMEMS); doi: 10.48670/moi-00016; "
        "licence: http://marine.copernicus.eu/services-portfolio/service-commitments-and-licence/."
    )


@pytest.mark.parametrize(
    ("cfg", "must"),
    [
        ({"path": "/x/World_EEZ_v12.gpkg", "format": "marineregions"}, ["CC BY 4.0", "World_EEZ_v12.gpkg"]),
        ({"path": "WDPA_Jan2026_marine.gpkg", "format": "wdpa"}, ["UNEP-WCMC and IUCN", "protectedplanet"]),
        ({"path": "ebsa.shp", "format": "ebsa"}, ["Convention on Biological Diversity", "cbd.int"]),
        (
            {"path": "reefs.geojson", "id": "n", "citation": "Reef atlas 2020.", "licence": "CC BY 4.0"},
            ["Reef atlas 2020. Licence: CC BY 4.0."],
        ),
        ({"path": "reefs.geojson", "id": "n"}, ["no citation or licence given"]),
    ],
)
def test_zone_layer_credits(tmp_path, cfg, must):
    (tmp_path / Path(cfg["path"]).name).write_text("{}")
    text = layer_credit("layer", ZoneLayerConfig(**cfg), "")
    assert text.startswith(f"Zone layer 'layer' ({Path(cfg['path']).name}): ")
    for part in must:
        assert part in text


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    if not SURFACE.exists():
        pytest.skip("../shared/data is not present")
    d = tmp_path_factory.mktemp("real")
    boxes = {"North Sea A": (1, 56, 6, 59), "Norwegian B": (2, 61, 8, 64)}
    features = [
        {
            "type": "Feature",
            "properties": {"name": k},
            "geometry": {"type": "Polygon", "coordinates": [[[a, b], [c, b], [c, e], [a, e], [a, b]]]},
        }
        for k, (a, b, c, e) in boxes.items()
    ]
    (d / "z.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    sc = {
        "name": "real-roms",
        "seed": 2,
        "ocean": {"source": str(SURFACE)},
        "zones": {
            "eez": {
                "path": "z.geojson",
                "id": "name",
                "outside": "ABNJ",
                "citation": "Test boxes.",
                "licence": "CC0",
            }
        },
        "release": {"from": {"layer": "eez"}, "particles": 20, "start": "2017-02-01T00:00"},
        "simulation": {"duration": "1 day", "dt": "1 hour", "output_every": "6 hours", "engine": "fast"},
        "output": "out",
    }
    (d / "s.yaml").write_text(yaml.safe_dump(sc))
    res = CliRunner().invoke(app, ["run", str(d / "s.yaml"), "--quiet"])
    assert res.exit_code == 0, res.output
    return d / "out"


def test_credits_in_summary_report_and_brief(real_run):
    cites = json.loads((real_run / "summary.json").read_text())["citations"]
    forcing = "Ocean currents (file roms_arctic20_2017-02_surface.nc): ROMS 3.5 - Arctic-20km; "
    assert cites[0].startswith(forcing) and "states no licence" in cites[0]
    assert "Zone layer 'eez' (z.geojson): Test boxes. Licence: CC0." in cites
    html = (real_run / "report.html").read_text()
    section = html[html.index("<h2>Data sources</h2>") :]
    assert forcing in section and "Test boxes. Licence: CC0." in section
    assert "Natural Earth 1:50m land (public domain)" in section
    if PDFTOTEXT:
        pdf = subprocess.run([PDFTOTEXT, str(real_run / "brief.pdf"), "-"], capture_output=True, text=True)
        words = re.sub(r"\s+", " ", pdf.stdout)
        assert "Data sources" in words and "ROMS 3.5 - Arctic-20km" in words and "Natural Earth" in words


def _colour_at(fig, ax, lon: float, lat: float) -> tuple[int, int, int]:
    """The most common colour of a 7×7 pixel block around (lon, lat) on the drawn figure."""
    import cartopy.crs as ccrs
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    x, y = ax.projection.transform_point(lon, lat, ccrs.PlateCarree())
    px, py = ax.transData.transform((x, y))
    img = np.asarray(canvas.buffer_rgba())[..., :3]
    row, col = int(round(img.shape[0] - py)), int(round(px))
    block = img[row - 3 : row + 4, col - 3 : col + 4].reshape(-1, 3)
    return Counter(map(tuple, block)).most_common(1)[0][0]


def _close(rgb, colour: str) -> bool:
    return np.allclose(np.array(rgb) / 255.0, to_rgb(colour), atol=0.03)


def test_real_map_draws_coastline_and_shades_outside_the_domain(real_run):
    from marinenet.report.maps import _base_axes

    snap = xr.open_dataset(real_run / "ocean_snapshot.nc")
    land = snap["land"].assign_coords(outside=snap["outside"].astype(bool))
    out = snap["outside"].sel(lon=-5.0, lat=64.0, method="nearest")
    assert bool(out)  # the NW corner of the lon/lat box is outside the model's grid
    import shapely

    assert world_land().contains(shapely.Point(-4.0, 57.3))  # the Scottish Highlands are land
    assert bool(snap["outside"].sel(lon=-4.0, lat=57.3, method="nearest"))  # ... outside the model domain
    fig, ax = _base_axes(land, "real", synthetic=False)
    assert _close(_colour_at(fig, ax, -5.0, 64.0), OUTSIDE_COLOUR)  # grey, not sea
    assert _close(_colour_at(fig, ax, -4.0, 57.3), COAST_LAND_COLOUR)  # Scotland is drawn
    assert _close(_colour_at(fig, ax, 2.0, 60.5), SEA)  # sea inside the domain stays sea
    # the demo keeps its own synthetic land: no Natural Earth coastline on a synthetic map
    fig, ax = _base_axes(land, "synthetic", synthetic=True)
    assert _close(_colour_at(fig, ax, -4.0, 57.3), OUTSIDE_COLOUR)


def test_land_file_is_small_and_shipped():
    from importlib.resources import files

    data = files("marinenet.report").joinpath("data/ne_50m_land.wkb.gz")
    assert data.is_file() and len(data.read_bytes()) < 2_000_000
    assert 1000 < len(world_land().geoms) < 2000  # Natural Earth 1:50m land: 1,420 features


def test_zone_layer_credit_from_the_files_own_metadata(tmp_path):
    import geopandas as gpd
    from shapely.geometry import box

    frame = gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(0, 0, 1, 1)], crs="EPSG:4326")
    frame.to_file(
        tmp_path / "m.gpkg", driver="GPKG", metadata={"Licence": "CC BY 4.0", "citation": "Me (2020)."}
    )
    gpkg = layer_credit("mine", ZoneLayerConfig(path=str(tmp_path / "m.gpkg"), id="name"))
    assert gpkg == "Zone layer 'mine' (m.gpkg): Me (2020). Licence: CC BY 4.0."
    doc = json.loads(frame.to_json())
    doc.update(license="ODbL 1.0", attribution="Reef Survey 2019")
    (tmp_path / "r.geojson").write_text(json.dumps(doc))
    geojson = layer_credit("reefs", ZoneLayerConfig(path=str(tmp_path / "r.geojson"), id="name"))
    assert geojson == "Zone layer 'reefs' (r.geojson): Reef Survey 2019. Licence: ODbL 1.0."
    # the scenario's keys win over the file's
    given = ZoneLayerConfig(path=str(tmp_path / "r.geojson"), id="name", licence="CC0")
    assert layer_credit("reefs", given).endswith("Licence: CC0.")


def test_credits_in_french_keep_the_providers_words():
    from marinenet.ocean.credits import forcing_credit_parts
    from marinenet.report import i18n
    from marinenet.report.credits import credit_text

    attrs = {
        "title": "Global ocean physics analysis and forecast",
        "institution": "Mercator Ocean International",
        "product_id": "GLOBAL_ANALYSISFORECAST_PHY_001_024",
        "doi": "10.48670/moi-00016",
    }
    nb = "\u00a0"  # French: a no-break space before a colon
    text = credit_text(forcing_credit_parts(attrs, "/data/cmems/uo_vo_2021.nc"), i18n.get("fr"))
    assert text == (
        f"Courants océaniques (fichier uo_vo_2021.nc){nb}: Global ocean physics analysis and forecast ; "
        f"Mercator Ocean International ; produit GLOBAL_ANALYSISFORECAST_PHY_001_024 ; DOI{nb}: "
        f"10.48670/moi-00016 ; le fichier n'indique aucune licence{nb}: vérifier les conditions "
        "d'utilisation du fournisseur."
    ).replace(" ; ", "\u202f; ")  # and a narrow no-break space before a semicolon


def test_spanish_brief_lists_the_data_sources_in_spanish(real_run, tmp_path):
    out = tmp_path / "es"
    shutil.copytree(real_run, out)
    res = CliRunner().invoke(app, ["report", str(out), "--language", "es"])
    assert res.exit_code == 0, res.output
    html = (out / "report.html").read_text(encoding="utf-8")
    section = html[html.index("<h2>Fuentes de datos</h2>") :]
    forcing = "Corrientes oceánicas (archivo roms_arctic20_2017-02_surface.nc): ROMS 3.5 - Arctic-20km; "
    assert forcing in section and "el archivo no indica ninguna licencia" in section
    assert "Capa de zonas «eez» (z.geojson): Test boxes. Licencia: CC0." in section  # citation as written
    assert "Línea de costa: Natural Earth" in section
    assert "Ocean currents" not in section and "Zone layer" not in section
    if PDFTOTEXT:
        pdf = subprocess.run([PDFTOTEXT, str(out / "brief.pdf"), "-"], capture_output=True, text=True)
        words = re.sub(r"\s+", " ", pdf.stdout)
        assert "Fuentes de datos" in words and "Corrientes oceánicas" in words and "Test boxes." in words
        pages = [re.sub(r"\s+", " ", p) for p in pdf.stdout.split("\f")]
        heading = next(p for p in pages if "Fuentes de datos" in p)
        assert "Corrientes oceánicas" in heading  # a heading is never left alone at the foot of a page
