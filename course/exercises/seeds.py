"""Seeds of the generated exercise data: whole numbers 0 or more, or a Japanese message instead of a traceback."""

import numpy as np

from ..errors import CourseError
from ..i18n import t


class DataError(CourseError, ValueError):
    pass


def check_seed(seed):
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise DataError(t("exercise.bad_seed", seed=repr(seed)[:40]))
    return int(seed)
