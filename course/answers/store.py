"""AnswerStore: a learner's answers as files, saved atomically, with history, never lost.

Every answer is one JSON record `answers/<key>.json` beside the notebook:
    {"schema": "course.answer/1", "key": ..., "kind": ..., "revision": N, "saved_at": ISO time, "data": {...}}
- Saving writes a temporary file in the same folder and renames it over the old one (os.replace), under a file lock,
  so a failed save (read-only or full disk) leaves the previous version in place.
- Each saved version is also copied to answers/.history/<key>/; the newest `keep` versions are kept.
- A record that cannot be read, or that belongs to another key, kind or program, is renamed aside (never overwritten)
  and the caller gets a Japanese message; the form then opens empty.
- `save(..., base_revision=N)` reports a conflict when another form saved in between; both versions stay in history.
"""

import json
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from filelock import FileLock

from ..errors import CourseError
from ..fileio import write_atomic
from ..i18n import t

SCHEMA = "course.answer/1"
KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
DEFAULT_KEEP = 20


class BadKeyError(CourseError, ValueError):
    pass


def check_key(key):
    key = str(key)
    if not KEY_RE.match(key) or ".." in key:
        raise BadKeyError(t("store.bad_key", key=key))
    return key


def default_root():
    """answers/ beside the running notebook (the working directory), or $COURSE_ANSWERS_DIR."""
    return Path(os.environ.get("COURSE_ANSWERS_DIR") or Path.cwd() / "answers")


def _now():
    return datetime.now().astimezone()


@dataclass
class Record:
    key: str
    kind: str
    data: dict
    revision: int
    saved_at: str


@dataclass
class LoadResult:
    record: Record | None
    message: str | None = None  # set when a bad file was moved aside


@dataclass
class SaveResult:
    ok: bool
    message: str
    revision: int | None = None
    conflict: bool = False


