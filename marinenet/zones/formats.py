"""Readers for the published layer schemas: Marine Regions EEZ v12 and High Seas, CBD EBSAs, WDPA.

Each reader takes the GeoDataFrame as read from the file (any of GeoPackage, Shapefile,
GeoJSON; field names in upper or lower case) and returns frames with an ``id`` column
ready for :func:`marinenet.zones.layer_from_frame`.
"""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import InputDataError

__all__ = [
    "marineregions_levels",
    "high_seas_frame",
    "ebsa_frame",
    "wdpa_frame",
    "SHARED_POL_TYPES",
    "MARINEREGIONS_CITATION",
    "HIGHSEAS_CITATION",
]

log = logging.getLogger(__name__)

SHARED_POL_TYPES = ("Joint regime", "Overlapping claim")
MARINEREGIONS_CITATION = (
    "Flanders Marine Institute (2023). Maritime Boundaries Geodatabase: Maritime Boundaries and Exclusive "
    "Economic Zones (200NM), version 12. Available online at https://www.marineregions.org/. "
    "https://doi.org/10.14284/632"
)
HIGHSEAS_CITATION = (
    "Flanders Marine Institute. Maritime Boundaries Geodatabase: High Seas, version 2. Available online at "
    "https://www.marineregions.org/. https://doi.org/10.14284/696"
)
_WDPA_STATUS = ("designated", "inscribed", "established")


def _columns(frame: gpd.GeoDataFrame) -> dict[str, str]:
    """Lower-case field name → actual field name."""
    return {str(c).lower(): str(c) for c in frame.columns if c != frame.geometry.name}


def _need(frame: gpd.GeoDataFrame, layer: str, fmt: str, *alternatives: tuple[str, ...]) -> list[str]:
    cols = _columns(frame)
    found = []
    for alts in alternatives:
        hit = next((cols[a] for a in alts if a in cols), None)
        if hit is None:
            raise InputDataError(
                f"zone layer {layer!r} (format {fmt}): no field {' / '.join(a.upper() for a in alts)}; "
                f"fields present: {', '.join(cols.values())}"
            )
        found.append(hit)
    return found


def _text(series: pd.Series) -> pd.Series:
    return series.fillna("").astype(str).str.strip()


def _parties(frame: gpd.GeoDataFrame, stem: str) -> list[list[str]]:
    """Non-empty values of STEM1..3 per row (e.g. territory1..3)."""
    cols = _columns(frame)
    names = [cols[f"{stem}{k}"] for k in (1, 2, 3) if f"{stem}{k}" in cols]
    values = [_text(frame[n]) for n in names]
    return [
        [v.iloc[i] for v in values if v.iloc[i] and v.iloc[i].lower() not in ("none", "nan")]
        for i in range(len(frame))
    ]


def marineregions_levels(
    frame: gpd.GeoDataFrame, layer: str, levels: list[str], shared: str = "own"
) -> dict[str, tuple[gpd.GeoDataFrame, str]]:
    """Frames of a Marine Regions World EEZ v12 layer at each aggregation level.

    Parameters
    ----------
    levels
        Any of ``eez`` (one zone per EEZ polygon, id ``GEONAME``), ``territory``
        (``TERRITORY1``), ``sovereign`` (``SOVEREIGN1``).
    shared
        ``own``: joint regimes and overlapping claims stay zones of their own (id
        ``GEONAME``) at every level. ``split``: at territory/sovereign level they belong to
        each party (TERRITORY1..3 / SOVEREIGN1..3), and a particle there is shared
        equally among the parties.

    Returns
    -------
    dict
        level → (frame with ``id`` and attributes, overlaps mode).
    """
    geoname, pol_type = _need(frame, layer, "marineregions", ("geoname",), ("pol_type",))
    _need(frame, layer, "marineregions", ("territory1",), ("sovereign1",))
    cols = _columns(frame)
    base = gpd.GeoDataFrame(
        {
            "geoname": _text(frame[geoname]),
            "pol_type": _text(frame[pol_type]),
            "mrgid": frame[cols["mrgid"]] if "mrgid" in cols else np.arange(len(frame)),
            "area_km2_published": pd.to_numeric(frame[cols["area_km2"]], errors="coerce")
            if "area_km2" in cols
            else np.nan,
        },
        geometry=frame.geometry.values,
        crs=frame.crs,
    )
    is_shared = base["pol_type"].isin(SHARED_POL_TYPES).to_numpy()
    unknown = sorted(set(base["pol_type"]) - {"200NM", *SHARED_POL_TYPES})
    if unknown:
        log.info("zone layer %r: POL_TYPE values %s kept as zones of their own", layer, unknown)
    out: dict[str, tuple[gpd.GeoDataFrame, str]] = {}
    for level in levels:
        if level == "eez":
            f = base.copy()
            f["id"] = f["geoname"]
            f["kind"] = np.where(is_shared, "shared", "eez")
            out[level] = (f, "first")
            continue
        stem = {"territory": "territory", "sovereign": "sovereign"}[level]
        parties = _parties(frame, stem)
        rows = []
        for i, plist in enumerate(parties):
            geom = base.geometry.values[i]
            if is_shared[i] and shared == "own":
                rows.append(
                    {
                        "id": base["geoname"].iloc[i],
                        "kind": "shared",
                        "parties": "; ".join(plist),
                        "geometry": geom,
                    }
                )
            elif is_shared[i]:
                rows.extend(
                    {"id": p, "kind": level, "parties": "; ".join(plist), "geometry": geom} for p in plist
                )
            else:
                rows.append(
                    {
                        "id": plist[0] if plist else base["geoname"].iloc[i],
                        "kind": level,
                        "parties": "",
                        "geometry": geom,
                    }
                )
        f = gpd.GeoDataFrame(rows, geometry="geometry", crs=frame.crs)
        f = f.dissolve(by="id", as_index=False, sort=False, aggfunc="first")
        out[level] = (f, "split" if shared == "split" else "first")
    return out


