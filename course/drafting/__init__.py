"""Drafting 対策基準 and 実施手順: the draft model, its storage, rendering, widgets and export."""
