import pytest

from marinenet.units import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("30 days", 30 * 86400),
        ("1 hour", 3600),
        ("90 min", 5400),
        ("6h", 21600),
        ("1.5 days", 129600),
        ("2 weeks", 14 * 86400),
        ("45 s", 45),
    ],
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("bad", ["30", "30 fortnights", "days", "", "1 hour 30 min"])
def test_parse_duration_rejects(bad):
    with pytest.raises(ValueError):
        parse_duration(bad)


def test_bare_number_asks_for_a_unit():
    with pytest.raises(ValueError, match="with its unit"):
        parse_duration(30)


@pytest.mark.parametrize("seconds", [3600, 86400, 30 * 86400, 5400, 45, 7 * 86400])
def test_format_round_trips(seconds):
    assert parse_duration(format_duration(seconds)) == seconds
