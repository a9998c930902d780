"""Templates of the workbench's HTML pages (package data: *.j2)."""
