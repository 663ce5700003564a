"""The scaffold of the chapter exercises' invented data (chapter modules people_data.py and org_data.py hold only
their data): the settings file of a made-up company, one random stream per dataset, datasets that never show their
truth when printed and are handed out as copies, and the refusal of data whose planted findings differ from the truth.

The same seed always gives the same data: a dataset's stream is numpy's default Generator seeded with
[seed, stream number] (no clock), so changing one dataset's generator leaves the other datasets unchanged.
"""

from dataclasses import dataclass, fields, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from ..errors import ContentError, CourseError
from ..i18n import t
from ..yamlio import read_yaml, require


class DataError(CourseError, ValueError):
    pass


def check_seed(seed):
    """A seed is a whole number 0 or more; anything else is a Japanese message instead of a traceback."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DataError(t("exercise.bad_seed", seed=repr(seed)[:40]))
    return int(seed)


def streams(numbers):
    """rng(seed, name): the random stream of one dataset ({name: stream number})."""
    def rng(seed, name):
        return np.random.default_rng([seed, numbers[name]])
    return rng


def pick_names(rng, data, n):
    """n different full names ("surname given name") from the settings' surnames and given_names."""
    surnames, given = data["surnames"], data["given_names"]
    picks = rng.choice(len(surnames) * len(given), size=n, replace=False)
    return [f"{surnames[i // len(given)]} {given[i % len(given)]}" for i in picks]


def between(rng, start, end):
    """A random date from start to end (both included)."""
    return start + timedelta(days=int(rng.integers(0, (end - start).days + 1)))


# -- the settings file -------------------------------------------------------------------------------------------------

def read_date(value, path, field):
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ContentError(path, field, f"日付 YYYY-MM-DD が必要です / expected a date: {value!r}") from None


def read_company(path, lists):
    """The YAML file of an invented company, checked: a mapping with company.name, company.fiscal_year_start and
    company.audit_date, and a list of one or more items under each key of `lists`. Returns the mapping with the two
    dates added as "fy_start" and "audit"."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ContentError(path, "(file)", "対応表が必要です / expected a mapping")
    company = require(data, "company", dict, path)
    require(company, "name", str, path, "company.")
    dates = {key: read_date(require(company, field, str, path, "company."), path, f"company.{field}")
             for key, field in (("fy_start", "fiscal_year_start"), ("audit", "audit_date"))}
    for key in lists:
        if not require(data, key, list, path):
            raise ContentError(path, key, "1 件以上必要です / must not be empty")
    return {**data, **dates}


def check_name_pool(data, path, people):
    """Every one of `people` needs a different name made of a surname and a given name."""
    if len(data["surnames"]) * len(data["given_names"]) < people:
        raise ContentError(path, "surnames", "名前の組み合わせが足りません / not enough name combinations")


# -- the datasets ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True, repr=False)
class Dataset:
    """The tables of one exercise (DataFrame fields) and what the generator decided (the other fields).
    Subclasses are declared @dataclass(frozen=True, repr=False) so that they keep this repr."""

    seed: int

    def _frames(self):
        return [f.name for f in fields(self) if isinstance(getattr(self, f.name), pd.DataFrame)]

    def __repr__(self):
        """The tables and their sizes, never the truth (a learner may print the dataset)."""
        parts = ", ".join(f"{name}={len(getattr(self, name))} 行" for name in self._frames())
        return f"{type(self).__name__}(seed={self.seed}, {parts})"

    def copy(self):
        """The same dataset with copies of its tables and mappings (the cached original stays as generated)."""
        return replace(self, **{f.name: getattr(self, f.name).copy() for f in fields(self)
                                if isinstance(getattr(self, f.name), (pd.DataFrame, dict))})


def refuse_unless(agrees, seed):
    """Data whose planted findings differ from the truth worked out by the stated rules is never handed out."""
    if not agrees:
        raise DataError(t("exercise.data.inconsistent", seed=seed))
