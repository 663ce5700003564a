"""Rubric self-check for drafts: Japanese normalisation (text.py) and scoring with feedback (score.py)."""

from .score import ElementResult, Feedback, score_draft
from .text import is_negated, is_obligation, normalize, split_sentences

__all__ = ["ElementResult", "Feedback", "score_draft", "normalize", "split_sentences", "is_obligation", "is_negated"]