class AnswerStore:
    def __init__(self, root=None, keep=DEFAULT_KEEP):
        self.root = Path(root) if root else default_root()
        self.keep = keep
        self._written = {}  # key -> (file signature, revision) of this store's last save, to skip re-reading it

    def path(self, key):
        return self.root / f"{check_key(key)}.json"

    def history_dir(self, key):
        return self.root / ".history" / check_key(key)

    # -- reading ---------------------------------------------------------------------------------------------------

    def _parse(self, path, key, kind):
        """The record at path, or None if the file is unreadable or foreign."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return None
        if not (isinstance(raw, dict) and raw.get("schema") == SCHEMA and raw.get("key") == key
                and (kind is None or raw.get("kind") == kind) and isinstance(raw.get("data"), dict)
                and isinstance(raw.get("revision"), int)):
            return None
        return Record(key, raw["kind"], raw["data"], raw["revision"], str(raw.get("saved_at", "")))

    def _set_aside(self, path):
        stamp = _now().strftime("%Y%m%d-%H%M%S")
        for n in range(1000):
            aside = path.with_name(f"{path.name}.unreadable-{stamp}" + (f"-{n}" if n else ""))
            if not aside.exists():
                os.rename(path, aside)
                return aside
        raise CourseError(f"{path} を退避できませんでした / could not move {path} aside")

    def load(self, key, kind=None):
        """The saved record for key, or an empty result; a bad file is moved aside with a message."""
        path = self.path(key)
        if not path.exists():
            return LoadResult(None)
        record = self._parse(path, key, kind)
        if record is not None:
            return LoadResult(record)
        try:
            with self._locked(key):
                if not path.exists():
                    return LoadResult(None)
                record = self._parse(path, key, kind)  # another form may have repaired it meanwhile
                if record is not None:
                    return LoadResult(record)
                aside = self._set_aside(path)
        except OSError as exc:
            return LoadResult(None, t("store.save_failed", reason=exc.strerror or exc))
        return LoadResult(None, t("store.set_aside", name=path.name, aside=aside.name))

    def set_aside(self, key):
        """Move the record of key aside when the caller finds its data unusable; returns the message for the learner."""
        path = self.path(key)
        try:
            with self._locked(key):
                if not path.exists():
                    return None
                aside = self._set_aside(path)
        except OSError as exc:
            return t("store.save_failed", reason=exc.strerror or exc)
        return t("store.set_aside", name=path.name, aside=aside.name)

    def history(self, key):
        """Saved versions of key, oldest first."""
        folder = self.history_dir(key)
        return sorted(folder.glob("*.json")) if folder.exists() else []

    def load_version(self, path, key, kind=None):
        return self._parse(Path(path), key, kind)

    # -- writing ---------------------------------------------------------------------------------------------------

    @contextmanager
    def _locked(self, key):
        lock_dir = self.root / ".locks"
        lock_dir.mkdir(parents=True, exist_ok=True)
        # filelock: flock on Linux and macOS, msvcrt.locking on Windows; waits as long as another form holds it
        with FileLock(lock_dir / f"{key}.lock"):
            yield


    def save(self, key, kind, data, base_revision=None):
        """Save data as the newest version of key. Never raises for I/O trouble: the result says what happened."""
        key = check_key(key)
        path = self.path(key)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with self._locked(key):
                current = self._current_revision(path, key)
                # Revisions keep counting up after a file was set aside or deleted, so that the history (sorted by
                # revision) never prunes the newest versions first.
                revision = (current if current is not None else self._last_history_revision(key)) + 1
                conflict = base_revision is not None and current is not None and current != base_revision
                saved_at = _now()
                record = {"schema": SCHEMA, "key": key, "kind": kind, "revision": revision,
                          "saved_at": saved_at.isoformat(timespec="seconds"), "data": data}
                payload = json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8")
                self._written.pop(key, None)
                write_atomic(path, lambda f: f.write(payload), sync=True)
                self._remember(key, path, revision)
                self._add_history(key, revision, saved_at, payload)
        except OSError as exc:
            return SaveResult(False, t("store.save_failed", reason=exc.strerror or str(exc)))
        message = t("store.conflict") if conflict else t("store.saved", time=saved_at.strftime("%H:%M:%S"))
        return SaveResult(True, message, revision, conflict)

    @staticmethod
    def _signature(path):
        """Identifies one written version of a file: a rewrite by anyone else changes the inode, size, time or the
        first bytes (which hold the revision)."""
        with open(path, "rb") as f:
            stat = os.fstat(f.fileno())
            return stat.st_ino, stat.st_size, stat.st_mtime_ns, f.read(256)

    def _remember(self, key, path, revision):
        try:
            self._written[key] = (self._signature(path), revision)
        except OSError:
            pass  # the answer is saved; the next save will just read it again

    def _current_revision(self, path, key):
        """Revision of the saved record, or None if there is none. A bad file is set aside first.
        A file this store wrote last and nobody changed since is not read again (saves of a 1 MB answer stay cheap)."""
        try:
            signature = self._signature(path)
        except FileNotFoundError:
            return None
        known = self._written.get(key)
        if known and known[0] == signature:
            return known[1]
        record = self._parse(path, key, None)
        if record is None:
            self._set_aside(path)
            return None
        self._preserve(key, path, record.revision)
        return record.revision

    def _preserve(self, key, path, revision):
        """A version this store did not write (another program, a hand edit) goes into the history before it is
        replaced, so that a conflict can still keep it."""
        payload = path.read_bytes()
        prefix = f"{revision:06d}-"
        if not any(p.name.startswith(prefix) and p.read_bytes() == payload for p in self.history(key)):
            self._add_history(key, revision, _now(), payload, tag=".outside")  # sorts after this store's own copy

    def _last_history_revision(self, key):
        for path in reversed(self.history(key)):
            number = path.name.split("-", 1)[0]
            if number.isdigit():
                return int(number)
        return 0

    def _add_history(self, key, revision, saved_at, payload, tag=""):
        """Best effort: the answer itself is already saved, so a failure here is not reported as a lost save."""
        folder = self.history_dir(key)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_atomic(folder / f"{revision:06d}-{saved_at.strftime('%Y%m%dT%H%M%S')}{tag}.json",
                         lambda f: f.write(payload))
            for old in self.history(key)[:-self.keep]:
                old.unlink()
        except OSError:
            pass
