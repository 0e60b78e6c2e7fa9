"""The engine encodes its calls to a client's root service with a cached
prefix (fake_engine/pylib/understudy_engine/request_encoding.py): the bytes
must be stock RPyC's, for arguments by value, by reference and none."""


def test_calls_to_a_client_encode_to_the_bytes_stock_rpyc_sends(understudy_engine,
                                                                understudy_client):
    engine = understudy_engine()
    understudy_client("encoded")
    ns = engine.execute("""
        from rpyc.core import brine, consts
        import understudy_engine

        conn = understudy_engine.registry.connection("encoded")

        class Local:
            pass

        local = Local()
        calls = [
            ("noop", (), ()),
            ("echo", (1, "a", 2.5, None, b"x" * 300), (("k", (2, 3)),)),
            ("take", (local, (1, local)), (("o", local),)),
            ("noop", (), ()),  # the cached prefix
            ("echo", (), (("k", 1),)),
        ]
        differing = []
        for service, args, kwargs in calls:
            stock = brine.dump((consts.MSG_REQUEST, 7, (consts.HANDLE_CALLATTR, conn._box(
                (conn._remote_root, service, args, kwargs)))))
            ours = brine.dump((consts.MSG_REQUEST, 7,
                               conn._root_calls.encode(service, args, kwargs)))
            if ours != stock:
                differing.append(f"{service}{args!r}: {ours!r} != {stock!r}")
        not_a_name = conn._root_calls.encode(42, (), ())
    """)
    assert list(ns["differing"]) == []
    assert ns["not_a_name"] is None

