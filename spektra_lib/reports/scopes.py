"""Transitional: `spektra_lib.access` still imports the scope lists from here.

The lists live in `spektra_lib.scopes` (below access and reports); this module goes once
access.py imports them from there.
"""
from ..scopes import daftar_satker, daftar_unit, nama_scope, satker_pusat  # noqa: F401
