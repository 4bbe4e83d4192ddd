"""Trajectories as GeoParquet (Parquet with a WKB point column): one row per stored position.

Parquet is Parcels 4's own trajectory format; GeoParquet 1.0 metadata lets GeoPandas, QGIS,
DuckDB and GDAL read the points directly. Needs pyarrow (installed with Parcels).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import xarray as xr

from .errors import ScenarioError

__all__ = ["write_parquet"]

#: stored tracks converted at a time (bounds memory)
_BLOCK = 20000


def write_parquet(path: Path, trajectories_nc: Path) -> None:
    """Write ``path`` from ``trajectories.nc``: columns trajectory, time, lon, lat (, depth),
    release_source, status and ``geometry`` (WKB points, OGC:CRS84). Missing positions are left out."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - pyarrow comes with parcels
        raise ScenarioError("outputs.parquet needs pyarrow: pip install pyarrow") from exc
    import shapely

    geo = {
        "version": "1.0.0",
        "primary_column": "geometry",
        "columns": {"geometry": {"encoding": "WKB", "geometry_types": ["Point"]}},
    }
    with xr.open_dataset(trajectories_nc) as ds:
        meanings = ds["status"].attrs["flag_meanings"].split()
        names = dict(zip(np.asarray(ds["status"].attrs["flag_values"]).tolist(), meanings, strict=True))
        writer = None
        try:
            for a in range(0, max(ds.sizes["trajectory"], 1), _BLOCK):
                block = ds.isel(trajectory=slice(a, a + _BLOCK)).load()
                lon = block["lon"].values
                ok = np.isfinite(lon)
                it, io = np.nonzero(ok)
                cols = {
                    "trajectory": block["trajectory"].values[it],
                    "time": block["time"].values[io],
                    "lon": lon[ok],
                    "lat": block["lat"].values[ok],
                }
                if "depth" in block:
                    cols["depth"] = block["depth"].values[ok]
                cols["release_source"] = block["release_source"].values.astype(str)[it]
                cols["status"] = np.array([names[int(s)] for s in block["status"].values], dtype=object)[it]
                cols["geometry"] = shapely.to_wkb(shapely.points(cols["lon"], cols["lat"]))
                table = pa.table(cols)
                if writer is None:
                    schema = table.schema.with_metadata({b"geo": json.dumps(geo).encode()})
                    writer = pq.ParquetWriter(path, schema, compression="zstd")
                writer.write_table(table.replace_schema_metadata(writer.schema.metadata))
        finally:
            if writer is not None:
                writer.close()
