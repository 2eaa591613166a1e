"""Slack: handoffs to the sales team (and, with the Slack app, claims and live takeover)."""
