"""Small layers with the exact published schemas: Marine Regions EEZ v12, CBD EBSA, WDPA."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
from shapely.geometry import MultiPolygon, box

A_WGS84 = 6378137.0
F_WGS84 = 1 / 298.257223563


def ellipsoid_box_area_km2(lon0, lat0, lon1, lat1) -> float:
    """Exact area of a lon/lat box on the WGS84 ellipsoid (authalic-latitude formula)."""
    e2 = F_WGS84 * (2 - F_WGS84)
    e = np.sqrt(e2)
    b2 = (A_WGS84 * (1 - F_WGS84)) ** 2

    def q(phi):
        s = np.sin(np.deg2rad(phi))
        return s / (1 - e2 * s**2) + np.log((1 + e * s) / (1 - e * s)) / (2 * e)

    dlon = np.deg2rad((lon1 - lon0) % 360 or 360)
    return float(b2 / 2 * dlon * (q(lat1) - q(lat0)) / 1e6)


MR_FIELDS = [
    "MRGID",
    "GEONAME",
    "MRGID_TER1",
    "POL_TYPE",
    "MRGID_SOV1",
    "TERRITORY1",
    "ISO_TER1",
    "SOVEREIGN1",
    "MRGID_TER2",
    "MRGID_SOV2",
    "TERRITORY2",
    "ISO_TER2",
    "SOVEREIGN2",
    "MRGID_TER3",
    "MRGID_SOV3",
    "TERRITORY3",
    "ISO_TER3",
    "SOVEREIGN3",
    "X_1",
    "Y_1",
    "MRGID_EEZ",
    "AREA_KM2",
    "ISO_SOV1",
    "ISO_SOV2",
    "ISO_SOV3",
    "UN_SOV1",
    "UN_SOV2",
    "UN_SOV3",
    "UN_TER1",
    "UN_TER2",
    "UN_TER3",
]

#: (GEONAME, POL_TYPE, [(territory, sovereign, iso_ter, iso_sov)...], boxes)
MR_ROWS = [
    (
        "Fijian Exclusive Economic Zone",
        "200NM",
        [("Fiji", "Fiji", "FJI", "FJI")],
        [(176, -20, 180, -14), (-180, -20, -178, -14)],
    ),  # split at the antimeridian, as Marine Regions ships it
    (
        "New Caledonian Exclusive Economic Zone",
        "200NM",
        [("New Caledonia", "France", "NCL", "FRA")],
        [(160, -25, 170, -18)],
    ),
    (
        "French Polynesian Exclusive Economic Zone",
        "200NM",
        [("French Polynesia", "France", "PYF", "FRA")],
        [(-155, -25, -140, -10)],
    ),
    (
        "Joint regime area: Fiji / New Caledonia",
        "Joint regime",
        [("Fiji", "Fiji", "FJI", "FJI"), ("New Caledonia", "France", "NCL", "FRA")],
        [(170, -25, 174, -18)],
    ),
    (
        "Overlapping claim: New Caledonia / Vanuatu",
        "Overlapping claim",
        [("New Caledonia", "France", "NCL", "FRA"), ("Vanuatu", "Vanuatu", "VUT", "VUT")],
        [(165, -18, 170, -15)],
    ),
    (
        "Vanuatu Exclusive Economic Zone",
        "200NM",
        [("Vanuatu", "Vanuatu", "VUT", "VUT")],
        [(165, -15, 171, -12)],
    ),
]


def marineregions_frame(lower: bool = False) -> gpd.GeoDataFrame:
    rows = []
    for k, (geoname, pol, parties, boxes) in enumerate(MR_ROWS):
        row = dict.fromkeys(MR_FIELDS)
        row.update(MRGID=8300 + k, GEONAME=geoname, POL_TYPE=pol, MRGID_EEZ=8300 + k)
        for i, (ter, sov, iso_t, iso_s) in enumerate(parties, start=1):
            row.update(
                {
                    f"TERRITORY{i}": ter,
                    f"SOVEREIGN{i}": sov,
                    f"ISO_TER{i}": iso_t,
                    f"ISO_SOV{i}": iso_s,
                    f"MRGID_TER{i}": 100 + k,
                    f"MRGID_SOV{i}": 200 + k,
                }
            )
        row["AREA_KM2"] = round(sum(ellipsoid_box_area_km2(*b) for b in boxes))
        row["geometry"] = MultiPolygon([box(*b) for b in boxes])
        rows.append(row)
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    if lower:
        gdf = gdf.rename(columns={c: c.lower() for c in MR_FIELDS})
    return gdf


def high_seas_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["High Seas"], "mrgid": [63203]},
        geometry=[box(150, -40, 179.999, -5).difference(box(160, -25, 174, -12))],
        crs="EPSG:4326",
    )


def wdpa_frame(new_schema: bool = False) -> gpd.GeoDataFrame:
    rows = [
        # WDPAID, NAME, MARINE, STATUS, NO_TAKE, box
        (555001, "Coral Sea Reserve", "2", "Designated", "All", (160, -22, 164, -19)),
        (555002, "Lagoon Park", "1", "Inscribed", "Part", (163, -21, 166, -18)),  # overlaps the reserve
        (555003, "Mountain Park", "0", "Designated", "Not Applicable", (161, -23, 162, -22)),  # terrestrial
        (555004, "Proposed Bank", "2", "Proposed", "None", (166, -24, 167, -23)),  # not designated
        (555005, "Reef Refuge", "2", "Established", "None", (168, -24, 169, -23)),
    ]
    recs = []
    for wid, name, marine, status, no_take, b in rows:
        rec = {
            "WDPAID": float(wid),
            "WDPA_PID": str(wid),
            "PA_DEF": "1",
            "NAME": name,
            "ORIG_NAME": name,
            "DESIG": "Reserve",
            "DESIG_ENG": "Marine Reserve",
            "DESIG_TYPE": "National",
            "IUCN_CAT": "II",
            "INT_CRIT": "Not Applicable",
            "MARINE": marine,
            "REP_M_AREA": 1.0,
            "GIS_M_AREA": 1.0,
            "REP_AREA": 1.0,
            "GIS_AREA": 1.0,
            "NO_TAKE": no_take,
            "NO_TK_AREA": 0.0,
            "STATUS": status,
            "STATUS_YR": 2010,
            "GOV_TYPE": "Federal",
            "OWN_TYPE": "State",
            "MANG_AUTH": "x",
            "MANG_PLAN": "x",
            "VERIF": "State Verified",
            "METADATAID": 1,
            "SUB_LOC": "NC-XX",
            "PARENT_ISO": "FRA",
            "ISO3": "NCL",
            "SUPP_INFO": "",
            "CONS_OBJ": "",
            "geometry": box(*b),
        }
        if new_schema:
            rec["SITE_ID"] = rec.pop("WDPAID")
            rec["NAME_ENG"] = rec.pop("NAME")
            rec["PRNT_ISO3"] = rec.pop("PARENT_ISO")
        recs.append(rec)
    return gpd.GeoDataFrame(recs, geometry="geometry", crs="EPSG:4326")


def ebsa_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "NAME": ["New Caledonia Trough", "Lord Howe Rise"],
            "WORKSHOP": ["Western South Pacific", "Western South Pacific"],
            "geometry": [box(162, -24, 166, -20), box(160, -30, 163, -22)],
        },
        geometry="geometry",
        crs="EPSG:4326",
    )
