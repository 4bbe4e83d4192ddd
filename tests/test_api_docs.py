"""The public API is documented: numpydoc sections name every argument a user can pass.

The parse is the few lines numpydoc's own format needs (a section title underlined with dashes;
entries at the section's indentation, ``name : type`` or ``a, b``), so no docs dependency is needed.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import re

import pytest

import marinenet

#: the package and the stages whose ``__all__`` is public API (the engine and behaviour plug-ins
#: are documented in docs/extending.md)
PUBLIC_MODULES = [
    "marinenet",
    "marinenet.ocean",
    "marinenet.zones",
    "marinenet.release",
    "marinenet.telemetry",
    "marinenet.connectivity",
    "marinenet.connectivity.indices",
    "marinenet.connectivity.uncertainty",
    "marinenet.units",
]

_UNDERLINE = re.compile(r"^\s*-{3,}\s*$")


def sections(doc: str) -> dict[str, list[str]]:
    """numpydoc sections of a (cleaned) docstring: title → the lines under its underline."""
    lines = doc.splitlines()
    out: dict[str, list[str]] = {}
    title = None
    for i, line in enumerate(lines):
        if i + 1 < len(lines) and _UNDERLINE.match(lines[i + 1]) and line.strip():
            title = line.strip()
            out[title] = []
        elif title is not None and not _UNDERLINE.match(line):
            out[title].append(line)
    return out


def documented_names(section: list[str]) -> set[str]:
    """Names of the entries of a Parameters/Attributes section (the least-indented lines)."""
    body = [ln for ln in section if ln.strip()]
    if not body:
        return set()
    indent = min(len(ln) - len(ln.lstrip()) for ln in body)
    names: set[str] = set()
    for ln in body:
        if len(ln) - len(ln.lstrip()) == indent:
            head = ln.split(" : ")[0]
            names |= {n.strip().lstrip("*") for n in head.split(",") if n.strip()}
    return names


def arguments(obj) -> list[str]:
    """Names a caller passes: the signature of a function, the fields of a data class or model."""
    if inspect.isclass(obj) and issubclass(obj, BaseException):
        return []  # built with one message, as every exception
    if inspect.isclass(obj) and hasattr(obj, "model_fields"):  # pydantic: fields by their YAML key
        return [f.alias or name for name, f in obj.model_fields.items()]
    if inspect.isclass(obj) and dataclasses.is_dataclass(obj):
        return [f.name for f in dataclasses.fields(obj) if f.init]
    params = inspect.signature(obj).parameters.values()
    return [p.name for p in params if p.name not in ("self", "cls")]


def public_objects():
    for modname in PUBLIC_MODULES:
        module = importlib.import_module(modname)
        for name in module.__all__:
            obj = getattr(module, name)
            if callable(obj):
                yield pytest.param(obj, id=f"{modname}.{name}")


def test_the_parser_reads_numpydoc():
    doc = inspect.cleandoc(
        """Summary.

        Parameters
        ----------
        a, b : float
            Two numbers.
        *args
            More.
        c
            Text that mentions d : not a name.

        Returns
        -------
        float
        """
    )
    found = sections(doc)
    assert set(found) == {"Parameters", "Returns"}
    assert documented_names(found["Parameters"]) == {"a", "b", "args", "c"}


def test_the_package_docstring_lists_the_public_api():
    doc = marinenet.__doc__ or ""
    missing = [n for n in marinenet.__all__ if n != "__version__" and n not in doc]
    assert not missing, f"the package docstring does not mention {missing}"


@pytest.mark.parametrize("obj", list(public_objects()))
def test_public_api_has_numpydoc_parameters(obj):
    doc = inspect.cleandoc(obj.__doc__ or "")
    assert doc, f"{obj.__qualname__} has no docstring"
    wanted = arguments(obj)
    if not wanted:
        return
    found = sections(doc)
    # a class may list what it is built from as its Attributes (data classes, pydantic models)
    section = found.get("Parameters") or (found.get("Attributes") if inspect.isclass(obj) else None)
    assert section, (
        f"{obj.__qualname__} takes {wanted} but its docstring has no Parameters (or, for a class, Attributes) section"
    )
    missing = [n for n in wanted if n not in documented_names(section)]
    assert not missing, (
        f"{obj.__qualname__}: arguments {missing} are not described in its Parameters/Attributes section"
    )


@pytest.mark.parametrize("obj", list(public_objects()))
def test_public_functions_say_what_they_return(obj):
    if inspect.isclass(obj):
        return
    annotation = inspect.signature(obj).return_annotation
    if annotation in (None, "None", inspect.Signature.empty):
        return
    found = sections(inspect.cleandoc(obj.__doc__ or ""))
    assert "Returns" in found or "Yields" in found, (
        f"{obj.__qualname__} returns a value: add a Returns section"
    )
