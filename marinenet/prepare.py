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
from .ocean import WetTest, open_ocean
from .release import Release, combine, release_at_points, release_from_polygons
from .scenario import Scenario
from .zones import ZoneLayer, load_layers
from .zones.habitat import SettlementHabitat

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
    habitat: SettlementHabitat | None = None
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
            bad = [list(p) for p in pts[~ok]]
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
    return combine(
        [release_from_polygons(ids, geoms, n, t, rng, accept=wet, weights=weights) for t in events]
    )


def _target_cells(layer: ZoneLayer, ocean: xr.Dataset) -> np.ndarray:
    """A swimming target's polygons on the currents grid: water cells at least half a cell
    diagonal inside them, so a swimmer that "arrives" on the grid is inside the polygon (cells
    whose centre they cover when they are smaller than that)."""
    import shapely

    lon, lat = ocean["lon"].values, ocean["lat"].values
    half = 0.5 * np.hypot(np.median(np.diff(lon)), np.median(np.diff(lat)))
    union = shapely.union_all(layer.frame.geometry.values)
    area = union.buffer(-half)
    if area.is_empty:
        area = union
    shapely.prepare(area)
    LON, LAT = np.meshgrid(lon, lat)
    return shapely.contains_xy(area, LON, LAT) & ~ocean["land"].values


def settle_onto_habitat(layer: ZoneLayer, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Settlement positions moved onto the habitat polygons they were sensed from.

    With a sensory radius larvae settle within that distance of a habitat polygon; a larva
    that settles outside every polygon is placed on the nearest polygon edge, so it counts for
    the habitat it settled on.
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
        out["target_mask"] = _target_cells(layer, ocean)
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
            out["target2_mask"] = _target_cells(layer2, ocean)
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


def prepare(scenario: Scenario) -> Prepared:
    """Load and check every input of ``scenario``; raise a user error on any problem."""
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
    if beh.kind == "larva" and beh.settle_in is not None:
        habitat = SettlementHabitat(layers[beh.settle_in.layer].frame.geometry.values, beh.settle_in.radius)
        log.info(
            "settlement habitat: the %d polygons of layer %r%s (exact test)",
            len(habitat.polygons),
            beh.settle_in.layer,
            f" widened by {beh.settle_in.radius:g} km" if beh.settle_in.radius > 0 else "",
        )
    kernels = _custom_kernels(beh.kernels)
    swimmer = swimmer_parameters(scenario, layers, ocean)
    return Prepared(scenario, ocean, layers, release, start, end, habitat, kernels, swimmer)


def check(scenario: Scenario) -> Prepared:
    """What ``marinenet validate`` does: load and check all inputs, run nothing."""
    return prepare(scenario)
