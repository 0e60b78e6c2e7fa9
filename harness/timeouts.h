// The harness's deadlines, named once with the reason for each value.
//
// A healthy run waits milliseconds for any of these; the values are margins
// for a loaded 2-core CI machine (the engine, its clients, redis-server and
// the harness share two CPUs, and a sanitizer build runs several times
// slower). A deadline that passes is a failure whose message names it, so a
// value errs long: too short fails healthy runs under load, too long only
// delays the report of a broken one.
//
// Deadlines a scenario or an option sets (call_timeout_s, settle_s, a step's
// timeout_s) are not here: they come from the scenario file or the command
// line.
#pragma once

#include <chrono>
#include <string>

#include "common/text_format.h"

namespace understudy::harness {

using std::chrono::milliseconds;

// A deadline that grows with how much there is to wait for: `base`, plus
// `each` for every one of `count`.
struct GrowingTimeout {
  milliseconds base;
  milliseconds each;

  constexpr milliseconds for_count(long long count) const { return base + each * count; }
};

// --- The engine ---------------------------------------------------------

// From the engine's start (or a stress run's plain RPyC server's) to its
// control channel answering: the interpreter, the schemas and the scripts'
// imports load first (seconds under ASan).
inline constexpr milliseconds kEngineStartTimeout{15000};
// An op the engine answers on its main thread at the next frame (ping,
// registry, frames, reload, stop).
inline constexpr milliseconds kControlRequestTimeout{5000};
// An op whose answer grows with the clients or the actors (world, a
// registry of hundreds of stress clients, starting the engine's loads).
inline constexpr milliseconds kLargeControlRequestTimeout{10000};
// The same ops while a scenario ends: the engine may be stuck or dying, and
// the run should not wait the full margin on each before stopping it by signal.
inline constexpr milliseconds kEndOfRunRequestTimeout{2000};
// An engine->client call the harness asks for waits up to the call timeout
// it names; the request that carries it waits this much longer, for the
// answer to come back through the main thread.
inline constexpr milliseconds kCallAnswerMargin{10000};
// The engine stops its loads: every call still in flight may run to the
// call timeout (RPyC's 30 s by default), plus the margin.
inline constexpr milliseconds kLoadStopTimeout{40000};
// The engine's scripts' startup code and a python step's code: RPyC's own
// default sync timeout, as a script that waits on a client waits at most that.
inline constexpr milliseconds kEngineCodeTimeout{30000};
// The deadlock report of a call whose answer said "deadlock": the engine
// sends the report just before the answer.
inline constexpr milliseconds kDeadlockReportTimeout{1000};
// A domain reload (every script reloaded) until its 'domain reload: done'.
inline constexpr milliseconds kDomainReloadTimeout{15000};
// After the engine was asked to stop: its frame loop ends, RPyC's threads
// join and its clients are told; then it is stopped by signal.
inline constexpr milliseconds kEngineExitTimeout{10000};
// The engine's exit is reaped a moment after its control channel closes.
inline constexpr milliseconds kEngineReapTimeout{2000};
// After the engine exited: its last events (engine errors) still in the
// socket's buffer until the connection closes.
inline constexpr milliseconds kControlCloseTimeout{2000};

// --- Clients --------------------------------------------------------------

// A client process registering with the engine (connect, authenticate,
// client_name()): the interpreter starts and imports rpyc first.
inline constexpr milliseconds kClientRegisterTimeout{20000};
// Clients started together registering: they share the CPUs, so each adds
// its share to a base (for_count(clients)).
// - A scenario's clients: the suite's own scripts, a few at a time.
inline constexpr GrowingTimeout kScenarioClientsRegisterTimeout{milliseconds(15000),
                                                                milliseconds(50)};
// - The fault matrix's ledger clients, each a python process of its own.
inline constexpr GrowingTimeout kMatrixClientsRegisterTimeout{milliseconds(15000),
                                                              milliseconds(500)};
// - A stress step's clients: hundreds, from a few worker processes.
inline constexpr GrowingTimeout kStressClientsRegisterTimeout{milliseconds(30000),
                                                              milliseconds(250)};
// A soak's churn clients' connect/register cycles, for_count(cycles of the
// busiest process): a cycle takes milliseconds; this only ends a hang.
inline constexpr GrowingTimeout kChurnCyclesTimeout{milliseconds(60000), milliseconds(200)};
// Churn rounds' registration records, streamed, the last still on their way.
inline constexpr milliseconds kRegistrationRecordsTimeout{5000};
// A client's exit after SIGTERM: its handler finishes its ledger and closes
// its connection.
inline constexpr milliseconds kClientExitTimeout{5000};
// The same for the fault matrix's clients, whose ledgers are longer.
inline constexpr milliseconds kLedgerClientExitTimeout{8000};
// SIGTERM's grace before SIGKILL for a client at a scenario's end.
inline constexpr milliseconds kClientStopGrace{2000};
// A client that closed its connection: how it ended, if it is exiting.
inline constexpr milliseconds kDisconnectedClientExitTimeout{1000};
// A process killed by SIGKILL: the kernel ends it at once; this only reaps it.
inline constexpr milliseconds kKilledProcessReapTimeout{2000};
// A deadlocked client's stack dump (SIGUSR1, faulthandler) in its log.
inline constexpr milliseconds kStackDumpTimeout{1000};

// --- Stress runs ----------------------------------------------------------

// A worker launcher's exit after 'Q': its workers end their calls first.
inline constexpr milliseconds kLauncherExitTimeout{15000};
// The workers' last summaries after the load: each finishes the calls it has
// in flight, which may run to the call timeout.
inline constexpr milliseconds kWorkersFinishTimeout{60000};

// --- Redis ------------------------------------------------------------------

// PING of a redis-server that was just stopped: a refused connection is
// immediate, so this only bounds a port somebody else took.
inline constexpr milliseconds kStoppedRedisPingTimeout{200};
// PING of a redis-server that should be serving.
inline constexpr milliseconds kRedisPingTimeout{2000};

// --- How often a wait re-asks ------------------------------------------------

// Over the control channel (the registry, the world): every round trip
// costs the engine's main thread a little, and an answer changes at most once
// a frame.
inline constexpr milliseconds kControlPollInterval{50};
// The same for answers that cost the engine more (the whole world, a python
// step's code).
inline constexpr milliseconds kLargeControlPollInterval{100};
// State that only the harness's own threads change, or files it reads:
// cheap to check, and a test's run time depends on noticing at once.
inline constexpr milliseconds kLocalPollInterval{5};

// "15 s", "0.2 s": a deadline as failure messages spell it.
inline std::string seconds_text(milliseconds duration) {
  return text::number(static_cast<double>(duration.count()) / 1000.0) + " s";
}

}  // namespace understudy::harness
