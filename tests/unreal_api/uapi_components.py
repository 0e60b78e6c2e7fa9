"""Python component classes test_python_components.py attaches by module and class name
(add_python_component(name, 'uapi_components', 'Recorder')). Each instance records its
lifecycle calls in `events`, a list test code reads through the component's proxy."""


class Recorder:
    def __init__(self):
        self.events = []

    def initialize_component(self):
        self.events.append("initialize_component")

    def begin_play(self):
        self.events.append("begin_play")

    def tick(self, delta_time):
        self.events.append(("tick", delta_time))

    def end_play(self, reason):
        self.events.append(("end_play", reason))


class NoHooks:
    """A component with none of the hooks: attaching and destroying it must not fail."""

