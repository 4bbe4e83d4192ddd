"""Loading and checking every input of a scenario: zones, currents, release, behaviour.

:func:`prepare` returns a :class:`Prepared` run, ready for an engine; ``marinenet
validate`` stops there (:func:`check`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xarray as xr

from .errors import InputDataError, ScenarioError
from .memory import check_budget
from .ocean import WetTest, open_ocean
from .release import Release, combine, release_at_points, release_from_polygons
from .scenario import Scenario
from .zones import ZoneLayer, load_layers

__all__ = ["Prepared", "prepare", "check", "larva_parameters", "swimmer_parameters", "MAX_DRIFT_SPEED"]

log = logging.getLogger("marinenet")


@dataclass
class Prepared:
    """Inputs of a run after loading and checking: ready for an engine."""

    scenario: Scenario
    ocean: xr.Dataset
    layers: dict[str, ZoneLayer]
    release: Release
    start: np.datetime64
    end: np.datetime64
    habitat: np.ndarray | None = None
    kernels: list = field(default_factory=list)
    swimmer: dict | None = None


def _time_window(scenario: Scenario) -> tuple[np.datetime64, np.datetime64]:
    """First release, and the end of the last release's tracking."""
    events = scenario.release.event_times()
    start = np.datetime64(events[0], "s")
    end = np.datetime64(events[-1], "s") + np.timedelta64(int(round(scenario.simulation.duration)), "s")
    return start, end


def _make_release(
    scenario: Scenario, layers: dict[str, ZoneLayer], wet: WetTest, start: np.datetime64
) -> Release:
    cfg = scenario.release
    rng = np.random.default_rng(scenario.seed)
    n = cfg.per_event()
    events = [np.datetime64(t, "s") for t in cfg.event_times()]
    if cfg.from_.points is not None:
        pts = np.asarray(cfg.from_.points, dtype=float)
        ok = wet(pts[:, 0], pts[:, 1])
        if not ok.all():
            bad = [[float(x), float(y)] for x, y in pts[~ok]]
            raise InputDataError(
                f"release.from.points {bad} are on land or outside the ocean data "
                f"(longitude {wet.lon[0]:g}..{wet.lon[-1]:g}, latitude {wet.lat[0]:g}..{wet.lat[-1]:g})"
            )
        return combine([release_at_points(cfg.from_.points, n, t) for t in events])
    layer = layers[cfg.from_.layer]  # existence checked by the scenario model
    ids = cfg.from_.ids if cfg.from_.ids is not None else layer.ids
    unknown = [i for i in ids if i not in layer.ids]
    if unknown:
        raise ScenarioError(
            f"release.from.ids: {unknown} not in layer {layer.name!r}; its ids are: {', '.join(layer.ids)}"
        )
    geoms = [layer.geometry(i) for i in ids]
    weights = None
    if cfg.weight is not None:
        if cfg.weight not in layer.frame.columns:
            fields = ", ".join(c for c in layer.frame.columns if c != "geometry")
            raise ScenarioError(
                f"release.weight: layer {layer.name!r} has no attribute {cfg.weight!r}; it has: {fields}"
            )
        values = layer.frame.set_index("id").loc[ids, cfg.weight]
        weights = pd.to_numeric(values, errors="coerce").to_numpy(float)
        if not np.all(np.isfinite(weights)) or np.any(weights < 0) or weights.sum() <= 0:
            raise ScenarioError(
                f"release.weight: attribute {cfg.weight!r} must be non-negative numbers, got {list(values)}"
            )
    gx0, gy0, gx1, gy1 = wet.lon[0], wet.lat[0], wet.lon[-1], wet.lat[-1]
    for zid, g in zip(ids, geoms, strict=True):
        x0, y0, x1, y1 = g.bounds
        if x1 < gx0 or x0 > gx1 or y1 < gy0 or y0 > gy1:
            raise InputDataError(
                f"release polygon {zid!r} of layer {layer.name!r} (bounds {x0:.2f},{y0:.2f},{x1:.2f},{y1:.2f}) "
                f"lies outside the ocean data ({gx0:g},{gy0:g},{gx1:g},{gy1:g})"
            )
    _require_water(ids, geoms, wet, layer.name)
    return combine(
        [release_from_polygons(ids, geoms, n, t, rng, accept=wet, weights=weights) for t in events]
    )


