"""What a test's scripts observed, for the C++ test to read back.

Scripts record into `values`; the test reads them with PythonEngine::eval.
The test fixture forgets this module after each test, so every test starts
with an empty dict.
"""

values = {}
