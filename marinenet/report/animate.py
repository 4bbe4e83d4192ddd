"""Animation of a run: particles spreading over the zones and the land, coloured by release source.

``marinenet animate OUT`` (or ``outputs: {animation: true}`` in the scenario, which also shows it
in report.html) writes ``OUT/animation.gif`` with matplotlib and Pillow only; an ``.mp4`` path
is written through ``imageio-ffmpeg`` when it is installed. One frame per stored output time (every
k-th when there are more than ``max_frames``), a date stamp on each, the whole domain in view.
A particle that has stopped (stranded, left the domain, settled, died) stays, faded, where it stopped.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.lines import Line2D

from ..errors import InputDataError
from .build import RunFiles
from .maps import _PC, _base_axes, _draw_zones, draw_overlays

__all__ = ["animate", "animation_section", "ANIMATION_NAME"]

ANIMATION_NAME = "animation.gif"
#: largest animation report.html embeds (base64 adds a third); larger ones are linked
EMBED_MAX_BYTES = 6_000_000


@dataclass(frozen=True)
class _Frames:
    """What every frame draws: chosen particles, their colours, the frame times."""

    times: np.ndarray  # datetime64, per frame
    cols: np.ndarray  # column of each frame in the stored tracks
    lon: np.ndarray  # (particle, frame)
    lat: np.ndarray
    end_lon: np.ndarray
    end_lat: np.ndarray
    end_time: np.ndarray
    colour: np.ndarray  # (particle, 4) RGBA
    legend: list[tuple[str, tuple]]  # (source, RGBA) of every source


def _track_times(tr) -> np.ndarray:
    """Output times of the stored tracks: ``time(time)``, or the first valid time of each column (older runs)."""
    t = tr["time"].values
    if t.ndim == 1:
        return t
    out = np.full(t.shape[1], np.datetime64("NaT"), dtype=t.dtype)
    for k in range(t.shape[1]):
        ok = ~np.isnat(t[:, k])
        if ok.any():
            out[k] = t[ok, k][0]
    return out


def _frames(tr, max_particles: int, max_frames: int) -> _Frames:
    n = tr.sizes.get("trajectory", 0)
    if n == 0:
        raise InputDataError(
            "trajectories.nc holds no tracks (simulation.trajectories: none): nothing to animate; "
            "run again with simulation.trajectories: all or a number"
        )
    pick = np.unique(np.linspace(0, n - 1, min(n, max_particles)).round().astype(int))
    times = _track_times(tr)
    cols = np.flatnonzero(~np.isnat(times))
    cols = cols[:: max(1, int(np.ceil(cols.size / max_frames)))]
    if cols.size and cols[-1] != np.flatnonzero(~np.isnat(times))[-1]:
        cols = np.r_[cols, np.flatnonzero(~np.isnat(times))[-1]]  # always end on the last output
    sources = tr["release_source"].values  # (no text copy of every track's label: 10^7 tracks are GBs)
    names = sorted({str(s) for s in pd.unique(sources)})
    cmap = matplotlib.colormaps["tab10" if len(names) <= 10 else "tab20"]
    rgba = {s: cmap(i % cmap.N) for i, s in enumerate(names)}  # the colours of the report's track map
    return _Frames(
        times=times[cols],
        cols=cols,
        lon=tr["lon"].values[pick][:, cols],
        lat=tr["lat"].values[pick][:, cols],
        end_lon=tr["end_lon"].values[pick],
        end_lat=tr["end_lat"].values[pick],
        end_time=tr["end_time"].values[pick],
        colour=np.array([rgba[str(s)] for s in sources[pick]]),
        legend=[(s, rgba[s]) for s in names],
    )


def _stamp(t: np.datetime64, t0: np.datetime64) -> str:
    day = (t - t0) / np.timedelta64(1, "D")
    return f"{np.datetime_as_string(t, unit='m').replace('T', ' ')} UTC · day {day:g}"


def _render(run: RunFiles, fr: _Frames, dpi: float) -> list:
    """RGB frames (PIL images): the map drawn once, the particles and the date blitted on it."""
    from PIL import Image

    main = run.main_layer
    zones = run.zones.get(main) if main else next(iter(run.zones.values()), None)
    fig, ax = _base_axes(
        run.snapshot["land"],
        f"{run.summary.name or 'run'}: particles spreading",
        run.summary.synthetic,
    )
    canvas = FigureCanvasAgg(fig)
    fig.set_dpi(dpi)
    _draw_zones(ax, zones, label=False)
    handles = draw_overlays(
        ax, {n: g for n, g in run.zones.items() if n != main and n.startswith(("ebsa", "mpa"))}
    )
    handles += [Line2D([], [], marker="o", ls="", color=c, label=f"from {s}") for s, c in fr.legend[:12]]
    if handles:
        ax.legend(handles=handles, loc="upper left", fontsize=7, framealpha=0.85).set_zorder(12)
    moving = ax.scatter([], [], s=5, transform=_PC, zorder=6, linewidths=0, animated=True)
    stopped = ax.scatter([], [], s=5, transform=_PC, zorder=5, linewidths=0, alpha=0.35, animated=True)
    stamp = ax.text(0.99, 0.99, "", transform=ax.transAxes, ha="right", va="top", fontsize=10, zorder=13,
                    animated=True, bbox=dict(facecolor="white", alpha=0.85, edgecolor="none"))  # fmt: skip
    canvas.draw()
    background = canvas.copy_from_bbox(fig.bbox)
    box = fig.get_tightbbox(canvas.get_renderer()).padded(0.08)  # inches: crop the figure's empty margins
    height = canvas.get_width_height()[1]
    crop = tuple(round(v) for v in (box.x0 * dpi, height - box.y1 * dpi, box.x1 * dpi, height - box.y0 * dpi))
    images = []
    t0 = fr.times[0]
    for k, t in enumerate(fr.times):
        on = np.isfinite(fr.lon[:, k])
        done = ~on & (fr.end_time <= t) & np.isfinite(fr.end_lon)
        canvas.restore_region(background)
        moving.set_offsets(np.c_[fr.lon[on, k], fr.lat[on, k]])
        moving.set_facecolor(fr.colour[on])
        stopped.set_offsets(np.c_[fr.end_lon[done], fr.end_lat[done]])
        stopped.set_facecolor(fr.colour[done])
        stamp.set_text(_stamp(t, t0))
        for artist in (stopped, moving, stamp):
            ax.draw_artist(artist)
        frame = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
        images.append(frame.crop(crop).convert("RGB"))
    return images


def _save_gif(images: list, path: Path, fps: float, colours: list[tuple]) -> None:
    """One palette for all frames (no flicker): the map's colours plus the exact source ``colours``."""
    from PIL import Image

    probe = [images[0], images[len(images) // 2], images[-1]]
    w, h = images[0].size
    mosaic = Image.new("RGB", (w, h * len(probe)))
    for i, im in enumerate(probe):
        mosaic.paste(im, (0, i * h))
    exact = [round(255 * c) for rgba in colours for c in rgba[:3]]
    base = mosaic.quantize(
        colors=256 - len(colours), method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    palette = Image.new("P", (1, 1))
    palette.putpalette((base.getpalette() or [])[: 3 * (256 - len(colours))] + exact)
    frames = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in images]
    frames[0].save(
        path, save_all=True, append_images=frames[1:], duration=round(1000 / fps), loop=0, optimize=False
    )


def _save_mp4(images: list, path: Path, fps: float) -> None:
    try:
        import imageio_ffmpeg
    except ImportError as exc:
        raise InputDataError(
            f"writing {path.name}: MP4 needs the imageio-ffmpeg package (pip install imageio-ffmpeg); "
            "without it write a GIF (the default)"
        ) from exc
    w, h = (s - s % 2 for s in images[0].size)  # H.264 wants even sizes
    writer = imageio_ffmpeg.write_frames(str(path), (w, h), fps=fps, macro_block_size=1, quality=7)
    writer.send(None)
    for im in images:
        writer.send(np.ascontiguousarray(np.asarray(im)[:h, :w]).tobytes())
    writer.close()


def animate(
    run_dir: Path | str | RunFiles,
    path: Path | str | None = None,
    *,
    max_particles: int = 2000,
    max_frames: int = 90,
    fps: float = 4.0,
    dpi: float = 100.0,
    max_bytes: int = 10_000_000,
) -> Path:
    """Write the animation of the run in ``run_dir`` (a folder, or its :class:`RunFiles`); returns its path.

    Parameters
    ----------
    path
        ``.gif`` (default ``run_dir/animation.gif``) or ``.mp4`` (needs imageio-ffmpeg).
    max_particles, max_frames
        Particles drawn (evenly spread over the stored tracks) and frames (every k-th output time).
    max_bytes
        A GIF larger than this is redrawn smaller (fewer frames, lower resolution), down to a floor.
    """
    run = run_dir if isinstance(run_dir, RunFiles) else RunFiles.read(Path(run_dir))
    path = Path(path) if path is not None else run.root / ANIMATION_NAME
    if path.suffix.lower() not in (".gif", ".mp4"):
        raise InputDataError(f"animation file {path}: the name must end in .gif or .mp4")
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = min(max_frames, run.trajectories.sizes.get("time", max_frames))
    for attempt in range(4):  # too large: half the frames and 15 % fewer pixels each time
        fr = _frames(run.trajectories, max_particles, max(2, frames >> attempt))
        images = _render(run, fr, dpi * 0.85**attempt)
        if path.suffix.lower() == ".mp4":
            _save_mp4(images, path, fps)
            break
        _save_gif(images, path, fps, list(dict.fromkeys(c for _, c in fr.legend)))
        if path.stat().st_size <= max_bytes:
            break
    return path


def animation_section(root: Path) -> str:
    """The report's animation: embedded when ``animation.gif`` is small, else a link; '' when absent."""
    gif = Path(root) / ANIMATION_NAME
    if not gif.is_file():
        return ""
    alt = "Animation: the particles spreading from their release zones, one frame per output time."
    if gif.stat().st_size <= EMBED_MAX_BYTES:
        data = base64.b64encode(gif.read_bytes()).decode("ascii")
        body = f'<img alt="{html.escape(alt, quote=True)}" src="data:image/gif;base64,{data}">'
    else:
        body = f'<p><a href="{ANIMATION_NAME}">{ANIMATION_NAME}</a> (too large to embed)</p>'
    return (
        f"<figure><h3>Particles spreading</h3>{body}<figcaption>{html.escape(alt)} Coloured by release "
        "source; faded points have stopped (stranded, left the domain, settled or died).</figcaption></figure>"
    )
