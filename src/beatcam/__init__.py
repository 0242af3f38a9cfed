"""beatcam: emotional beats in, a director of photography's camera plan out."""

__version__ = "0.1.0"
