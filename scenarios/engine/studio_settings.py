# A startup script's globals: UnrealEnginePython runs --script files in the
# shared __main__, where later scripts (and the tool's own code) find them.
STUDIO_PROJECT = "crates"
STUDIO_GRID_CM = 50
