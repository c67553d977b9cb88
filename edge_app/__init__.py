"""The device side of Drape. Imports neither torch nor models/, trainer/ or export/: it reads the bundle."""
