"""The course map (chapters, time needed, what the learner has at the end) as a table for 00_start.ipynb."""

import pandas as pd

from .errors import ContentError
from .yamlio import CONTENT_DIR, read_yaml, require

MAP_FILE = CONTENT_DIR / "course_map.yaml"
FIELDS = (("part", str), ("part_en", str), ("notebooks", str), ("hours", (int, float)), ("result", str),
          ("result_en", str))


def load_course_map(path=MAP_FILE):
    rows = read_yaml(path)
    if not isinstance(rows, list) or not rows:
        raise ContentError(path, "(file)", "章のリストが必要です / expected a list of parts")
    return [{name: require(row, name, kind, path, f"[{i}].") for name, kind in FIELDS} for i, row in enumerate(rows)]


def course_map():
    table = pd.DataFrame(load_course_map())
    table["目安時間"] = table["hours"].map(lambda h: f"{h:g} 時間")
    shown = table[["part", "notebooks", "目安時間", "result"]].rename(
        columns={"part": "内容", "notebooks": "ノートブック", "result": "終えたときに手元に残るもの"})
    total = table["hours"].sum()
    return shown.style.hide(axis="index").set_caption(f"全体の目安：約 {total:g} 時間")
