"""Loading and checking every input of a scenario: zones, currents, release, behaviour.

:func:`prepare` returns a :class:`Prepared` run, ready for an engine; ``marinenet
validate`` stops there (:func:`check`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import xarray as xr

from .errors import InputDataError, ScenarioError
from .memory import check_budget
from .ocean import WetTest, open_ocean
from .progress import phase
from .release import Release, WaterAreas, combine, release_at_points, release_from_polygons, water_areas
from .scenario import Scenario
from .zones import ZoneLayer, load_layers

__all__ = ["Prepared", "prepare", "MAX_DRIFT_SPEED"]

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
    behaviours: tuple = ()  # compiled forms of the behaviour plug-ins used (behaviour.registry)
    kernels: list = field(default_factory=list)  # custom kernels (behaviour.kernels)
    forcing: dict = field(default_factory=dict)  # extra fields by name (ocean.extra.ExtraField): wind, waves
    pivot: np.datetime64 | None = None  # backward runs: the date time is mirrored about (marinenet.backward)

    @property
    def habitat(self):
        """Where competent larvae settle (None: no settlement)."""
        from .behaviour import settlement
        from .behaviour.registry import find

        p = find(self.behaviours, settlement.Params)
        return None if p is None else p.habitat


def _time_window(scenario: Scenario) -> tuple[np.datetime64, np.datetime64]:
    """First release, and the end of the last release's tracking (backward: the end of the first
    release's tracking, ``duration`` before it)."""
    events = scenario.release.event_times()
    start = np.datetime64(events[0], "s")
    span = np.timedelta64(int(round(scenario.simulation.duration)), "s")
    if scenario.simulation.direction == "backward":
        return start, start - span
    return start, np.datetime64(events[-1], "s") + span


def _forcing_window(scenario: Scenario) -> tuple[np.datetime64, np.datetime64]:
    """The dates the forcing must cover: [first release, last end], or backward [first − duration, last]."""
    events = scenario.release.event_times()
    if scenario.simulation.direction == "backward":
        from .backward import window

        return window(events, scenario.simulation.duration)
    return _time_window(scenario)


def _backward_note(exc: InputDataError, scenario: Scenario) -> InputDataError:
    """A time-window error of a backward run, saying what a backward run needs."""
    if scenario.simulation.direction != "backward":
        return exc
    return InputDataError(
        f"{exc} (simulation.direction: backward goes back in time from release.start: the forcing must "
        "cover [release.start - simulation.duration, release.start])"
    )


def _open_forcing(scenario: Scenario, ocean: xr.Dataset, lo, hi) -> dict:
    """ocean.wind and ocean.waves as extra fields (:mod:`marinenet.ocean.forcing`), by name."""
    from .ocean.forcing import WAVES, WIND, open_forcing

    oc, out = scenario.ocean, {}
    lon, lat = ocean["lon"].values, ocean["lat"].values
    bounds = (float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max()))
    for kind, source, names in ((WIND, oc.wind, oc.wind_variables), (WAVES, oc.waves, oc.waves_variables)):
        if source is None:
            continue
        phase(f"loading the forcing ({kind.what})")
        log.info("opening %s: %s", kind.what, source)
        periodic = bool(ocean.attrs.get("zonal_periodic"))
        try:
            out[kind.name] = open_forcing(kind, source, lo, hi, bounds, names, periodic)
        except InputDataError as exc:
            raise _backward_note(exc, scenario) from None
    return out


def _make_release(
    scenario: Scenario, layers: dict[str, ZoneLayer], wet: WetTest, start: np.datetime64
) -> Release:
    cfg = scenario.release
    rng = np.random.default_rng(scenario.seed)
    n = cfg.per_event()
    events = [np.datetime64(t, "s") for t in cfg.event_times()]
    if cfg.points is not None:
        pts = np.asarray(cfg.points, dtype=float)
        ok = wet(pts[:, 0], pts[:, 1])
        if not ok.all():
            bad = [[float(x), float(y)] for x, y in pts[~ok]]
            raise InputDataError(
                f"release.from.points {bad} are on land or outside the ocean data ({_extent(wet)})"
            )
        rel = combine([release_at_points(cfg.points, n, t) for t in events])
        return replace(rel, lon=wet.frame(rel.lon))
    ids, geoms, frames = [], [], []
    names = [src.layer for src in cfg.sources if src.layer is not None]  # checked by the scenario model
    for src, name in zip(cfg.sources, names, strict=True):
        layer = layers[name]
        all_ids = layer.ids  # one list (a property): a lookup per zone would be zones² work
        at = {z: k for k, z in enumerate(all_ids)}
        some = src.ids if src.ids is not None else all_ids
        unknown = [i for i in some if i not in at]
        if unknown:
            raise ScenarioError(
                f"release.from.ids: {unknown} not in layer {layer.name!r}; its ids are: {', '.join(layer.ids)}"
            )
        ids += some
        shapes = layer.frame.geometry.values
        geoms += [shapes[at[i]] for i in some]
        frames.append(layer.frame.set_index("id").loc[some])
    layer = layers[names[0]] if len(names) == 1 else _joined(layers, cfg.sources)
    weights = None
    if cfg.weight is not None:
        for frame in frames:
            if cfg.weight not in frame.columns:
                fields = ", ".join(c for c in [frame.index.name, *frame.columns] if c != "geometry")
                raise ScenarioError(
                    f"release.weight: layer {layer.name!r} has no attribute {cfg.weight!r}; it has: {fields}"
                )
        values = pd.concat([f[cfg.weight] for f in frames])
        weights = pd.to_numeric(values, errors="coerce").to_numpy(float)
        if not np.all(np.isfinite(weights)) or np.any(weights < 0) or weights.sum() <= 0:
            raise ScenarioError(
                f"release.weight: attribute {cfg.weight!r} must be non-negative numbers, got {list(values)}"
            )
    areas = water_areas(geoms, wet)
    alloc = _allocation(layer, ids, areas, weights, wet)
    rel = combine(
        [release_from_polygons(ids, geoms, n, t, rng, wet, weights=alloc, areas=areas) for t in events]
    )
    return replace(rel, lon=wet.frame(rel.lon))


