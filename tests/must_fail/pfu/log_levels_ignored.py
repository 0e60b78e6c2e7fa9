# must-fail: root.log ignores PfU's numeric levels and logs everything as a plain log, so ReplClientExample's `warn` and `error` lines lose their severities; its flow must fail
# flow: test_repl_client_example
# expect-output: with severity warning
import UnityEngine
from understudy_engine import service


def every_level_as_a_log(message, level):
    UnityEngine.Debug.Log(message)


service.log_at_level = every_level_as_a_log
