"""Reference agency system: welfare."""
