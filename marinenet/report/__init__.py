"""Figures and (later) the HTML/PDF report of a run; reads results only."""