def _require_water(
    ids: list[str], geoms: list, wet: WetTest, layer: str, max_points: int = 2_000_000
) -> None:
    """Refuse at once a release polygon with no water of the currents in it (else sampling would search long).

    Tested on the wet grid points inside each polygon, then on a lattice of a quarter of the
    grid spacing over the polygon (its vertices included), which finds water a polygon holds
    near its edge or when it is smaller than a grid cell.
    """
    import shapely

    dx, dy = float(np.median(np.diff(wet.lon))), float(np.median(np.diff(wet.lat)))
    for zid, g in zip(ids, geoms, strict=True):
        shapely.prepare(g)
        x0, y0, x1, y1 = g.bounds
        i = slice(*np.searchsorted(wet.lon, [x0, x1]))
        j = slice(*np.searchsorted(wet.lat, [y0, y1]))
        gx, gy = np.meshgrid(wet.lon[i], wet.lat[j])
        water = wet.land[j, i] < 0.5
        if shapely.contains_xy(g, gx[water], gy[water]).any():
            continue
        step = max(dx / 4, dy / 4, np.sqrt((x1 - x0) * (y1 - y0) / max_points))
        xs, ys = np.meshgrid(np.arange(x0, x1 + step, step), np.arange(y0, y1 + step, step))
        inside = shapely.contains_xy(g, xs, ys)
        px = np.r_[xs[inside], shapely.get_coordinates(g)[:, 0]]
        py = np.r_[ys[inside], shapely.get_coordinates(g)[:, 1]]
        if not wet(px, py).any():
            raise InputDataError(
                f"release polygon {zid!r} of layer {layer!r} has no water in the ocean data: it lies on land "
                "(or on cells the currents mark as land or outside their domain); release from another "
                "polygon, or check the layer against the currents' land mask"
            )


def _habitat(layer: ZoneLayer, ocean: xr.Dataset, inside: bool = False) -> np.ndarray:
    """A layer's polygons on the currents grid.

    Default (habitat): cells a polygon overlaps (centre within half a cell diagonal), so
    small reefs are not lost. ``inside=True`` (swimming targets): cells at least half a
    cell diagonal inside, so a swimmer that "arrives" on the grid is inside the polygon.
    """
    import shapely

    lon, lat = ocean["lon"].values, ocean["lat"].values
    half = 0.5 * np.hypot(np.median(np.diff(lon)), np.median(np.diff(lat)))
    union = shapely.union_all(layer.frame.geometry.values)
    area = union.buffer(-half if inside else half)
    if area.is_empty:  # smaller than a cell: keep the cells whose centre it covers
        area = union
    shapely.prepare(area)
    LON, LAT = np.meshgrid(lon, lat)
    return shapely.contains_xy(area, LON, LAT) & ~ocean["land"].values


def _within(cells: np.ndarray, ocean: xr.Dataset, radius_m: float) -> np.ndarray:
    """Water cells within ``radius_m`` of any of ``cells`` (distances in metres on the grid)."""
    from scipy.ndimage import distance_transform_edt

    lat = ocean["lat"].values
    dy = float(np.median(np.diff(lat))) * 111_120.0
    dx = float(np.median(np.diff(ocean["lon"].values))) * 111_120.0 * np.cos(np.deg2rad(np.median(lat)))
    if not cells.any():
        return cells
    return (distance_transform_edt(~cells, sampling=(dy, dx)) <= radius_m) & ~ocean["land"].values


