raise RuntimeError("this client cannot start: missing configuration XYZZY")
