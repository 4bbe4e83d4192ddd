"""ZoneIndex: fast lon/lat → zone(s) lookup with answers identical to the exact test.

The exact test (the reference) is shapely's ``intersects``: a point belongs to every
polygon that covers it, boundary included. The index reproduces it exactly, faster:

1. A raster of the layer's extent at ``resolution`` degrees stores, per cell, the *set*
   of zones covering the whole cell (an id into a table of zone sets; 0 = no zone).
   Polygons are filled by an even-odd scanline at cell centres.
2. A conservative *boundary band* marks every cell that a polygon edge could touch
   (edges densified to ≤ ½ cell, then dilated by one cell). Cells outside the band are
   at least one cell away from every edge, so their centre answer holds for the whole
   cell; points in band cells get the exact prepared-geometry test, against their candidates
   only: the zones whose edges marked the cell and the zones covering its centre (one
   vectorised ``intersects_xy`` over those (point, zone) pairs; no point objects, no tree).

Longitudes are taken in [-180, 180] (points are wrapped; a point at +180 and one at -180
are the same place and both lie on the antimeridian seam of a split polygon). Latitude
±90 falls in the first/last row. Polygons are expected already split at the antimeridian
(see :func:`marinenet.zones.geometry.normalise_antimeridian`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from numba import njit
from shapely.geometry.base import BaseGeometry

from . import _index_kernels as IK

__all__ = ["ZoneIndex", "exact_query", "wrap_lon"]


def wrap_lon(lon: np.ndarray) -> np.ndarray:
    """Longitudes into [-180, 180]; values already inside (including +180) are kept as they are."""
    lon = np.asarray(lon, dtype=float)
    out = lon.copy()
    bad = (lon < -180.0) | (lon > 180.0)
    out[bad] = ((lon[bad] + 180.0) % 360.0) - 180.0
    return out


#: up to this many (points × zones) the bounding-box candidates come from one numpy comparison
#: (no point objects, no tree: what the per-step analytics of small runs need); else from the tree
_SMALL_QUERY = 200_000


def _bbox_candidates(geoms, lon, lat, tree=None) -> tuple[np.ndarray, np.ndarray]:
    """(point, zone) pairs whose bounding boxes intersect (boundaries included), as ``STRtree.query``."""
    if lon.size * len(geoms) <= _SMALL_QUERY:
        b = shapely.bounds(np.asarray(geoms, dtype=object))
        x, y = lon[:, None], lat[:, None]
        hit = (x >= b[:, 0]) & (x <= b[:, 2]) & (y >= b[:, 1]) & (y <= b[:, 3])
        point, zone = np.nonzero(hit)
        return point, zone
    tree = tree or shapely.STRtree(list(geoms))
    return tree.query(shapely.points(lon, lat))


def exact_query(geoms: Sequence[BaseGeometry], lon: np.ndarray, lat: np.ndarray, tree=None):
    """Reference membership: all (point, zone) pairs with ``zone.intersects(point)``.

    Returns two int64 arrays sorted by point then zone.
    """
    lon = wrap_lon(lon)
    lat = np.asarray(lat, dtype=float)
    ok = np.flatnonzero(np.isfinite(lon) & np.isfinite(lat))
    if ok.size == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    pi, zi = _bbox_candidates(geoms, lon[ok], lat[ok], tree)
    keep = np.zeros(pi.size, dtype=bool)
    order = np.argsort(zi, kind="stable")
    pi, zi = pi[order], zi[order]
    bounds = np.flatnonzero(np.diff(zi)) + 1
    starts, stops = np.concatenate(([0], bounds)), np.concatenate((bounds, [zi.size]))  # (np.r_ is slow)
    for start, stop in zip(starts, stops, strict=True):
        if start == stop:
            continue
        g = geoms[zi[start]]
        shapely.prepare(g)
        idx = ok[pi[start:stop]]
        keep[start:stop] = shapely.intersects_xy(g, lon[idx], lat[idx])
    p, z = ok[pi[keep]], zi[keep]
    order = np.lexsort((z, p))
    return p[order].astype(np.int64), z[order].astype(np.int64)


_BAND_BIT = np.int32(1 << 30)


#: cells of the coarse lookup level (it stays in the CPU cache: most points need nothing else)
_COARSE_CELLS = 1 << 18


def _coarse_level(packed: np.ndarray) -> tuple[np.ndarray, int]:
    """Blocks of k×k cells: the set id where all cells of a block have it and none is in the band, else -1."""
    ny, nx = packed.shape
    k = max(1, int(np.ceil(np.sqrt(packed.size / _COARSE_CELLS))))
    cy, cx = -(-ny // k), -(-nx // k)
    pad = np.full((cy * k, cx * k), -1, np.int64)  # blocks reaching past the raster are never uniform
    pad[:ny, :nx] = packed
    blocks = pad.reshape(cy, k, cx, k)
    lo, hi = blocks.min(axis=(1, 3)), blocks.max(axis=(1, 3))
    return np.where((lo == hi) & (lo >= 0) & (lo < _BAND_BIT), lo, -1).astype(np.int32), k


@njit(cache=True, nogil=True)
def _raster_lookup(lon, lat, x0, y0, res, packed, coarse, k):  # pragma: no cover - compiled
    """For every point, in one pass: the zone-set id of its raster cell (0 outside the raster or
    for a non-finite position) and whether that cell is in the boundary band (exact test).
    ``packed`` holds both per cell (set id | band << 30); ``coarse`` answers for whole uniform
    k×k blocks (-1 where the block is not uniform). Also the flat raster cell of each band point."""
    n = lon.size
    ny, nx = packed.shape
    sid = np.zeros(n, np.int64)
    exact = np.zeros(n, np.bool_)
    cell = np.zeros(n, np.int64)
    for p in range(n):
        i, j = IK.raster_cell(lon[p], lat[p], x0, y0, res, nx, ny)
        if i < 0:
            continue
        c = coarse[int(j) // k, int(i) // k]
        if c >= 0:
            sid[p] = c
            continue
        v = packed[int(j), int(i)]
        sid[p] = v & (_BAND_BIT - 1)
        exact[p] = v >= _BAND_BIT
        cell[p] = int(j) * nx + int(i)
    return sid, exact, cell


#: segments per piece of boundary in :meth:`ZoneIndex.nearest`'s tree
EDGE_PIECE = 16


def _edge_pieces(geoms: Sequence[BaseGeometry]) -> tuple[np.ndarray, np.ndarray]:
    """Every ring of ``geoms`` cut into linestrings of at most :data:`EDGE_PIECE` segments (consecutive
    pieces share their end vertex, so together they are the ring), and the zone of each piece."""
    rings = [shapely.get_rings(shapely.get_parts(g)) for g in geoms]
    rings = [r[shapely.get_num_coordinates(r) >= 2] for r in rings]
    owner_ring = np.repeat(np.arange(len(rings)), [len(r) for r in rings])
    if owner_ring.size == 0:
        return np.empty(0, dtype=object), np.empty(0, np.int64)
    xy, ring = shapely.get_coordinates(np.concatenate(rings), return_index=True)
    n = np.bincount(ring, minlength=owner_ring.size)  # vertices per ring (closed: first = last)
    pos = np.arange(ring.size) - np.repeat(np.cumsum(n) - n, n)  # vertex number in its ring
    last = np.maximum(n - 2, 0) // EDGE_PIECE  # each ring's last piece (one of ≥ 1 segment)
    piece = np.minimum(pos // EDGE_PIECE, last[ring])
    # the vertices that start a piece and also end the piece before (written twice)
    join = (pos % EDGE_PIECE == 0) & (pos > 0) & (pos // EDGE_PIECE <= last[ring])
    first_piece = np.cumsum(last + 1) - (last + 1)  # each ring's first piece number, over all rings
    key = np.r_[first_piece[ring] + piece, first_piece[ring[join]] + piece[join] - 1]
    at = np.r_[pos, pos[join]]
    order = np.lexsort((at, key))  # by piece, then along the ring
    lines = shapely.linestrings(np.r_[xy, xy[join]][order], indices=key[order])
    return lines, owner_ring[np.repeat(np.arange(n.size), last + 1)]


def _default_resolution(geoms: np.ndarray, area: float) -> float:
    """As fine as ~25 million cells over the extent allow, between 0.01° and 0.25°; finer (down to
    0.001°, at most ~8 million cells) where the zones are small, so that the boundary band (points
    given the exact test) stays a small share of each zone: a 50th of the median zone's width."""
    area = max(area, 1e-6)
    res = float(np.clip(np.sqrt(area / 25e6), 0.01, 0.25))
    b = shapely.bounds(geoms) if len(geoms) else np.zeros((0, 4))
    width = np.minimum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])
    width = width[np.isfinite(width) & (width > 0)]
    if width.size:
        res = min(res, max(float(np.median(width)) / 50, np.sqrt(area / 8e6), 0.001))
    return res


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    """``np.unique`` of integers by sorting (numpy's hash-based unique is several times slower here)."""
    a = np.sort(a, axis=None)
    return a[np.r_[True, a[1:] != a[:-1]]] if a.size else a


