"""``marinenet fetch wind`` / ``fetch waves``: where to get 10 m wind and Stokes drift, as commands to run.

Nothing is downloaded here (both services need a personal account and key, which marinenet never
handles): the text names the service, the toolbox and the exact request for a box and dates, and
the ``ocean:`` keys that read the result.
"""

from __future__ import annotations

__all__ = ["instructions", "KINDS"]

KINDS = ("wind", "waves")

_WIND = """10 m wind (behaviour.windage): ERA5 hourly on single levels, from the Copernicus Climate Data Store
(CDS), with its API toolbox 'cdsapi' (pip install cdsapi; a free CDS account, and your API key in
~/.cdsapirc: https://cds.climate.copernicus.eu/how-to-api). Accept the ERA5 licence once on its page.

    import cdsapi
    cdsapi.Client().retrieve("reanalysis-era5-single-levels", {{
        "product_type": ["reanalysis"],
        "variable": ["10m_u_component_of_wind", "10m_v_component_of_wind"],
        "date": "{start}/{end}",
        "time": [f"{{h:02d}}:00" for h in range(24)],
        "area": [{north}, {west}, {south}, {east}],   # north, west, south, east
        "data_format": "netcdf",
    }}, "wind_era5.nc")

The file holds u10 and v10 in m/s (found by name); in the scenario:

    ocean: {{source: currents.nc, wind: wind_era5.nc}}
    behaviour: {{windage: 0.02}}

Cite: Hersbach et al. (2023), ERA5 hourly data on single levels from 1940 to present, Copernicus Climate
Change Service (C3S) Climate Data Store, doi:10.24381/cds.adbb2d47."""

_WAVES = """Sea-surface Stokes drift (behaviour.stokes): the CMEMS global wave products, with the Copernicus
Marine toolbox (pip install copernicusmarine, then 'copernicusmarine login' once with a free account).
Reanalysis (1980 on, 0.2 deg, 3-hourly): dataset cmems_mod_glo_wav_my_0.2deg_PT3H-i
(GLOBAL_MULTIYEAR_WAV_001_032); analysis and forecast (recent years, 1/12 deg):
cmems_mod_glo_wav_anfc_0.083deg_PT3H-i (GLOBAL_ANALYSISFORECAST_WAV_001_027). Check the dataset ids in the
Copernicus Marine catalogue (they change with product versions).

    copernicusmarine subset --dataset-id cmems_mod_glo_wav_my_0.2deg_PT3H-i \\
        --variable VSDX --variable VSDY \\
        --minimum-longitude {west} --maximum-longitude {east} \\
        --minimum-latitude {south} --maximum-latitude {north} \\
        --start-datetime {start} --end-datetime {end} \\
        --output-directory . --output-filename waves_cmems.nc

VSDX and VSDY (m/s, standard names sea_surface_wave_stokes_drift_x/y_velocity) are found by name; in the
scenario:

    ocean: {{source: currents.nc, waves: waves_cmems.nc}}
    behaviour: {{stokes: true}}

Cite: E.U. Copernicus Marine Service Information (CMEMS), the product's DOI on its catalogue page."""

_BOTH = """
The files may have their own grid and time step (they are interpolated to the particles), but must cover
the currents' whole domain and the run's dates: for a backward run (simulation.direction: backward) the
dates from release.start minus simulation.duration to release.start."""


def instructions(
    what: str,
    bbox: tuple[float, float, float, float] | None = None,
    start: str | None = None,
    end: str | None = None,
) -> str:
    """How to get ``what`` (``wind`` or ``waves``) for ``bbox`` (W, S, E, N) and ``[start, end]`` (dates)."""
    west, south, east, north = bbox if bbox is not None else ("WEST", "SOUTH", "EAST", "NORTH")
    text = _WIND if what == "wind" else _WAVES
    fields = dict(west=west, south=south, east=east, north=north, start=start or "START", end=end or "END")
    return text.format(**fields) + "\n" + _BOTH
