"""A startup script that raises at import: an engine error from a script."""

import unreal_engine as ue


def load_config():
    raise ValueError("the startup script's config is missing")


ue.log("loading the config")
load_config()
