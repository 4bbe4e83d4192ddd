"""Closed forms of the temperature and egg rules (marinenet.behaviour.development, .seawater).

Expected values come from the publications' formulas written out here, published reference
values (EOS-80 / IAPWS check values) and hand arithmetic, not from the functions tested.
"""

import math

import numpy as np
import pytest

from marinenet.behaviour import development as dv
from marinenet.behaviour import seawater as sw


def oconnor_pld_ratio(t, tref):
    """PLD(T) / PLD(Tref) of O'Connor et al. (2007), universal model (written out)."""
    L = lambda x: math.log(x / 15.0)  # noqa: E731
    return math.exp(-1.34 * (L(t) - L(tref)) - 0.28 * (L(t) ** 2 - L(tref) ** 2))


@pytest.mark.parametrize(("t", "expected"), [(20.0, 1.0), (30.0, 2.0), (10.0, 0.5), (25.0, 2**0.5)])
def test_q10_rate(t, expected):
    assert dv.rate(dv.Q10, t, 20.0, 2.0) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(("t", "tref"), [(25.0, 20.0), (10.0, 20.0), (28.0, 15.0), (5.0, 27.0)])
def test_oconnor_rate_is_pld_ratio(t, tref):
    assert dv.rate(dv.OCONNOR, t, tref, 0.0) == pytest.approx(1.0 / oconnor_pld_ratio(t, tref), rel=1e-12)


def test_oconnor_warmer_is_faster_and_floor_at_the_vertex():
    temps = np.array([2.0, 10.0, 20.0, 30.0])
    r = dv.rate(dv.OCONNOR, temps, 20.0, 0.0)
    assert np.all(np.diff(r) > 0)
    assert dv.OCONNOR_TMIN == pytest.approx(15 * math.exp(-1.34 / (2 * -0.28) * -1), rel=1e-12)
    assert dv.rate(dv.OCONNOR, 0.5, 20.0, 0.0) == dv.rate(dv.OCONNOR, dv.OCONNOR_TMIN, 20.0, 0.0)


def test_development_along_a_history():
    dt = 3600.0
    got = dv.development(dv.Q10, [20.0, 30.0, 10.0, 20.0], dt, 20.0, 2.0)
    assert got == pytest.approx(np.array([1.0, 3.0, 3.5, 4.5]) * dt, rel=1e-12)


def test_lethal_limits_and_mortality_scale():
    assert list(dv.lethal(np.array([11.9, 12.0, 32.0, 32.1]), 12.0, 32.0)) == [True, False, False, True]
    assert dv.mortality_scale(30.0, 20.0, 3.0) == pytest.approx(3.0)
    assert dv.mortality_scale(10.0, 20.0, 1.0) == 1.0


def test_degree_days():
    assert dv.degree_days(10.0, 6 * 86400.0) == pytest.approx(60.0)
    assert dv.degree_days(-1.5, 86400.0) == 0.0


@pytest.mark.parametrize(("t", "expected"), [(25.0, 1023.343), (5.0, 1027.675), (0.0, 1028.106)])
def test_density_matches_eos80_check_values_at_the_surface(t, expected):
    # EOS-80 (UNESCO 1981) check values at S = 35, p = 0 (potential = in-situ temperature there);
    # TEOS-10 agrees with them to a few 0.001 kg/m3 for standard seawater
    assert sw.potential_density(t, 35.0, 0.0, -30.0, 0.0) == pytest.approx(expected, abs=0.02)


def test_density_is_the_potential_density_at_the_surface_pressure_at_any_depth():
    # an egg's density is given at surface pressure and the egg compresses like the water, so the
    # water's density is taken at 0 dbar: 1000 m down it is still the surface check value
    # (EOS-80, 25 degC, S 35), not the in-situ density ~4.4 kg/m3 higher (rho g / c^2 per metre)
    assert sw.potential_density(25.0, 35.0, 1000.0, -30.0, 0.0) == pytest.approx(1023.343, abs=0.02)
    # uniform water: the same density at every depth, but for the tiny pressure dependence of
    # Absolute Salinity (< 0.001 kg/m3 over 200 m), against 0.9 kg/m3 of compression
    deep, top = (sw.potential_density(20.0, 35.0, z, 0.0, 45.0) for z in (200.0, 0.0))
    assert abs(deep - top) < 0.002


@pytest.mark.parametrize(
    ("t", "s", "expected"), [(20.0, 0.0, 1.0016e-3), (10.0, 0.0, 1.3059e-3), (20.0, 35.0, 1.08e-3)]
)
def test_viscosity(t, s, expected):
    # pure water: IAPWS 2008 values; seawater at 20 degC, S 35: about 1.08e-3 Pa s (Sharqawy et al. 2010, table 6)
    assert sw.viscosity(t, s) == pytest.approx(expected, rel=0.01)


def test_stokes_terminal_velocity():
    assert sw.terminal_velocity(1026.0, 1025.0, 1e-3, 1e-3) == pytest.approx(9.81e-6 / 18e-3, rel=1e-12)
    assert sw.terminal_velocity(1025.0, 1026.0, 2e-3, 1e-3) == pytest.approx(-4 * 9.81e-6 / 18e-3, rel=1e-12)
    assert sw.reynolds(5e-4, 1e-3, 1000.0, 1e-3) == pytest.approx(0.5)