def _ranges(start: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Concatenated ``arange(start[i], start[i] + n[i])``, vectorised."""
    return np.repeat(start, n) + (np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n))


class ZoneIndex:
    """Raster + exact-band index of a list of polygons (which may overlap).

    Parameters
    ----------
    geoms
        Polygons/MultiPolygons in lon/lat degrees, in layer order.
    resolution
        Cell size in degrees; default: as fine as ~25 million cells over the extent
        allows, between 0.01° and 0.25°, finer where the zones are small (see
        :func:`_default_resolution`).
    """

    def __init__(self, geoms: Sequence[BaseGeometry], resolution: float | None = None):
        self.geoms = list(geoms)
        for g in self.geoms:
            shapely.prepare(g)
        self.tree = shapely.STRtree(self.geoms)
        self._garr = np.asarray(self.geoms, dtype=object)
        x0, y0, x1, y1 = shapely.total_bounds(np.asarray(self.geoms, dtype=object))
        if not np.isfinite([x0, y0, x1, y1]).all():
            x0, y0, x1, y1 = 0.0, 0.0, 1.0, 1.0
        if resolution is None:
            resolution = _default_resolution(self._garr, (x1 - x0) * (y1 - y0))
        self.res = float(resolution)
        self.x0 = max(-180.0, x0 - 2 * self.res)
        self.y0 = max(-90.0, y0 - 2 * self.res)
        self.nx = int(np.ceil((min(180.0, x1 + 2 * self.res) - self.x0) / self.res)) + 1
        self.ny = int(np.ceil((min(90.0, y1 + 2 * self.res) - self.y0) / self.res)) + 1
        self._sets: list[tuple[int, ...]] = [()]
        self._set_ids: dict[tuple[int, ...], int] = {(): 0}
        self.cells = np.zeros((self.ny, self.nx), dtype=np.int32)
        self.band = np.zeros((self.ny, self.nx), dtype=bool)
        self._marks: list[tuple[np.ndarray, int]] = []  # per zone: the band cells its edges mark
        for k, g in enumerate(self.geoms):
            self._add(k, g)
        self._dilate_band()
        self._candidates = self._band_candidates()
        self._packed: np.ndarray | None = None  # cells and band in one array, for lookups
        self._coarse: tuple[np.ndarray, int] = (np.zeros((1, 1), np.int32), 1)
        self._edges: tuple[shapely.STRtree, np.ndarray] | None = None  # (:meth:`nearest`)
        first = [min(s) if s else -1 for s in self._sets]
        self._first = np.asarray(first, dtype=np.int64)

    # ------------------------------------------------------------------ build
    def _set_id(self, zones: tuple[int, ...]) -> int:
        sid = self._set_ids.get(zones)
        if sid is None:
            sid = len(self._sets)
            self._sets.append(zones)
            self._set_ids[zones] = sid
        return sid

    def _add(self, k: int, geom: BaseGeometry) -> None:
        rings = shapely.get_rings(shapely.get_parts(geom))
        if len(rings) == 0:
            return
        # boundary band: every cell a densified edge vertex falls in (dilated later)
        pts = shapely.get_coordinates(shapely.segmentize(rings, self.res / 2))
        bi = np.clip(((pts[:, 0] - self.x0) / self.res).astype(np.int64), 0, self.nx - 1)
        bj = np.clip(((pts[:, 1] - self.y0) / self.res).astype(np.int64), 0, self.ny - 1)
        self.band[bj, bi] = True
        self._marks.append((self._dilated(bj, bi), k))
        inside, (j0, i0) = self._scanline(rings)
        if not inside.any():
            return
        window = self.cells[j0 : j0 + inside.shape[0], i0 : i0 + inside.shape[1]]
        old = window[inside]
        new = old.copy()
        for sid in np.unique(old):
            new[old == sid] = self._set_id(tuple(sorted(set(self._sets[sid]) | {k})))
        window[inside] = new

    def _scanline(self, rings) -> tuple[np.ndarray, tuple[int, int]]:
        """Even-odd fill at cell centres over the rings' bounding window."""
        coords = [shapely.get_coordinates(r) for r in rings]
        a = np.concatenate([c[:-1] for c in coords])
        b = np.concatenate([c[1:] for c in coords])
        gx0, gy0 = a[:, 0].min(), a[:, 1].min()
        gx1, gy1 = a[:, 0].max(), a[:, 1].max()
        i0 = max(int(np.floor((gx0 - self.x0) / self.res)), 0)
        j0 = max(int(np.floor((gy0 - self.y0) / self.res)), 0)
        i1 = min(int(np.ceil((gx1 - self.x0) / self.res)), self.nx - 1)
        j1 = min(int(np.ceil((gy1 - self.y0) / self.res)), self.ny - 1)
        nxw, nyw = i1 - i0 + 1, j1 - j0 + 1
        ylo, yhi = np.minimum(a[:, 1], b[:, 1]), np.maximum(a[:, 1], b[:, 1])
        # rows whose centre y_c satisfies ylo <= y_c < yhi (half-open: vertices counted once)
        r0 = np.ceil((ylo - self.y0) / self.res - 0.5).astype(np.int64)
        r1 = np.ceil((yhi - self.y0) / self.res - 0.5).astype(np.int64) - 1
        r0, r1 = np.maximum(r0, j0), np.minimum(r1, j1)
        n = np.maximum(r1 - r0 + 1, 0)
        edge = np.repeat(np.arange(a.shape[0]), n)
        row = np.repeat(r0, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
        yc = self.y0 + (row + 0.5) * self.res
        t = (yc - a[edge, 1]) / (b[edge, 1] - a[edge, 1])
        xc = a[edge, 0] + t * (b[edge, 0] - a[edge, 0])
        order = np.lexsort((xc, row))
        row, xc = row[order], xc[order]
        # crossings pair up within each row: (1st, 2nd), (3rd, 4th) ...
        rank = np.arange(row.size) - np.searchsorted(row, row, side="left")
        start, stop = xc[rank % 2 == 0], xc[rank % 2 == 1]
        rows = row[rank % 2 == 0] - j0
        c0 = np.ceil((start - self.x0) / self.res - 0.5).astype(np.int64) - i0
        c1 = np.floor((stop - self.x0) / self.res - 0.5).astype(np.int64) - i0
        c0, c1 = np.clip(c0, 0, nxw), np.clip(c1 + 1, 0, nxw)
        diff = np.zeros((nyw, nxw + 1), dtype=np.int32)
        ok = c1 > c0
        np.add.at(diff, (rows[ok], c0[ok]), 1)
        np.add.at(diff, (rows[ok], c1[ok]), -1)
        inside = np.cumsum(diff[:, :-1], axis=1) > 0
        return inside, (j0, i0)

    def _dilated(self, bj: np.ndarray, bi: np.ndarray) -> np.ndarray:
        """Flat cells of ``(bj, bi)`` and their 8 neighbours (the band's dilation), unique."""
        cells = _sorted_unique(bj * self.nx + bi)
        j, i = cells // self.nx, cells % self.nx
        dj, di = np.meshgrid([-1, 0, 1], [-1, 0, 1], indexing="ij")
        jj = np.clip(j[:, None] + dj.ravel(), 0, self.ny - 1)
        ii = np.clip(i[:, None] + di.ravel(), 0, self.nx - 1)
        return _sorted_unique(jj.ravel() * self.nx + ii.ravel())

    def _band_candidates(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per band cell, the zones whose edges come within a cell of it (sorted cells, offsets, zones):
        with the zones covering its centre, every zone that can hold a point of the cell."""
        if not self._marks:
            return np.zeros(0, np.int64), np.zeros(1, np.int64), np.zeros(0, np.int64)
        cell = np.concatenate([c for c, _ in self._marks])
        zone = np.concatenate([np.full(c.size, k, np.int64) for c, k in self._marks])
        order = np.lexsort((zone, cell))
        cell, zone = cell[order], zone[order]
        cells, start = np.unique(cell, return_index=True)
        self._marks = []
        return cells, np.r_[start, cell.size], zone

    def _dilate_band(self) -> None:
        b = self.band
        d = b.copy()
        d[1:, :] |= b[:-1, :]
        d[:-1, :] |= b[1:, :]
        e = d.copy()
        e[:, 1:] |= d[:, :-1]
        e[:, :-1] |= d[:, 1:]
        self.band = e

    # ------------------------------------------------------------------ query
    def _split(self, lon, lat):
        """Wrapped positions, each one's cell's zone set (0 outside), whether it needs the exact test."""
        lon = np.ascontiguousarray(lon, dtype=float)
        lat = np.ascontiguousarray(lat, dtype=float)
        self._lookup_tables()
        coarse, k = self._coarse
        sid, exact, cell = _raster_lookup(lon, lat, self.x0, self.y0, self.res, self._packed, coarse, k)
        return wrap_lon(lon), lat, sid, exact, cell

    def _lookup_tables(self) -> None:
        """Cells and band in one array, and its coarse level (made at the first lookup)."""
        if self._packed is None:
            self._packed = self.cells | np.where(self.band, _BAND_BIT, np.int32(0))
            self._coarse = _coarse_level(self._packed)

    def _set_members(self) -> tuple[np.ndarray, np.ndarray]:
        """The zone sets flat: offsets and zones."""
        if getattr(self, "_flat_sets", None) is None:
            sizes = np.array([len(s) for s in self._sets], dtype=np.int64)
            flat = np.array([z for s in self._sets for z in s], dtype=np.int64)
            self._flat_sets = (np.r_[0, np.cumsum(sizes)], flat)
        return self._flat_sets

    def _exact(self, lon, lat, sid, cell) -> tuple[np.ndarray, np.ndarray]:
        """(point, zone) memberships of band points by the exact test, over each point's candidates only
        (its cell's band zones and the zones covering the cell's centre), sorted by point then zone."""
        cells, offs, zones = self._candidates
        at = np.minimum(np.searchsorted(cells, cell), max(cells.size - 1, 0))
        found = cells[at] == cell if cells.size else np.zeros(cell.size, bool)
        lo = np.where(found, offs[at], 0)
        n1 = np.where(found, offs[np.minimum(at + 1, offs.size - 1)] - lo, 0)
        soffs, sflat = self._set_members()
        n2 = soffs[sid + 1] - soffs[sid]
        p = np.r_[np.repeat(np.arange(cell.size), n1), np.repeat(np.arange(cell.size), n2)]
        z = np.r_[zones[_ranges(lo, n1)], sflat[_ranges(soffs[sid], n2)]]
        key = _sorted_unique(p * max(len(self.geoms), 1) + z)
        p, z = key // max(len(self.geoms), 1), key % max(len(self.geoms), 1)
        hit = shapely.intersects_xy(self._garr[z], lon[p], lat[p])
        return p[hit], z[hit]

    def first(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Index of the first zone (layer order) covering each point; -1 if none.

        Compiled (:mod:`._index_kernels`) but for the exact test of the band points: the answers of
        :meth:`_first_numpy`, in one pass and mostly without the GIL."""
        lon = np.ascontiguousarray(lon, dtype=float)
        lat = np.ascontiguousarray(lat, dtype=float)
        self._lookup_tables()
        coarse, k = self._coarse
        out, e, cell, sid = IK.first_lookup(
            lon, lat, self.x0, self.y0, self.res, self._packed, coarse, k, self._first
        )
        if e.size:
            cells, offs, zones = self._candidates
            soffs, sflat = self._set_members()
            p, z = IK.band_pairs(cell, sid, cells, offs, zones, soffs, sflat)
            hit = shapely.intersects_xy(self._garr[z], wrap_lon(lon[e])[p], lat[e][p])
            IK.first_hits(out, e, p, z, hit)
        return out

    def _first_numpy(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """:meth:`first` with numpy (the reference its compiled form is tested against)."""
        lon, lat, sid, exact, cell = self._split(lon, lat)
        out = self._first[sid]
        e = np.flatnonzero(exact)
        if e.size:
            p, z = self._exact(lon[e], lat[e], sid[e], cell[e])
            res = np.full(e.size, -1, dtype=np.int64)
            # pairs are sorted by point then zone: the first pair of each point is its first zone
            firsts = np.concatenate(([True], p[1:] != p[:-1])) if p.size else np.empty(0, bool)
            res[p[firsts]] = z[firsts]
            out[e] = res
        return out

    def query(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """All (point, zone) memberships, sorted by point then zone (like :func:`exact_query`)."""
        lon, lat, sid, exact, cell = self._split(lon, lat)
        easy = np.flatnonzero(~exact & (sid > 0))
        offs, flat = self._set_members()
        n = offs[sid[easy] + 1] - offs[sid[easy]]
        p1 = np.repeat(easy, n)
        z1 = flat[np.repeat(offs[sid[easy]], n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))]
        e = np.flatnonzero(exact)
        p2, z2 = self._exact(lon[e], lat[e], sid[e], cell[e]) if e.size else (np.empty(0, np.int64),) * 2
        p = np.r_[p1, e[p2]]
        z = np.r_[z1, z2]
        order = np.lexsort((z, p))
        return p[order].astype(np.int64), z[order].astype(np.int64)

    def nearest(self, lon: np.ndarray, lat: np.ndarray, within: float) -> tuple[np.ndarray, np.ndarray]:
        """(point, zone) of each point within ``within`` degrees of a zone: its nearest zone, and among
        zones equally near the first in layer order. For points that no zone covers (a zone's distance
        is then the distance to its boundary): measured to short pieces of the boundaries
        (:func:`_edge_pieces`), so each distance costs a few segments, not a whole coastline."""
        tree, owner = self._edge_tree()
        pts = shapely.points(wrap_lon(np.asarray(lon, float)), np.asarray(lat, float))
        p, q = tree.query_nearest(pts, max_distance=within, all_matches=True)
        z = owner[q]
        order = np.lexsort((z, p))
        p, z = p[order], z[order]
        first = np.concatenate(([True], p[1:] != p[:-1])) if p.size else np.empty(0, bool)
        return p[first].astype(np.int64), z[first].astype(np.int64)

    def _edge_tree(self) -> tuple[shapely.STRtree, np.ndarray]:
        if self._edges is None:
            lines, owner = _edge_pieces(self.geoms)
            self._edges = (shapely.STRtree(lines), owner)
        return self._edges

    @property
    def band_fraction(self) -> float:
        """Share of raster cells answered by the exact test."""
        return float(self.band.mean())
