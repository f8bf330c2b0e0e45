"""Configuration: the TOML file read, checked and turned into frozen settings."""
