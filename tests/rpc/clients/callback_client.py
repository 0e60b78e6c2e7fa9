"""A tool whose service `refresh` calls back into the engine synchronously:
the user's re-entrant deadlock when the engine calls it from its main thread
on the sync path. Prints "connected" once registered."""

import threading

import understudy_client


class Tool(understudy_client.ClientService):
    # The engine's execute, looked up once after connecting: a lookup inside
    # the service is a request the engine's reader thread answers, and just
    # after it the engine's main thread, waiting in its call, can take its
    # turn to read the connection and run the callback itself, so that the
    # deadlock would form only most of the time.
    execute = None

    def exposed_refresh(self):
        self.execute("import unreal_engine as ue\nue.log('refreshed')")  # the deadlock
        return "refreshed"


def main():
    tool = Tool()
    client = understudy_client.connect(service=tool)
    tool.execute = client.root.execute
    print("connected", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
