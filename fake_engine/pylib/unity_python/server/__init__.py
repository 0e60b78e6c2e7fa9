"""PfU 2.x's server modules as engine-side code sees them: `server` (the
functions C#'s PythonRunner wraps) and `settings` (the socket path)."""
