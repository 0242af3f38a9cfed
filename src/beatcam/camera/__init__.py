"""camera stage."""
