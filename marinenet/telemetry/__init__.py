"""Real animal tracks in, the same jurisdiction analytics as for simulated particles out."""

from .analytics import TrackAnalytics, analyse_tracks
from .readers import read_tracks, speed_filter

__all__ = ["read_tracks", "speed_filter", "analyse_tracks", "TrackAnalytics"]
