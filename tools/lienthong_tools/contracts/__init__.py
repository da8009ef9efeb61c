"""Build-time contract tools: schema compatibility checks and the AsyncAPI document."""
