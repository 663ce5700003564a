"""Writing files so that a failure never destroys the previous version."""

import os
import tempfile
from pathlib import Path


def write_atomic(path, write, sync=False):
    """Call write(binary_file) on a temporary file beside path, then rename it over path.

    Raises OSError (read-only folder, full disk …); the old file at path is then untouched and no temporary file is
    left behind. sync=True also flushes the data to disk before the rename.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            if sync:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
