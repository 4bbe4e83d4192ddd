"""Egg rise: marinenet's behaviour.egg against OpenDrift's PelagicEggDrift on the same inputs.

Still water, uniform 10 degC and salinity 35, an egg of 1.0 mm whose density is that of water of
salinity 34 at 10 degC (OpenDrift's neutral_buoyancy_salinity = 34), released at 50 m; no
turbulent mixing (OpenDrift: diffusivity 0). Both use Stokes' law (Reynolds number < 0.5 here)
and the viscosity of Sharqawy et al. (2010). Both compare the egg with the water at surface
pressure: OpenDrift with UNESCO (1983) density at one atmosphere, marinenet with the TEOS-10
potential density referenced to the surface (gsw.rho(SA, CT, 0)), so in uniform water the density
difference, and the rise speed, are the same at every depth. What remains is the difference
between the two equations of state at the surface (a few 0.001 kg/m3).

Run with marinenet's environment; OpenDrift runs in its own (``--odvenv``, default /work/odvenv):

    python scripts/compare_opendrift_eggs.py [--odvenv /work/odvenv]

Prints the depth every hour from both, the time to reach 1 m below the surface, and the two
closed forms t = (z0 - 1 m) / (K dr), K = g d^2 / (18 mu), dr the surface density difference by
UNESCO (OpenDrift) and by TEOS-10 (marinenet).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

T, S, S_EGG, D_MM, Z0, HOURS, DT = 10.0, 35.0, 34.0, 1.0, 50.0, 72, 600.0

_OPENDRIFT = r"""
import json, sys
from datetime import datetime, timedelta
import numpy as np
from opendrift.models.pelagicegg import PelagicEggDrift
from opendrift.readers import reader_constant
T, S, S_EGG, D_MM, Z0, HOURS, DT = json.loads(sys.argv[1])
o = PelagicEggDrift(loglevel=50)
o.add_reader(reader_constant.Reader({
    "x_sea_water_velocity": 0.0, "y_sea_water_velocity": 0.0, "sea_water_temperature": T,
    "sea_water_salinity": S, "ocean_vertical_diffusivity": 0.0, "sea_floor_depth_below_sea_level": 500.0,
    "land_binary_mask": 0.0, "x_wind": 0.0, "y_wind": 0.0,
}))
o.set_config("general:use_auto_landmask", False)
o.set_config("drift:vertical_mixing", True)
o.set_config("vertical_mixing:diffusivitymodel", "environment")
o.seed_elements(lon=4.0, lat=60.0, z=-Z0, time=datetime(2021, 3, 1), number=1, diameter=D_MM / 1000.0,
                neutral_buoyancy_salinity=S_EGG)
o.run(duration=timedelta(hours=HOURS), time_step=DT, time_step_output=3600)
z = -np.asarray(o.result.z.values, float)[0]
rho_egg = float(o.sea_water_density(T=T, S=S_EGG))
rho_w = float(o.sea_water_density(T=T, S=S))
print(json.dumps({"depth": z.tolist(), "rho_egg": rho_egg, "rho_w": rho_w}))
"""


def opendrift(odvenv: str) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(_OPENDRIFT)
    args = json.dumps([T, S, S_EGG, D_MM, Z0, HOURS, DT])
    out = subprocess.run([f"{odvenv}/bin/python", f.name, args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def marinenet(rho_egg: float) -> list[float]:
    from types import SimpleNamespace

    import numpy as np

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from marinenet.behaviour import egg
    from marinenet.behaviour.config import Egg
    from marinenet.engine import EngineRequest, run_engine
    from marinenet.ocean.reader import open_currents
    from tests.bio_fixtures import T0, write

    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp) / "ts.nc", T, S, depths=[0, 10, 25, 50, 75, 100], days=4)
        ds = open_currents(
            str(path), None, T0, T0 + np.timedelta64(4, "D"), three_d=True, tracers=("thetao", "so")
        )
    cfg = Egg(density=rho_egg, diameter=D_MM, hatch="30 days")
    params = egg.from_scenario(SimpleNamespace(behaviour=SimpleNamespace(egg=cfg)), ds, {})
    req = EngineRequest(ds, np.array([0.0]), np.array([0.0]), T0, HOURS * 3600.0, DT, 3600.0, behaviours=(params,),
                        depth=Z0)  # fmt: skip
    return run_engine("fast", req).depth[0].tolist()


def first_below(z, level=1.0) -> float:
    for k, v in enumerate(z):
        if v <= level:
            return float(k)
    return math.nan


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--odvenv", default="/work/odvenv")
    a = ap.parse_args()
    od = opendrift(a.odvenv)
    mn = marinenet(od["rho_egg"])
    from marinenet.behaviour.seawater import G, potential_density, viscosity

    k = G * (D_MM / 1000.0) ** 2 / (18.0 * viscosity(T, S))
    dr0 = float(potential_density(T, S, 0.0, 4.0, 60.0)) - od["rho_egg"]
    t_flat = (Z0 - 1.0) / (k * (od["rho_w"] - od["rho_egg"])) / 3600.0
    t_teos = (Z0 - 1.0) / (k * dr0) / 3600.0
    print(f"egg density {od['rho_egg']:.4f} kg/m3 (water of S {S_EGG} at {T} degC, UNESCO 1 atm); "
          f"water: UNESCO {od['rho_w']:.4f}, TEOS-10 surface {dr0 + od['rho_egg']:.4f}")  # fmt: skip
    print("hour  opendrift_depth_m  marinenet_depth_m")
    for h in range(0, min(len(od["depth"]), len(mn)), 6):
        print(f"{h:4d}  {od['depth'][h]:17.3f}  {mn[h]:17.3f}")
    print(
        f"hours to 1 m: OpenDrift {first_below(od['depth'])}, marinenet {first_below(mn)} (first hourly output)"
    )
    print(f"closed forms: UNESCO at 1 atm {t_flat:.2f} h; TEOS-10 potential density {t_teos:.2f} h")


if __name__ == "__main__":
    main()
