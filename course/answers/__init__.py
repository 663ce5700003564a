"""The answer layer: every form's answer is a file (store.py), drafts have one schema (draft.py), forms share one life."""