def _joined(layers: dict[str, ZoneLayer], sources) -> ZoneLayer:
    """The layers of a release from several sources, as one (named 'a + b') for messages."""
    return ZoneLayer(" + ".join(src.layer for src in sources), layers[sources[0].layer].frame)


def _allocation(
    layer: ZoneLayer, ids: list[str], areas: WaterAreas, weights: np.ndarray | None, wet: WetTest
) -> np.ndarray:
    """What each release polygon's share of the particles is proportional to: its water area
    (km² of the polygon that the ocean data has as water), or ``release.weight`` where given.

    A polygon that should release particles but has no water is refused; one that is partly
    on land or outside the data is named in a warning (its particles go to its water only).
    """
    area, water = areas.area, areas.water
    wanted = np.ones(len(ids), bool) if weights is None else weights > 0
    dry = [zid for zid, w, want in zip(ids, water, wanted, strict=True) if want and w <= 0]
    if dry:
        raise InputDataError(
            f"release polygons {dry} of layer {layer.name!r} have no water: each lies outside the ocean "
            f"data ({_extent(wet)}) or on its land. Leave them out with "
            "'release.from.ids', or use currents that cover them"
        )
    land = 1.0 - water / np.maximum(area, 1e-300)
    named = zip(ids, land, wanted, strict=True)
    partly = [f"{zid!r} {100 * s:.0f} %" for zid, s, want in named if want and s > 0.01]
    if partly:
        rule = "their water area" if weights is None else "release.weight"
        log.warning(
            "release polygons partly on land or outside the ocean data (share of their area): %s. "
            "Particles are placed over water only; each polygon's share of them is in proportion to %s",
            ", ".join(partly),
            rule,
        )
    return water if weights is None else weights


def _extent(wet: WetTest) -> str:
    lon = "every longitude" if wet.periodic else f"longitude {wet.lon[0]:g}..{wet.lon[-1]:g}"
    return f"{lon}, latitude {wet.lat[0]:g}..{wet.lat[-1]:g}"


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


#: assumed upper bound of sustained current speed (m/s) when sizing the region to load
MAX_DRIFT_SPEED = 2.5


def _region(scenario: Scenario, layers: dict[str, ZoneLayer]) -> tuple[float, float, float, float] | None:
    """Release area plus every position a particle could drift to at MAX_DRIFT_SPEED (degrees)."""
    rel = scenario.release
    if rel.points is not None:
        pts = np.asarray(rel.points, float)
        x0, y0, x1, y1 = pts[:, 0].min(), pts[:, 1].min(), pts[:, 0].max(), pts[:, 1].max()
    else:
        boxes = []
        for frm in rel.sources:
            if frm.layer not in layers:  # a grid layer: built once the currents are open
                return None
            layer = layers[frm.layer]
            ids = frm.ids if frm.ids is not None else layer.ids
            frame = layer.frame[layer.frame["id"].isin(ids)]
            if len(frame):
                boxes.append(frame.total_bounds)
        if not boxes:
            return None
        b = np.asarray(boxes)
        x0, y0, x1, y1 = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
    return reach_region((x0, y0, x1, y1), MAX_DRIFT_SPEED * scenario.simulation.duration)


