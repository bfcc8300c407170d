"""The /me/ pages, one module per person: participant.py and facilitator.py; routed by worksheets/urls.py."""
