"""Figures of a run: trajectories, currents, connectivity matrices.

Only plain inputs (arrays, Datasets, GeoDataFrames) come in; nothing is downloaded: land is
the ocean data's own land mask, and for real data also the Natural Earth coastline shipped with
the package (:mod:`.basemap`); areas outside the model domain are shaded grey and hatched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cartopy.crs as ccrs
import geopandas as gpd
import matplotlib
import numpy as np
import xarray as xr
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from .basemap import draw_coastline, draw_outside_domain
from .i18n import current as _lang
from .png import DPI, save_png

__all__ = [
    "plot_trajectories",
    "plot_currents",
    "plot_matrix",
    "plot_density",
    "draw_overlays",
    "EmptyFigure",
    "projection_for",
]

_PC = ccrs.PlateCarree()
_LAND_COLOUR = "#d9cfb8"
_MODEL_LAND_COLOUR = "#ebe5d6"  # the model's own land cells, under the real coastline (real data)
_STATUS_STYLE = {
    "active": dict(marker="o", color="k", s=6),
    "stranded": dict(marker="x", color="#b30000", s=18),
    "out_of_domain": dict(marker="^", color="#7a00b3", s=18),
    "settled": dict(marker="o", color="#1a9850", s=12),
    "dead": dict(marker=".", color="#7f7f7f", s=10),
    "unsettled": dict(marker="s", color="#fdae61", s=10),
    "arrived": dict(marker="*", color="#1a9850", s=22),
}


def _extent(land: xr.DataArray) -> list[float]:
    return [float(land.lon.min()), float(land.lon.max()), float(land.lat.min()), float(land.lat.max())]


def projection_for(extent: list[float]) -> ccrs.Projection:
    """A projection that suits the region: centred on it (so dateline regions are whole), equal-area near the poles."""
    lon0, lon1, lat0, lat1 = extent
    centre = 0.5 * (lon0 + lon1)
    centre = ((centre + 180.0) % 360.0) - 180.0
    mid = 0.5 * (lat0 + lat1)
    if abs(mid) > 55:
        return ccrs.LambertAzimuthalEqualArea(central_longitude=centre, central_latitude=mid)
    return ccrs.PlateCarree(central_longitude=centre)


def _base_axes(land: xr.DataArray, title: str, synthetic: bool, figsize=(9.0, 8.0)):
    fig = Figure(figsize=figsize)  # no pyplot: no global state, works headless
    ax = fig.add_subplot(1, 1, 1, projection=projection_for(_extent(land)))
    ax.set_extent(_extent(land), crs=_PC)
    ax.set_facecolor("#eef5fb")
    ax.pcolormesh(
        land.lon,
        land.lat,
        np.where(land.values, 1.0, np.nan),
        cmap=ListedColormap([_LAND_COLOUR if synthetic else _MODEL_LAND_COLOUR]),
        transform=_PC,
        shading="nearest",
        zorder=1,
    )
    outside = draw_outside_domain(ax, land, _PC)  # grey, hatched: not sea, just not in the model
    if not synthetic:  # the demo's land is its own; real data get the real coastline (shipped, offline)
        draw_coastline(ax, _extent(land), _PC)
        key = _lang().t("map.basemap_outside" if outside else "map.basemap")
        ax.text(0.0, -0.1, key, transform=ax.transAxes, ha="left", fontsize=7, color="#44586a")
    gl = ax.gridlines(draw_labels=True, linewidth=0.3, color="grey", alpha=0.6)
    gl.top_labels = gl.right_labels = False
    gl.xformatter, gl.yformatter = _degree_format("lon"), _degree_format("lat")
    ax.set_title(title, fontsize=11)
    _scale_bar(ax, _extent(land))
    if synthetic:
        ax.text(
            0.01,
            0.01,
            _lang().t("map.synthetic"),
            transform=ax.transAxes,
            fontsize=9,
            color="#8b0000",
            weight="bold",
            zorder=10,
            bbox=dict(facecolor="white", alpha=0.8, edgecolor="none"),
        )
    return fig, ax


def _scale_bar(ax, extent: list[float]) -> None:
    """A geodesic scale bar (km) in the lower right, about a fifth of the map wide."""
    import pyproj

    lon0, lon1, lat0, lat1 = extent
    lat = lat0 + 0.06 * (lat1 - lat0)
    geod = pyproj.Geod(ellps="WGS84")
    width_km = geod.inv(lon0, lat, lon1, lat)[2] / 1000.0
    nice = [10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000]
    km = max((n for n in nice if n <= width_km / 5), default=nice[0])
    start = lon1 - 0.05 * (lon1 - lon0)
    end_lon, end_lat, _ = geod.fwd(start, lat, 270.0, km * 1000.0)
    end_lon = start + ((end_lon - start + 180.0) % 360.0 - 180.0)  # next to start (pyproj wraps to ±180)
    ax.plot(
        [end_lon, start],
        [end_lat, lat],
        color="k",
        linewidth=3,
        transform=_PC,
        zorder=9,
        solid_capstyle="butt",
    )
    ax.text(
        0.5 * (start + end_lon),
        lat + 0.015 * (lat1 - lat0),
        f"{_lang().count(km)} km",
        transform=_PC,
        ha="center",
        va="bottom",
        fontsize=8,
        zorder=9,
        bbox=dict(facecolor="white", alpha=0.7, edgecolor="none", pad=1),
    )


def add_geometries(ax, geoms, **style):
    """``ax.add_geometries(geoms, crs=lon/lat, **style)``, drawn at the figure's resolution.

    On a lon/lat map (PlateCarree, whatever its central longitude) the geometries are first put in the
    map's own coordinates (a shift of longitude) and thinned to a quarter of a pixel, so cartopy neither
    projects nor draws vertices no one can see. Elsewhere (other projections; a geometry that would
    wrap across the map's edge) cartopy projects them as given.
    """
    geoms = list(geoms)
    proj = ax.projection
    if geoms and isinstance(proj, ccrs.PlateCarree):
        import shapely

        shift = -float(proj.transform_point(0.0, 0.0, _PC)[0])  # x = lon - shift (the central longitude)
        moved = shapely.transform(np.asarray(geoms, dtype=object), lambda xy: xy - [shift, 0.0])
        x0, _, x1, _ = shapely.total_bounds(moved)
        if -180.0 < x0 and x1 < 180.0:
            e0, e1, _, _ = ax.get_extent(crs=proj)
            pixel = (e1 - e0) / (ax.figure.get_figwidth() * DPI)  # a pixel is wider: the axes are narrower
            thin = shapely.simplify(moved, 0.25 * pixel, preserve_topology=True)
            return ax.add_geometries(list(thin), crs=proj, **style)
    return ax.add_geometries(geoms, crs=_PC, **style)


def _draw_zones(ax, zones: gpd.GeoDataFrame | None, label: bool = True) -> None:
    if zones is None or len(zones) == 0:
        return
    add_geometries(ax, zones.geometry.values, facecolor="none", edgecolor="#1f4e79", linewidth=0.8, zorder=3)
    if label:
        for zid, geom in zip(zones["id"], zones.geometry.values, strict=True):
            p = geom.representative_point()
            ax.text(
                p.x,
                p.y,
                str(zid),
                transform=_PC,
                fontsize=8,
                color="#1f4e79",
                ha="center",
                zorder=8,
                bbox=dict(facecolor="white", alpha=0.75, edgecolor="none", pad=1),
            )


def plot_trajectories(
    traj: xr.Dataset,
    land: xr.DataArray,
    zones: gpd.GeoDataFrame | None,
    path: Path,
    title: str,
    synthetic: bool = False,
    max_tracks: int = 400,
    rng: np.random.Generator | None = None,
    overlays: dict[str, gpd.GeoDataFrame] | None = None,
) -> Path:
    """Tracks (a random subset of at most ``max_tracks``) coloured by release source."""
    fig, ax = _base_axes(land, title, synthetic)
    _draw_zones(ax, zones)
    layer_handles = draw_overlays(ax, overlays)
    n = traj.sizes["trajectory"]
    rng = rng or np.random.default_rng(0)
    pick = np.sort(rng.choice(n, size=min(n, max_tracks), replace=False))
    sources = traj["release_source"].values
    names = sorted(set(sources.tolist()))
    cmap = matplotlib.colormaps["tab10" if len(names) <= 10 else "tab20"]
    colour = {s: cmap(i % cmap.N) for i, s in enumerate(names)}
    lon, lat = traj["lon"].values, traj["lat"].values
    end_lon, end_lat = traj["end_lon"].values, traj["end_lat"].values
    for i in pick:
        ok = np.isfinite(lon[i])
        xs = np.append(lon[i, ok], end_lon[i])
        ys = np.append(lat[i, ok], end_lat[i])
        ax.plot(xs, ys, color=colour[sources[i]], linewidth=0.6, alpha=0.7, transform=_PC, zorder=4)
    meanings = traj["status"].attrs["flag_meanings"].split()
    values = list(traj["status"].attrs["flag_values"])
    status = traj["status"].values
    shown: list[Any] = []  # the styles drawn, for the legend
    for name, style in _STATUS_STYLE.items():
        if name in meanings:
            sel = pick[status[pick] == values[meanings.index(name)]]
            if sel.size:
                ax.scatter(end_lon[sel], end_lat[sel], transform=_PC, zorder=5, linewidths=0.8, **style)
                shown.append((name, style))
    L = _lang()
    handles = [Line2D([], [], color=colour[s], lw=2, label=L.t("map.from", source=s)) for s in names[:20]]
    handles += [
        Line2D([], [], linestyle="", marker=st["marker"], color=st["color"], label=L.t(f"map.status.{name}"))
        for name, st in shown
    ] + layer_handles
    ax.legend(handles=handles, loc="upper right", fontsize=7, framealpha=0.85)
    ax.text(
        0.99,
        -0.07,
        L.t("map.tracks_shown", k=L.count(len(pick)), n=L.count(n)),
        transform=ax.transAxes,
        ha="right",
        fontsize=8,
    )
    return _save(fig, path)


def plot_currents(
    currents: xr.Dataset,
    land: xr.DataArray,
    zones: gpd.GeoDataFrame | None,
    path: Path,
    title: str,
    synthetic: bool = False,
) -> Path:
    """Speed (colour) and streamlines of one current snapshot."""
    fig, ax = _base_axes(land, title, synthetic)
    speed = np.hypot(currents["u"], currents["v"])
    mesh = ax.pcolormesh(
        currents.lon,
        currents.lat,
        speed,
        cmap="viridis",
        transform=_PC,
        shading="nearest",
        vmin=0,
        vmax=float(np.nanpercentile(speed, 99.5)),
        zorder=0,
    )
    lon, lat = currents.lon.values, currents.lat.values
    u, v = currents["u"].fillna(0).values, currents["v"].fillna(0).values
    style: dict[str, Any] = dict(density=2.0, color="white", linewidth=0.5, arrowsize=0.6, zorder=2)
    if isinstance(ax.projection, ccrs.PlateCarree) and lon.ndim == 1:
        # already a lon/lat plane: draw in its coordinates (cartopy's regridding of the vectors with
        # scipy griddata took most of the report's time)
        x = ax.projection.transform_points(_PC, lon, np.full(lon.shape, float(lat.mean())))[:, 0]
        order = np.argsort(x)
        try:
            # matplotlib's own streamplot: data coordinates are the projection's (no cartopy regridding)
            matplotlib.axes.Axes.streamplot(ax, x[order], lat, u[:, order], v[:, order], **style)
            return _finish_currents(fig, ax, mesh, zones, path)
        except ValueError:  # unevenly spaced axes: let cartopy regrid
            pass
    ax.streamplot(lon, lat, u, v, transform=_PC, **style)
    return _finish_currents(fig, ax, mesh, zones, path)


def _finish_currents(fig, ax, mesh, zones, path: Path) -> Path:
    _draw_zones(ax, zones, label=False)
    fig.colorbar(mesh, ax=ax, shrink=0.7, label=_lang().t("map.speed"), format=_tick_format(_lang()))
    return _save(fig, path)


def plot_matrix(
    matrix: xr.DataArray, path: Path, title: str, synthetic: bool = False, released: np.ndarray | None = None
) -> Path:
    """Row-normalised connectivity (probability source → destination), counts annotated.

    ``released`` gives each row's total when ``matrix`` shows only some destinations.
    """
    counts = matrix.values.astype(float)
    released = (counts.sum(axis=1) if released is None else np.asarray(released, float))[:, None]
    frac = np.divide(counts, released, out=np.zeros_like(counts), where=released > 0)
    rows, cols = [str(s) for s in matrix["source"].values], [str(d) for d in matrix["destination"].values]
    fig = Figure(figsize=(1.0 + 0.9 * len(cols), 1.6 + 0.5 * len(rows)))
    ax = fig.add_subplot(1, 1, 1)
    im = ax.imshow(frac, cmap="Blues", vmin=0, vmax=1, aspect="auto")
    L = _lang()
    for i in range(len(rows)):
        for j in range(len(cols)):
            if counts[i, j]:
                ax.text(
                    j,
                    i,
                    f"{L.num(frac[i, j], 2)}\n({L.sig(counts[i, j], 4)})",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if frac[i, j] > 0.6 else "black",
                )
    ax.set_xticks(range(len(cols)), [L.outcome(c) for c in cols], rotation=40, ha="right", fontsize=8)
    ticks = [f"{r} (n = {L.sig(released[i, 0], 4)})" for i, r in enumerate(rows)]
    ax.set_yticks(range(len(rows)), ticks, fontsize=8)
    ax.set_xlabel(L.t("map.matrix.x"))
    ax.set_ylabel(L.t("map.matrix.y"))
    ax.set_title(title + ("\n" + L.t("map.synthetic_short") if synthetic else ""), fontsize=10)
    fig.colorbar(im, ax=ax, label=L.t("map.matrix.colour"), format=_tick_format(L))
    return _save(fig, path)


def _save(fig, path: Path) -> Path:
    return save_png(fig, path)


def output_interval_days(traj: xr.Dataset) -> float:
    """Days between stored positions: the most common finite step of the time axis (1 if none)."""
    t = traj["time"].values  # time(time) shared by every track; (trajectory, obs) in older runs
    if t.shape[-1] < 2:
        return 1.0
    steps = np.diff(t, axis=-1) / np.timedelta64(1, "D")
    steps = steps[np.isfinite(steps) & (steps > 0)]
    if steps.size == 0:
        return 1.0
    values, counts = np.unique(np.round(steps, 9), return_counts=True)
    return float(values[np.argmax(counts)])


#: positions histogrammed at a time by :func:`position_histogram` (bounds its memory, whatever the tracks)
HISTOGRAM_BLOCK = 1 << 22


def position_histogram(traj: xr.Dataset, bins: int, box, exclude=None, block: int = HISTOGRAM_BLOCK):
    """Stored positions (every output time but the last) per (lon, lat) cell of ``box``, leaving out those
    inside ``exclude``: ``np.histogram2d``'s counts and edges, summed over blocks of tracks so that the
    memory needed stays that of ``block`` positions."""
    lon_all, lat_all = traj["lon"].values, traj["lat"].values
    h = np.zeros((bins, bins))
    if exclude is not None:
        import shapely

        shapely.prepare(exclude)
    rows = max(1, block // max(lon_all.shape[1] - 1, 1))
    xe = ye = np.empty(0)
    for a in range(0, max(lon_all.shape[0], 1), rows):
        lon, lat = lon_all[a : a + rows, :-1].ravel(), lat_all[a : a + rows, :-1].ravel()
        ok = np.isfinite(lon)
        if exclude is not None:
            inside = np.zeros(lon.size, dtype=bool)
            inside[ok] = shapely.contains_xy(exclude, lon[ok], lat[ok])
            ok &= ~inside
        counts, xe, ye = np.histogram2d(lon[ok], lat[ok], bins=bins, range=[list(box[0]), list(box[1])])
        h += counts
    return h, xe, ye


def plot_density(
    traj: xr.Dataset,
    land: xr.DataArray,
    zones,
    path: Path,
    title: str,
    synthetic: bool = False,
    bins: int = 120,
    exclude=None,
) -> Path:
    """Where particles spent their time: particle-days per cell (log colour scale).

    ``exclude`` (a geometry, e.g. the union of MPAs) leaves out positions inside it: the
    map then shows where connectivity runs through unprotected water.
    """
    from matplotlib.colors import LogNorm

    fig, ax = _base_axes(land, title, synthetic)
    x0, x1, y0, y1 = _extent(land)
    interval = output_interval_days(traj)
    h, xe, ye = position_histogram(traj, bins, ((x0, x1), (y0, y1)), exclude)
    h = h.T * interval
    lo = max(float(h[h > 0].min()), 1e-3) if (h > 0).any() else 1.0
    hi = float(h.max()) if (h > 0).any() else 10.0
    if not (h > 0).any():
        ax.text(0.5, 0.5, _lang().t("map.no_positions"), transform=ax.transAxes, ha="center", zorder=11)
    mesh = ax.pcolormesh(
        xe,
        ye,
        np.where(h > 0, h, np.nan),
        cmap="magma_r",
        norm=LogNorm(vmin=lo, vmax=max(hi, lo * 10)),
        transform=_PC,
        zorder=2,
    )
    _draw_zones(ax, zones, label=False)
    fig.colorbar(mesh, ax=ax, shrink=0.7, label=_lang().t("map.particle_days"))
    return _save(fig, path)


class EmptyFigure(Exception):
    """Nothing to draw: the figure is left out and the report says why (the message)."""


def draw_overlays(ax, overlays: dict[str, gpd.GeoDataFrame] | None) -> list:
    """EBSA / MPA outlines (and other named layers) with legend handles."""
    from matplotlib.patches import Patch

    handles = []
    styles = {
        "ebsa": dict(edgecolor="#1b7837", linestyle="--", hatch=None, label=_lang().t("map.ebsa")),
        "mpa": dict(edgecolor="#5e3c99", linestyle="-", hatch="..", label=_lang().t("map.mpa")),
    }
    for name, frame in (overlays or {}).items():
        if frame is None or len(frame) == 0:
            continue
        st: Any = next((v for k, v in styles.items() if name.startswith(k)), None)  # a style dict or None
        if st is None:
            continue
        add_geometries(
            ax,
            frame.geometry.values,
            facecolor="none",
            edgecolor=st["edgecolor"],
            linestyle=st["linestyle"],
            hatch=st["hatch"],
            linewidth=1.0,
            zorder=3,
        )
        handles.append(
            Patch(
                facecolor="none",
                edgecolor=st["edgecolor"],
                linestyle=st["linestyle"],
                hatch=st["hatch"],
                label=f"{st['label']} ({name})",
            )
        )
    return handles


def _degree_format(axis: str):
    """Longitude/latitude tick labels in the drawing language: 5°W / 5°O, decimal comma where it is used."""
    from matplotlib.ticker import FuncFormatter

    L = _lang()
    return FuncFormatter(lambda x, _pos: L.degrees(x, axis))


def _tick_format(L):
    """Colour-bar tick labels with the language's decimal mark."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda x, _pos: L.sig(x, 3))


def zone_text(ax, geom, text: str) -> None:
    """``text`` at a representative point of ``geom`` (inside it), haloed to read on any fill."""
    p = geom.representative_point()
    ax.text(
        p.x, p.y, text, transform=_PC, fontsize=7, ha="center", va="center", zorder=6, path_effects=_halo()
    )


def _halo():
    import matplotlib.patheffects as pe

    return [pe.withStroke(linewidth=2.5, foreground="white")]
