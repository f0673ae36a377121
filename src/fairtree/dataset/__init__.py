"""The company dataset folder (docs/dataset.md): read, validate, write.

Everything here is pure (Arrow and numpy, no database): ``read_dataset`` parses and
checks a folder into arrays ready to load, ``write_dataset`` writes arrays back in
canonical form. The store loads and dumps those arrays in bulk.
"""
