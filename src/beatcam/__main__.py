"""``python -m beatcam`` runs the command line.

Guarded, since worker processes started by spawning import this module again.
"""

from beatcam.cli import run

if __name__ == "__main__":
    run()
