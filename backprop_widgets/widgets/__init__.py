"""Widgets: thin views over the numerical core. Each pairs one Python class with one JS module."""
