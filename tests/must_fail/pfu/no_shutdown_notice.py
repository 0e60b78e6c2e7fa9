# must-fail: stopping the server sends no on_server_shutdown, so a client cannot tell a soft restart; StartAndStopServer's restart count must catch it
# flow: test_start_and_stop_server
# expect-output: get_restart_count
import understudy_engine

understudy_engine.rpc_server._notify_shutdown = lambda conn, invite_retry: None
