"""``make bench``: every figure beside the raw limits measured in the same run."""
