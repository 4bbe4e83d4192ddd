"""Connectivity matrices from particle origins and fates.

Convention: rows = source (zone where a particle was released), columns = destination
(zone where it ended, or an explicit outcome such as ``stranded`` / ``out_of_domain``).
Raw counts are stored; every row sums to the particles released from its source.
"""

from __future__ import annotations

from .matrix import connectivity_matrix, tidy_table

__all__ = ["connectivity_matrix", "tidy_table"]
