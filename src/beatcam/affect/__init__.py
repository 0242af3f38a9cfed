"""affect stage."""
