"""Presentation: Indonesian formatting, styled tables and charts. Reports never format."""
