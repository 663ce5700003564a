"""pyproject.toml, environment.yml and constraints.txt describe the same dependencies."""

import re
import tomllib

import yaml

from fixtures import ROOT

CONDA_ONLY = {"python", "pip"}


def _name(spec):
    return re.split(r"[<>=!~ ]", spec, maxsplit=1)[0].strip().lower().replace("_", "-")


def _specs(items):
    return {_name(s): s.replace(" ", "")[len(_name(s)):] for s in items}


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = [p for d in env["dependencies"] if isinstance(d, dict) for p in d["pip"]]
    from_env = {k: v for k, v in _specs(conda + pip).items() if k not in CONDA_ONLY}
    assert from_env == _specs(project["dependencies"])
    assert _specs(conda)["python"] == project["requires-python"]


def test_constraints_pin_every_dependency_inside_its_range():
    from packaging.specifiers import SpecifierSet

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            pins[_name(name)] = version.strip()
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    for name, spec in _specs(wanted).items():
        assert name in pins, f"{name} is not pinned in constraints.txt"
        assert pins[name] in SpecifierSet(spec), f"{name}=={pins[name]} is outside {spec}"
