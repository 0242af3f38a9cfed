"""direct stage."""
