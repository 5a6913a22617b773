"""Guides: short scripts and plain facts a nurse navigator would give, each offered where it is needed."""
