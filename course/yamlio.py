"""Reading content files: YAML with errors that name the file."""

from pathlib import Path

import yaml

from .errors import ContentError

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: the catalog loads much faster

CONTENT_DIR = Path(__file__).parent / "content"


def read_yaml(path):
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as f:
            return yaml.load(f, Loader=SafeLoader)
    except yaml.YAMLError as exc:
        raise ContentError(path, "(file)", f"YAML として読めません / not valid YAML: {exc}") from exc
    except OSError as exc:
        raise ContentError(path, "(file)", f"読み込めません / cannot read: {exc}") from exc


def require(data, key, kind, path, where=""):
    """Return data[key], checked to be of `kind`; otherwise raise ContentError naming the field."""
    field = f"{where}{key}"
    if not isinstance(data, dict) or key not in data:
        raise ContentError(path, field, "必須の項目がありません / required field is missing")
    value = data[key]
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise ContentError(path, field, f"型が違います: {names} が必要です / expected {names}, got {type(value).__name__}")
    if isinstance(value, str) and not value.strip():
        raise ContentError(path, field, "空です / is empty")
    return value
