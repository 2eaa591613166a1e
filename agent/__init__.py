"""Conversational lead qualification: extraction through tool calls, deterministic scoring."""

__version__ = "0.1.0"
