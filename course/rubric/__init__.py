"""Rubric self-check for drafts: Japanese analysis (analyser.py, SudachiPy), the modality of each sentence
(modality.py), concepts matched on lemmas (concepts.py, content/rubric/concepts.yaml), filled fields (fields.py)
and scoring with feedback (score.py)."""

from .score import ElementResult, Feedback, score_draft
from .text import normalize, split_sentences

__all__ = ["ElementResult", "Feedback", "score_draft", "normalize", "split_sentences"]
