"""The offline model's reading of prospect messages: plain text in, tool arguments out."""

from agent.offline.extractor import extract

__all__ = ["extract"]
