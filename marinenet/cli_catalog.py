"""Commands that describe rather than run: ``marinenet zones | profiles | schema``.

Registered on the app in :mod:`marinenet.cli`; each imports what it needs when called, so
``marinenet --help`` stays light.
"""

from __future__ import annotations

import re
from pathlib import Path

import typer

__all__ = ["zones", "profiles", "schema"]

#: where each official format takes the zone ids from (generic files: the ``id`` key / --id)
_ID_FIELD = {
    "marineregions": "GEONAME (eez level), territory / sovereign names (other levels)",
    "ebsa": "the area name (NAME)",
    "wdpa": "NAME (WDPAID)",
}


def zones(
    source: Path = typer.Argument(
        ..., help="A scenario YAML file, or a polygon file (GeoJSON, GeoPackage, Shapefile)."
    ),
    zone_id: str | None = typer.Option(None, "--id", help="Polygon file: the field naming each zone."),
    zone_format: str = typer.Option(
        "generic", "--format", help="Polygon file: generic | marineregions | ebsa | wdpa"
    ),
) -> None:
    """List the zone layers of a scenario or a polygon file: id field, zone count and zone ids.

    A polygon file without --id lists its fields, to choose one.
    """
    from .cli import _user_errors

    with _user_errors():
        if source.suffix.lower() in (".yaml", ".yml"):
            from .scenario import load_scenario

            configs = load_scenario(source).zones
        else:
            configs = {"zones": _file_config(source, zone_id, zone_format)}
            if configs["zones"] is None:
                return
        for name, cfg in configs.items():
            _print_layers(name, cfg)


def _file_config(path: Path, zone_id: str | None, zone_format: str):
    """The layer config of a polygon file; None (after listing its fields) when the id field is missing."""
    from pydantic import ValidationError

    from ._schema import format_validation_error
    from .cli import out
    from .errors import InputDataError, ScenarioError
    from .scenario import ZoneLayerConfig

    if not path.exists():
        raise InputDataError(f"{path}: file not found")
    if zone_format == "generic" and zone_id is None:
        _print_fields(path)
        out.print("give the field naming each zone with --id FIELD (in a scenario: id: FIELD)")
        return None
    try:
        return ZoneLayerConfig.model_validate(
            {"path": str(path), "format": zone_format, "id": zone_id if zone_format == "generic" else None}
        )
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(exc, "marinenet zones", ZoneLayerConfig)) from None


def _print_fields(path: Path) -> None:
    from rich.markup import escape
    from rich.table import Table

    from .cli import out
    from .zones import _read

    frame = _read(path.stem, str(path))
    table = Table(title=escape(f"{path}: {len(frame)} polygons"))
    for col in ("field", "distinct values", "first values"):
        table.add_column(col)
    for col in frame.columns:
        if col == frame.geometry.name:
            continue
        values = frame[col].astype(str)
        table.add_row(escape(col), f"{values.nunique():,}", escape(", ".join(values.iloc[:3])))
    out.print(table)


def _print_layers(name: str, cfg) -> None:
    from rich.markup import escape

    from .cli import out
    from .zones import load_layers

    if cfg.source == "grid":
        out.print(
            escape(f"layer {name}: regular {cfg.cell:g}° cells over the currents' domain (made at run time)")
        )
        return
    if cfg.source == "demo":
        id_field = "id (demo seascape)"
    else:
        id_field = cfg.id if cfg.format == "generic" else _ID_FIELD[cfg.format]
    for lname, layer in load_layers(name, cfg).items():
        ids = layer.ids
        head = (
            f"layer {lname}: {len(ids)} zones; id field: {id_field}; outside every polygon: "
            f"{layer.outside}" + (f"; {cfg.path}" if cfg.path else "")
        )
        out.print(escape(head), highlight=False, soft_wrap=True)
        for zone in ids:
            out.print(escape(f"  {zone}"), highlight=False, soft_wrap=True)


def profiles() -> None:
    """List the shipped behaviour profiles (behaviour: {profile: NAME}) with their main source."""
    import yaml

    from .behaviour.config import PROFILE_DIR, available_profiles

    names = available_profiles()
    for name in names:
        data = yaml.safe_load((PROFILE_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
        sources = list((data.get("sources") or {}).values())
        typer.echo(f"{name} ({data.get('kind', '')}): {_first_sentence(str(data.get('description', '')))}")
        typer.echo(f"    source: {_citation(sources[0]) if sources else 'none given'}")
    typer.echo(
        f"{len(names)} profiles; use one with behaviour: {{profile: NAME}}. The source of every parameter: "
        f"{PROFILE_DIR}"
    )


def _first_sentence(text: str) -> str:
    head = re.split(r"(?<!e\.g)(?<!i\.e)\. (?=[A-Z])", text.strip(), maxsplit=1)[0]
    return head.rstrip(".") + "."


def _citation(text: str) -> str:
    """The reference of a source entry without the detail in brackets after it."""
    year = re.search(r"\(\d{4}\)", text)
    if not year:
        return text
    cut = text.find(" (", year.end())
    return text if cut < 0 else text[:cut]


def schema(
    out_file: Path | None = typer.Option(
        None, "--out", "-o", help="Write it to this file instead of printing it."
    ),
) -> None:
    """Print the JSON Schema of a scenario file (for editors: completion and checks while typing).

    VS Code (YAML extension): put '# yaml-language-server: $schema=marinenet.schema.json' as the first line
    of a scenario after 'marinenet schema -o marinenet.schema.json'.
    """
    import json

    from .cli import _user_errors, out
    from .scenario import scenario_json_schema

    text = json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False)
    if out_file is None:
        typer.echo(text)  # plain: a pipe gets the JSON exactly
        return
    with _user_errors(out_file):
        out_file.write_text(text + "\n", encoding="utf-8")
    out.print(f"JSON Schema written to {out_file}", highlight=False)
