"""Reference agency system: residence."""
