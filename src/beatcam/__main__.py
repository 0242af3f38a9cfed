"""``python -m beatcam`` runs the command line."""

from beatcam.cli import app

app(prog_name="beatcam")
