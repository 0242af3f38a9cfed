"""beatcam: emotional beats in, a director of photography's camera plan out."""

import os

__version__ = "0.1.0"

# Set before numpy loads OpenBLAS, which reads it once: an idle BLAS thread spins for 2^n CPU
# cycles before it sleeps, 2^28 (~0.1 s) by default, and the one numpy starts at import spun
# that long on a second core in every run, about a fifth of a cold 10-beat plan's CPU (issue
# 19), while a plan's products run on one thread (beatcam.blas). 2^20 (~0.4 ms) still spans
# the gap between back-to-back products where more threads work. The thread count, and so
# every product's bits, is unchanged; a value the user set is kept.
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "20")