def settle_onto_habitat(layer: ZoneLayer, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Settlement positions moved onto the habitat polygons they were sensed from.

    Larvae settle where the habitat *raster* (cells overlapping a polygon, widened by the
    sensory radius) says so; a larva that settles in such a cell but outside every polygon
    is placed on the nearest polygon edge, so it counts for the habitat it settled on.
    """
    import shapely

    lon, lat = np.asarray(lon, float).copy(), np.asarray(lat, float).copy()
    if lon.size == 0:
        return lon, lat
    union = shapely.union_all(layer.frame.geometry.values)
    shapely.prepare(union)
    out = ~shapely.contains_xy(union, lon, lat)
    if out.any():
        lines = shapely.shortest_line(shapely.points(lon[out], lat[out]), union)
        end = shapely.get_coordinates(shapely.get_point(lines, 1))
        inward = 1e-6  # a hair inside, so a point-in-polygon test agrees
        lon[out] = end[:, 0] + inward * np.sign(end[:, 0] - lon[out])
        lat[out] = end[:, 1] + inward * np.sign(end[:, 1] - lat[out])
    return lon, lat


def _custom_kernels(names: list[str] | None) -> list:
    import importlib

    out = []
    for spec in names or []:
        module, _, func = spec.partition(":")
        try:
            out.append(getattr(importlib.import_module(module), func))
        except (ImportError, AttributeError, ValueError) as exc:
            raise ScenarioError(
                f"behaviour.kernels: cannot import {spec!r} (expected 'package.module:function'): {exc}"
            ) from None
    return out


def swimmer_parameters(scenario: Scenario, layers: dict[str, ZoneLayer], ocean: xr.Dataset) -> dict | None:
    """What the engine needs for swimmers: speed, the target point or target mask, the random walk."""
    b = scenario.behaviour
    if b.kind != "swimmer":
        return None
    out = {
        "speed": b.speed,
        "persistence": b.persistence,
        "turn_sd": np.deg2rad(b.turn_sd),
        "arrive_m": b.arrive_within * 1000.0,
    }
    if b.target.point is not None:
        out["target_point"] = tuple(b.target.point)
    else:
        layer = layers[b.target.layer]
        if b.target.ids:
            unknown = [i for i in b.target.ids if i not in layer.ids]
            if unknown:
                raise ScenarioError(f"behaviour.target.ids: {unknown} not in layer {layer.name!r}")
            layer = ZoneLayer(
                layer.name, layer.frame[layer.frame["id"].isin(b.target.ids)].reset_index(drop=True)
            )
        out["target_mask"] = _habitat(layer, ocean, inside=True)
    after = b.target_after
    if after is not None:
        out["switch_time"] = np.datetime64(after.date, "s")
        if after.point is not None:
            out["target2_point"] = tuple(after.point)
        else:
            layer2 = layers[after.layer]
            if after.ids:
                layer2 = ZoneLayer(
                    layer2.name, layer2.frame[layer2.frame["id"].isin(after.ids)].reset_index(drop=True)
                )
            out["target2_mask"] = _habitat(layer2, ocean, inside=True)
    return out


def larva_parameters(scenario: Scenario) -> dict | None:
    """The larval life-history parameters an engine needs (seconds, 1/s), or None for passive drift."""
    b = scenario.behaviour
    if b.kind != "larva":
        return None
    return {
        "pld": b.pld,
        "comp_min": b.competency[0],
        "comp_max": b.competency[1],
        "mortality": b.mortality or 0.0,
        "mortality_mode": 0 if b.mortality_mode == "weights" else 1,
    }


#: assumed upper bound of sustained current speed (m/s) when sizing the region to load
MAX_DRIFT_SPEED = 2.5


def _region(scenario: Scenario, layers: dict[str, ZoneLayer]) -> tuple[float, float, float, float] | None:
    """Release area plus the distance a particle could drift at MAX_DRIFT_SPEED (degrees)."""
    frm = scenario.release.from_
    if frm.points is not None:
        pts = np.asarray(frm.points, float)
        x0, y0, x1, y1 = pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max()
    else:
        if frm.layer not in layers:  # a grid layer: built once the currents are open
            return None
        layer = layers[frm.layer]
        ids = frm.ids if frm.ids is not None else layer.ids
        frame = layer.frame[layer.frame["id"].isin(ids)]
        if len(frame) == 0:
            return None
        x0, y0, x1, y1 = frame.total_bounds
    reach = MAX_DRIFT_SPEED * scenario.simulation.duration / 111_200.0
    if reach >= 90:
        return None
    worst = min(max(abs(y0 - reach), abs(y1 + reach)), 89.0)
    lon_reach = reach / max(np.cos(np.deg2rad(worst)), 0.05)
    return (x0 - lon_reach, max(y0 - reach, -90.0), x1 + lon_reach, min(y1 + reach, 90.0))


def _requested(scenario: Scenario) -> tuple[int, int]:
    """Particles the scenario asks for (before any file is read) and time steps per particle."""
    rel, sim = scenario.release, scenario.simulation
    events = len(rel.event_times())
    points = len(rel.from_.points) if rel.from_.points is not None else 1
    total = rel.total if rel.total is not None else rel.particles * events
    steps = sim.duration / sim.dt
    return total * points, int(np.ceil(steps)) if np.isfinite(steps) and steps < 1e18 else 10**18


def prepare(scenario: Scenario) -> Prepared:
    """Load and check every input of ``scenario``; raise a user error on any problem."""
    check_budget(*_requested(scenario))  # particles and steps that cannot fit or finish: refused now
    start, end = _time_window(scenario)
    layers: dict[str, ZoneLayer] = {}
    for name, cfg in scenario.zones.items():
        log.info("loading zone layer %r", name)
        for lname, layer in load_layers(name, cfg).items():
            if layer.citation:
                log.info("zone layer %r: %s", lname, layer.citation)
            layers[lname] = layer
    oc = scenario.ocean
    log.info("opening ocean currents: %s", oc.source)
    ocean = open_ocean(
        oc.source,
        start,
        end,
        oc.variables,
        depth=oc.depth,
        grid=oc.grid,
        time_origin=str(np.datetime64(oc.time_origin, "s")) if oc.time_origin else None,
        region=_region(scenario, layers),
        loop=oc.loop,
        three_d=oc.three_d,
        levels=oc.levels,
        zero_is_land=oc.zero_is_land,
    )
    for name, cfg in scenario.zones.items():
        if cfg.source == "grid":
            from .zones import grid_layer

            layers[name] = grid_layer(name, ocean, cfg.cell)
    release = _make_release(scenario, layers, WetTest(ocean), start)
    log.info("released %d particles at %s", len(release), start)
    habitat = None
    beh = scenario.behaviour
    if beh.kind == "larva":
        habitat = np.zeros(ocean["land"].shape, dtype=bool)
        if beh.settle_in is not None:
            habitat = _habitat(layers[beh.settle_in.layer], ocean)
            if beh.settle_in.radius > 0:
                habitat = _within(habitat, ocean, beh.settle_in.radius * 1000.0)
            log.info("settlement habitat: %d cells of the currents grid", int(habitat.sum()))
    kernels = _custom_kernels(beh.kernels)
    swimmer = swimmer_parameters(scenario, layers, ocean)
    return Prepared(scenario, ocean, layers, release, start, end, habitat, kernels, swimmer)


def check(scenario: Scenario) -> Prepared:
    """What ``marinenet validate`` does: load and check all inputs, run nothing."""
    return prepare(scenario)
