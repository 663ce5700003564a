"""The kept copy: when a save replaces a version another form saved, that version is copied to answers/<key>.kept.json
(a record with its own history, so later keystrokes cannot push it out of the history). Used by every form and by
save_draft."""

KEPT_SUFFIX = ".kept"


def kept_key(key):
    """The record that keeps the version a form replaced: answers/<key>.kept.json."""
    return f"{key}{KEPT_SUFFIX}"


def keep_overwritten(store, key, kind, revision):
    """Copy the saved version `revision` of key (now only in the history) to the kept record; its file name or None."""
    prefix = f"{revision:06d}-"
    for path in reversed(store.history(key)):
        if path.name.startswith(prefix):
            record = store.load_version(path, key, kind)
            if record is not None and store.save(kept_key(key), kind, record.data).ok:
                return store.path(kept_key(key)).name
    return None
