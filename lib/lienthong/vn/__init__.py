"""Vietnamese national standards every service shares: working time, ID numbers, names."""
