"""The agency integration kit: publish with only the published contracts, check a producer."""
