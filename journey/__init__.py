"""The domain in plain Python: no telegram, no tinydb, no files. Tested directly."""
