"""The graph of apps: the layers contract in pyproject.toml names every app, and the code keeps it."""

from __future__ import annotations

import pathlib

from importlinter.api import read_configuration
from importlinter.cli import lint_imports

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "opora"
NOT_CODE = {"locale", "templates", "static", "__pycache__"}


def _layers() -> list[list[str]]:
    config = read_configuration(str(ROOT / "pyproject.toml"))
    (contract,) = [c for c in config["contracts_options"] if c["type"] == "layers"]
    return [[part.strip() for part in layer.replace(":", "|").split("|")] for layer in contract["layers"]]


def test_every_app_and_top_module_has_its_layer():
    modules = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    apps = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name not in NOT_CODE}
    placed = [name for layer in _layers() for name in layer]
    assert len(placed) == len(set(placed)), "a module is named in two layers"
    assert set(placed) == modules | apps


def test_it_puts_lib_at_the_bottom_and_the_entry_points_on_top():
    layers = _layers()
    index = {name: i for i, layer in enumerate(layers) for name in layer}
    assert layers[-1] == ["lib"]
    assert index["core"] > index["org"] > index["people"] > index["intake"] > index["reports"] > index["dashboard"]
    assert index["documents"] > index["core"]  # a rendering library: it imports no domain app
    # the law of a country: every casework app may ask it, and it asks none of them
    assert index["jurisdictions"] > index["org"] and index["jurisdictions"] > index["documents"]


def test_the_code_keeps_the_contract():
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0
