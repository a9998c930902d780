"""A package only so that setuptools ships the *.j2 templates (package-data "*.j2")."""
