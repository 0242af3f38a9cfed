"""``python -m beatcam`` runs the command line.

Guarded, since worker processes started by spawning import this module again.
"""

from beatcam.cli import app

if __name__ == "__main__":
    app(prog_name="beatcam")
