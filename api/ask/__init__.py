"""Questions in Chinese or English → an answer from the graph, with evidence.

``answer(question, service)`` (``answer.py``) reads the question (``structured.interpret``,
``places``, ``numbers``, ``terms``), answers from the graph's facts where the question is about
them (``structured``) and otherwise reads every clause of the workspace and verifies each
against what was asked (``corpus``, ``terms``, ``numbers``), grouped by region.
``warm(service)`` loads what answering needs at service start.
"""

from .answer import answer, context, warm
from .structured import Interpretation, find_region, find_topic, interpret

__all__ = ["Interpretation", "answer", "context", "find_region", "find_topic", "interpret", "warm"]