def reach_region(
    bounds: tuple[float, float, float, float], distance_m: float
) -> tuple[float, float, float, float] | None:
    """Every position within ``distance_m`` (great-circle) of a lon/lat box.

    The latitudes widen by the angular distance; the longitudes by the largest longitude
    offset of a spherical cap of that radius centred at the box's most poleward latitude,
    asin(sin d / cos lat) — or every longitude (a window 360° wide) once the cap holds a pole.
    None when every position of the globe is within reach. Degrees are counted on the
    smallest Earth radius (the polar one), so the reach is never underestimated.
    """
    x0, y0, x1, y1 = (float(b) for b in bounds)
    d = np.rad2deg(distance_m / 6_356_752.0)
    if d >= 180.0:
        return None
    south, north = max(y0 - d, -90.0), min(y1 + d, 90.0)
    poleward = max(abs(y0), abs(y1))
    if d >= 90.0 - poleward or x1 - x0 >= 360.0:
        centre = 0.5 * (x0 + x1)
        return (centre - 180.0, south, centre + 180.0, north)
    dlon = np.rad2deg(np.arcsin(np.sin(np.deg2rad(d)) / np.cos(np.deg2rad(poleward))))
    if x1 - x0 + 2 * dlon >= 360.0:
        centre = 0.5 * (x0 + x1)
        return (centre - 180.0, south, centre + 180.0, north)
    return (x0 - dlon, south, x1 + dlon, north)


def _requested(scenario: Scenario) -> tuple[int, int]:
    """Particles the scenario asks for (before any file is read) and time steps per particle."""
    rel, sim = scenario.release, scenario.simulation
    events = len(rel.event_times())
    points = len(rel.points) if rel.points is not None else 1
    total = rel.total if rel.total is not None else rel.per_event() * events
    steps = sim.duration / sim.dt
    return total * points, int(np.ceil(steps)) if np.isfinite(steps) and steps < 1e18 else 10**18


def prepare(scenario: Scenario) -> Prepared:
    """Load and check every input of ``scenario``; raise a user error on any problem.

    Parameters
    ----------
    scenario
        From :func:`marinenet.load_scenario` or :func:`marinenet.scenario_from_dict`.

    Returns
    -------
    Prepared
        The currents, zone layers, release positions and time window, ready for an engine.

    Raises
    ------
    ScenarioError
        A setting that cannot work with these inputs (unknown zone ids, too many particles ...).
    InputDataError
        A currents or zone file that cannot be used as it is (with what was found and what to do).
    """
    check_budget(*_requested(scenario))  # particles and steps that cannot fit or finish: refused now
    start, end = _time_window(scenario)
    lo, hi = _forcing_window(scenario)
    layers: dict[str, ZoneLayer] = {}
    for name, cfg in scenario.zones.items():
        phase(f"loading zone layer {name!r}")
        log.info("loading zone layer %r", name)
        for lname, layer in load_layers(name, cfg).items():
            if layer.citation:
                log.info("zone layer %r: %s", lname, layer.citation)
            layers[lname] = layer
    oc = scenario.ocean
    phase("loading the forcing (ocean currents)")
    log.info("opening ocean currents: %s", oc.source)
    try:
        ocean = _open_currents(scenario, layers, lo, hi)
    except InputDataError as exc:
        raise _backward_note(exc, scenario) from None
    forcing = _open_forcing(scenario, ocean, lo, hi)
    for name, cfg in scenario.zones.items():
        if cfg.source == "grid":
            from .zones import grid_layer

            layers[name] = grid_layer(name, ocean, cfg.cell)
    phase("placing the particles")
    release = _make_release(scenario, layers, WetTest(ocean), start)
    from .coherence_stage import check_release  # analysis: coherence needs particles from every site
    from .coherence_states import check_dossier_sites

    check_release(scenario, layers, release.lon, release.lat)
    check_dossier_sites(scenario, layers)  # report.dossiers names sites of the analysis
    log.info("released %d particles at %s", len(release), start)
    from .behaviour.registry import from_scenario
    from .engine.custom import load_kernels

    pivot = None
    if scenario.simulation.direction == "backward":
        pivot = hi
        forcing = {k: f.mirrored(pivot) for k, f in forcing.items()}
    behaviours = from_scenario(scenario, ocean, layers, forcing)
    beh = scenario.behaviour
    if beh.kind == "larva" and beh.settle_in is not None:
        log.info(
            "settlement habitat: the polygons of layer %r%s (exact test)",
            beh.settle_in.layer,
            f" widened by {beh.settle_in.radius:g} km" if beh.settle_in.radius > 0 else "",
        )
    kernels = load_kernels(beh.kernels, scenario.source_dir())
    return Prepared(scenario, ocean, layers, release, start, end, behaviours, kernels, forcing, pivot)


def _open_currents(scenario: Scenario, layers: dict[str, ZoneLayer], lo, hi) -> xr.Dataset:
    from .behaviour.registry import tracers as behaviour_tracers

    oc = scenario.ocean
    return open_ocean(
        oc.source,
        lo,
        hi,
        oc.variables,
        depth=oc.depth,
        grid=oc.grid,
        time_origin=str(np.datetime64(oc.time_origin, "s")) if oc.time_origin else None,
        region=_region(scenario, layers),
        loop=oc.loop,
        three_d=oc.three_d,
        levels=oc.levels,
        zero_is_land=oc.zero_is_land,
        tracers=behaviour_tracers(scenario),
    )
