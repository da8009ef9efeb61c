"""Reference agency system: insurance."""
