// The steps that judge what the engine reported by itself, as control
// events: expect_console (console records) and expect_deadlock (deadlock
// reports). Each returns when the step passed and throws StepFailure when
// it failed. Scenario thread.
#pragma once

#include "harness/run/step_executors/step_context.h"

namespace understudy::harness {

// expect_console {contains, severity, timeout, absent, min_count}: waits
// until at least min_count (default 1) matching records were written since
// the scenario started; with absent, checks that none was.
void expect_console(StepContext& run, const Step& step);

// expect_deadlock {members, certain, within_frames, timeout, absent}: the
// first deadlock report, judged; with absent, checks that none came.
void expect_deadlock(StepContext& run, const Step& step);

}  // namespace understudy::harness
