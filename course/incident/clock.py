"""Time in the scenario: the generators count int64 seconds of local wall time (as if UTC); the logs show tz-aware
Timestamps in Asia/Tokyo (Japan has no daylight saving time)."""

import numpy as np
import pandas as pd

TZ = "Asia/Tokyo"
HOUR = 3600
MINUTE = 60


def to_time(seconds):
    """int64 seconds of local wall time -> tz-aware Timestamps in Asia/Tokyo."""
    arr = np.asarray(seconds, dtype=np.int64).astype("datetime64[s]").astype("datetime64[us]")
    return pd.DatetimeIndex(arr).tz_localize(TZ)


def timestamp(seconds):
    return to_time([seconds])[0]
