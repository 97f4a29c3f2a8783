"""Emitters: pure functions from the model or a roster to file contents."""
