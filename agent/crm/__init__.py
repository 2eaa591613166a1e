"""CRM connectors: each one is a :class:`agent.destinations.Destination` in a module of its own.

A connector turns a :class:`agent.events.LeadEvent` (its ``lead`` snapshot) into the CRM's
records and nothing else: the outbox worker decides when to deliver and retries what the
connector marks retryable. Adding Salesforce or Pipedrive means one new module here with a
class like :class:`agent.crm.hubspot.HubSpotDestination` and a ``build_...(settings)``.
"""

from __future__ import annotations
