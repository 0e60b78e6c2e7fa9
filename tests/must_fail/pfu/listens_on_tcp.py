# must-fail: the engine listens on TCP, not PfU's Unix socket, so PfU's unity_client.connect() finds nothing; StartAndStopServer must catch it
# flow: test_start_and_stop_server
# engine-flags: --port 0
# expect-output: to connect (PythonRunner.IsClientConnected)
