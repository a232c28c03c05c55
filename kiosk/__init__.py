"""Telpa, the library learning kiosk."""

__version__ = "0.1.0"
