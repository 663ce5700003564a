"""Answers as plain data: what crosses from a learner's kernel to the clean scoring process (instructor/scorer.py).

`dumps_plain(value)` (run in the learner's kernel) writes an answer as JSON of plain values only: None, bool, int,
float, str, lists, and tagged forms for tuples, sets, dicts, numpy arrays and scalars, pandas Timestamps, Index,
Series and DataFrames (their values, index and column names, never the objects). Each value is read through the
built-in type's own methods (str.__str__, list.__iter__, …), so a subclass that overrides comparison, hashing,
iteration, length or printing is read as the plain data it holds, and an object of a class defined in the notebook
(module __main__) or any other object raises NotPlain: it is no answer.

`loads_plain(text)` (run in the scoring process) rebuilds exact built-in types and fresh pandas / numpy objects from
that JSON. Nothing from the learner's process survives but data: a check never meets an object the learner defined.
"""

import json
import math

MAX_ITEMS = 2_000_000  # values in one answer; more is not an answer to any question here
MAX_DEPTH = 32


class NotPlain(TypeError):
    """The answer holds an object that is not plain data (a function, a custom class, …)."""


def to_plain(value):
    """value as JSON-able plain data (see the module docstring); raises NotPlain."""
    count = [0]

    def conv(v, depth):
        count[0] += 1
        if count[0] > MAX_ITEMS or depth > MAX_DEPTH:
            raise NotPlain("too large or too deep")
        if type(v).__module__ == "__main__":
            raise NotPlain(f"{type(v).__qualname__} (a class defined in the notebook)")
        if v is None:
            return None
        if isinstance(v, bool):
            return bool(int.__index__(v))
        if isinstance(v, int):
            return int.__index__(v)
        if isinstance(v, float):
            return float.__float__(v)
        if isinstance(v, str):
            return str.__str__(v)
        if isinstance(v, list):
            return [conv(x, depth + 1) for x in list.__iter__(v)]
        if isinstance(v, tuple):
            return {"__tuple__": [conv(x, depth + 1) for x in tuple.__iter__(v)]}
        if isinstance(v, (set, frozenset)):
            return {"__set__": [conv(x, depth + 1) for x in (set.__iter__(v) if isinstance(v, set)
                                                              else frozenset.__iter__(v))]}
        if isinstance(v, dict):
            return {"__dict__": [[conv(k, depth + 1), conv(x, depth + 1)] for k, x in dict.items(v)]}
        module = type(v).__module__ or ""
        if module.startswith("numpy"):
            import numpy as np

            if isinstance(v, np.ndarray):
                return {"__array__": conv(np.ndarray.tolist(np.asarray(v)), depth + 1)}
            if isinstance(v, np.generic):
                return conv(np.generic.item(v), depth + 1)
        if module.startswith("pandas"):
            import pandas as pd

            if v is pd.NaT or v is pd.NA:
                return None
            if isinstance(v, pd.Timestamp):
                return {"__timestamp__": pd.Timestamp.isoformat(v)}
            if isinstance(v, pd.Timedelta):
                return {"__timedelta__": int(pd.Timedelta.value.fget(v))}
            if isinstance(v, pd.Index):
                return {"__index__": {"data": [conv(x, depth + 1) for x in pd.Index.tolist(v)],
                                      "names": [conv(n, depth + 1) for n in v.names]}}
            if isinstance(v, pd.Series):
                return {"__series__": {"name": conv(v.name, depth + 1), "index": conv(v.index, depth + 1),
                                       "data": [conv(x, depth + 1) for x in pd.Series.tolist(v)]}}
            if isinstance(v, pd.DataFrame):
                columns = list(v.columns)
                return {"__frame__": {"columns": conv(v.columns, depth + 1), "index": conv(v.index, depth + 1),
                                      "data": [[conv(x, depth + 1) for x in pd.Series.tolist(v.iloc[:, i])]
                                               for i in range(len(columns))]}}
        raise NotPlain(type(v).__qualname__)

    return conv(value, 0)


def dumps_plain(value):
    return json.dumps(to_plain(value), ensure_ascii=True, allow_nan=True)


def from_plain(data):
    """The objects that to_plain's output describes: exact built-in types, fresh numpy / pandas objects."""
    if data is None or type(data) in (bool, int, str):
        return data
    if type(data) is float:
        return data
    if type(data) is list:
        return [from_plain(x) for x in data]
    if type(data) is not dict or len(data) != 1:
        raise ValueError("not plain answer data")
    (tag, body), = data.items()
    if tag == "__tuple__":
        return tuple(from_plain(x) for x in body)
    if tag == "__set__":
        return set(from_plain(x) for x in body)
    if tag == "__dict__":
        return {_key(from_plain(k)): from_plain(v) for k, v in body}
    if tag == "__array__":
        import numpy as np

        return np.array(from_plain(body))
    import pandas as pd

    if tag == "__timestamp__":
        return pd.Timestamp(body)
    if tag == "__timedelta__":
        return pd.Timedelta(int(body))
    if tag == "__index__":
        return _index(body)
    if tag == "__series__":
        return pd.Series([from_plain(x) for x in body["data"]], index=from_plain(body["index"]),
                         name=from_plain(body["name"]), dtype=None if body["data"] else object)
    if tag == "__frame__":
        columns = from_plain(body["columns"])
        index = from_plain(body["index"])
        frame = pd.DataFrame({i: [from_plain(x) for x in col] for i, col in enumerate(body["data"])}, index=index)
        frame.columns = columns
        return frame
    raise ValueError(f"unknown tag {tag}")


def _key(value):
    return tuple(value) if isinstance(value, list) else value


def _index(body):
    import pandas as pd

    data = [from_plain(x) for x in body["data"]]
    names = [from_plain(n) for n in body["names"]]
    if len(names) > 1:
        return pd.MultiIndex.from_tuples(data, names=names)
    return pd.Index(data, name=names[0] if names else None, dtype=None if data else object)


def loads_plain(text):
    return from_plain(json.loads(text, parse_constant=lambda c: {"NaN": math.nan, "Infinity": math.inf,
                                                                   "-Infinity": -math.inf}[c]))