def high_seas_frame(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The Marine Regions high-seas layer as one zone ``ABNJ``."""
    geom = shapely.union_all(frame.geometry.values)
    return gpd.GeoDataFrame({"id": ["ABNJ"], "kind": ["high_seas"]}, geometry=[geom], crs=frame.crs)


def ebsa_frame(frame: gpd.GeoDataFrame, layer: str) -> gpd.GeoDataFrame:
    """CBD EBSA polygons: id = area name; keeps the workshop (regional) name."""
    (name,) = _need(frame, layer, "ebsa", ("name", "ebsa_name", "area_name", "title"))
    cols = _columns(frame)
    workshop = next((cols[c] for c in ("workshop", "workshop_region", "region") if c in cols), None)
    return gpd.GeoDataFrame(
        {
            "id": _text(frame[name]),
            "kind": "ebsa",
            "workshop": _text(frame[workshop]) if workshop else "",
        },
        geometry=frame.geometry.values,
        crs=frame.crs,
    )


def wdpa_frame(frame: gpd.GeoDataFrame, layer: str) -> gpd.GeoDataFrame:
    """WDPA protected areas, filtered to marine (MARINE 1 or 2) and designated/inscribed/established.

    Accepts the classic fields (``WDPAID``, ``NAME``, ``ISO3``) and the newer ones
    (``SITE_ID``, ``NAME_ENG``, ``PRNT_ISO3``). ``no_take`` is ``all``/``part``/``none``
    from ``NO_TAKE``. Zone ids are ``"NAME (WDPAID)"`` because names repeat.
    """
    wid, name, marine, status = _need(
        frame, layer, "wdpa", ("wdpaid", "site_id"), ("name", "name_eng"), ("marine",), ("status",)
    )
    cols = _columns(frame)
    mar = pd.to_numeric(frame[marine], errors="coerce")
    st = _text(frame[status]).str.lower()
    keep = mar.isin([1, 2]).to_numpy() & st.isin(_WDPA_STATUS).to_numpy()
    if not keep.any():
        raise InputDataError(
            f"zone layer {layer!r} (format wdpa): none of its {len(frame)} areas is marine (MARINE 1 or 2) "
            f"with STATUS Designated/Inscribed/Established; found MARINE {sorted(set(mar.dropna()))}, "
            f"STATUS {sorted(set(_text(frame[status])))}"
        )
    log.info(
        "zone layer %r: kept %d of %d WDPA areas (marine, designated/inscribed/established)",
        layer,
        int(keep.sum()),
        len(frame),
    )
    f = frame[keep]
    no_take_col = cols.get("no_take")
    no_take = _text(f[no_take_col]).str.lower() if no_take_col else pd.Series("not reported", index=f.index)
    iso = next((cols[c] for c in ("iso3", "prnt_iso3") if c in cols), None)
    return gpd.GeoDataFrame(
        {
            "id": (
                _text(f[name]) + " (" + _text(f[wid]).str.replace(r"\.0$", "", regex=True) + ")"
            ).to_numpy(),
            "kind": "mpa",
            "wdpaid": f[wid].to_numpy(),
            "desig_eng": _text(f[cols["desig_eng"]]).to_numpy() if "desig_eng" in cols else "",
            "iucn_cat": _text(f[cols["iucn_cat"]]).to_numpy() if "iucn_cat" in cols else "",
            "iso3": _text(f[iso]).to_numpy() if iso else "",
            "status": _text(f[status]).to_numpy(),
            "no_take": np.where(no_take == "all", "all", np.where(no_take == "part", "part", "none")),
        },
        geometry=f.geometry.values,
        crs=frame.crs,
    )
