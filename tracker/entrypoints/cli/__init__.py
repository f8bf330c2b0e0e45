"""The `tracker` command line (typer)."""
